"""No dollar amount in the course's prose switches on maths.

MyST (the site) and JupyterLab both read ``$...$`` as inline maths, digits allowed, so a bare
``$100,000`` opens a maths span that swallows the rest of the paragraph up to the next ``$``.
Amounts of money are written ``\\$100,000``. Every notebook's Markdown cells and Markdown
outputs, README.md and the guides of ``docs/`` are parsed with the parser MyST uses
(markdown-it-py with its ``dollarmath`` plugin, MyST's settings) and checked two ways: no
unescaped ``$`` before an amount, and no maths span that reads like a sentence.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
GUIDES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]

# "$100,000", "$5,000.50": an amount with a thousands separator after an unescaped "$".
BARE_CURRENCY = re.compile(r"(?<!\\)\$\d{1,3}(?:,\d{3})+")
# Code, where a "$" is literal: fenced blocks and inline code spans.
CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.DOTALL)
# Three plain words in a row: prose, not maths (LaTeX commands and \text{...} removed first).
PROSE = re.compile(r"[A-Za-z]{2,}[,.;:)]?\s+[A-Za-z]{2,}[,.;:)]?\s+[A-Za-z]{2,}")
LATEX = re.compile(r"\\(?:text|mathrm|operatorname|mbox)\{[^}]*\}|\\[A-Za-z]+")

_PARSER = MarkdownIt("commonmark").use(
    dollarmath_plugin, allow_labels=True, allow_space=True, allow_digits=True
)


def markdown_sources(path: Path) -> list[tuple[str, str]]:
    """``(where, markdown)`` for each piece of prose in ``path`` (a guide or a notebook)."""
    if path.suffix == ".md":
        return [(path.name, path.read_text(encoding="utf-8"))]
    found = []
    for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if cell.cell_type == "markdown":
            found.append((f"{path.name} cell {index}", cell.source))
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown")
            if text:
                found.append((f"{path.name} cell {index} output", "".join(text)))
    return found


def problems(markdown: str) -> list[str]:
    """What reads wrong in ``markdown``: bare currency, or a maths span holding prose."""
    found = [
        f"bare currency {m.group(0)!r}" for m in BARE_CURRENCY.finditer(CODE.sub("", markdown))
    ]
    for block in _PARSER.parse(markdown):
        for token in block.children or []:
            if token.type == "math_inline" and PROSE.search(LATEX.sub(" ", token.content)):
                found.append(f"a maths span holds prose: ${token.content[:60]}...$")
    return found


def test_the_check_catches_the_bug_it_is_for():
    assert problems("the value (in $100,000) of a district, with $\\hat y = b$.")
    assert problems("worth at least $500,000")
    assert not problems("the value (in \\$100,000) of a district, with $\\hat y = b + x^\\top w$.")
    assert not problems("rates between $0.01$ and $0.49$, `echo $100,000` in code")
    assert not problems("variance $2/\\text{fan-in and more}$ and $1 - (1 - p)^k$")


SOURCES = [path for path in GUIDES if path.is_file()] + NOTEBOOKS


@pytest.mark.parametrize("path", SOURCES, ids=[path.name for path in SOURCES])
def test_no_dollar_amount_opens_maths(path):
    found = [f"{where}: {p}" for where, text in markdown_sources(path) for p in problems(text)]
    assert not found, "write an amount of money as \\$100,000:\n" + "\n".join(found)
