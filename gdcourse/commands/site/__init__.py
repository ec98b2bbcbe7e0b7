"""The course as a static website, built from the committed, executed notebooks.

``python -m gdcourse site`` (or :func:`build_site`) turns ``notebooks/*.ipynb``, the guides in
``docs/`` and a landing page made from ``README.md`` into a static site under ``build/site/``,
with Sphinx, MyST-NB and the Sphinx Book Theme. Nothing is executed: the committed outputs are
the course's measured record. Every asset is local (MathJax, fonts, icons, the animation
player), so the site works from a USB stick, opened straight from disk or served by
``python -m http.server``.
"""

from __future__ import annotations

from gdcourse.commands.site.build import SiteReport, build_site

__all__ = ["SiteReport", "build_site"]
