"""A Sphinx extension: the course site read by a screen reader as well as it is seen.

Fixes what axe-core (run on every page by ``tests/test_site.py``) finds in the pages the theme
and the notebooks' outputs make:

- the theme's search field is named by its visible text ("Search Ctrl+K"), not by an
  ``aria-label`` that differs from it (our ``templates/search-button-field.html`` replaces the
  theme's);
- the empty top-left cell of a pandas table's header, a ``<th>`` with no text, becomes a
  ``<td>``: it heads nothing;
- an animation player's frame slider without a name (outputs executed before
  :func:`gdcourse.plots.animation.labelled` existed) gets one.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).parent / "templates"

_EMPTY_TH = re.compile(r"<th>\s*</th>")
_UNNAMED_SLIDER = re.compile(r'<input id="_anim_slider')


def accessible_body(body: str) -> str:
    """A page body with empty header cells as data cells and every animation slider named."""
    body = _EMPTY_TH.sub("<td></td>", body)
    return _UNNAMED_SLIDER.sub('<input aria-label="Animation frame" id="_anim_slider', body)


def _page(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if "body" in context:
        context["body"] = accessible_body(context["body"])


def _templates(app: Any, config: Any) -> None:
    config.templates_path = [str(TEMPLATES), *config.templates_path]


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", _templates)
    app.connect("html-page-context", _page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
