"""A Sphinx extension: MathJax 3 served from the site itself, so math renders offline.

Sphinx loads MathJax from a CDN by default. This extension points ``mathjax_path`` at
``_static/mathjax/tex-chtml.js`` and copies, from the ``sphinx-mathjax-offline`` package (a
declared dependency of the ``site`` extra), just what that component loads: the combined
TeX-to-CommonHTML script, its web fonts, and the menu and accessibility pieces it fetches
lazily. About 3 MB instead of the package's 24 MB.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from typing import Any

#: What tex-chtml.js needs next to it, relative to MathJax's folder.
MATHJAX_FILES: tuple[str, ...] = ("tex-chtml.js", "output/chtml", "a11y", "ui", "input/tex")


def mathjax_source() -> Path:
    """The MathJax folder shipped by the ``sphinx-mathjax-offline`` package."""
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or spec.origin is None:
        raise RuntimeError(
            "the site needs the `sphinx-mathjax-offline` package: "
            'pip install -e ".[site]" (it is part of the `site` extra)'
        )
    return Path(spec.origin).parent / "static" / "mathjax"


def _copy(app: Any, exception: BaseException | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    source = mathjax_source()
    target = Path(app.outdir) / "_static" / "mathjax"
    for name in MATHJAX_FILES:
        origin, destination = source / name, target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if origin.is_dir():
            shutil.copytree(origin, destination, dirs_exist_ok=True)
        else:
            shutil.copy2(origin, destination)


def setup(app: Any) -> dict[str, Any]:
    mathjax_source()  # fail at the start of a build, not at its end
    app.config.mathjax_path = "mathjax/tex-chtml.js"
    app.connect("build-finished", _copy)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
