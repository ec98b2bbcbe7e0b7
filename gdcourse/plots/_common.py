"""Deprecated alias of :mod:`gdcourse.plots.common`; import from there (or ``gdcourse.plots``).

Kept only so that ``gdcourse.diagnostics.lr_finder`` keeps working until it imports
``from gdcourse.plots import new_axes``; delete this file then.
"""

from gdcourse.plots.common import new_axes, normalize_paths, resolve_surface, surface_grid
from gdcourse.style import RunColors, run_colors

__all__ = [
    "RunColors",
    "new_axes",
    "normalize_paths",
    "resolve_surface",
    "run_colors",
    "surface_grid",
]
