"""A small notebook factory the runner and CLI tests share."""

from __future__ import annotations

from pathlib import Path

import nbformat


def write_notebook(path: Path, *cells: str) -> Path:
    """Write a python3 notebook to ``path``: one cell per text, code unless the text starts
    with ``# md`` (then markdown, without that prefix)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_markdown_cell(c[4:])
        if c.startswith("# md")
        else nbformat.v4.new_code_cell(c)
        for c in cells
    ]
    nbformat.write(nb, path)
    return path
