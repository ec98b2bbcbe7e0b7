"""Honest learner time, estimated from what a notebook holds.

A learner working through a notebook reads every word of its prose and maths, reads and runs
every code cell, reads what the cells print, studies every figure, plays with every animation
or widget, and does the exercises. :func:`estimate_minutes` counts each of these in a
notebook's committed JSON (:func:`measure`) and prices it at a fixed rate (:data:`RATES`):

.. math::

    T = \\frac{W + M}{r_{\\text{read}}} + c\\,t_{\\text{code}} + o\\,t_{\\text{out}}
        + f\\,t_{\\text{fig}} + i\\,t_{\\text{live}} + e\\,t_{\\text{ex}}

with :math:`W` prose words, :math:`M` maths symbols, :math:`c` code lines, :math:`o` output
lines, :math:`f` static figures, :math:`i` animations and widgets and :math:`e` exercises.
The rates are stated, with their reasoning, on :class:`Rates`. They were calibrated against
three readers' estimates for notebooks 01-10 of the reviewed second edition
(:data:`CALIBRATION`): every estimate, rounded, falls inside the readers' range
(``tests/test_pacing.py`` keeps it so).

Core and optional. A Markdown heading whose text begins with ``Going further (optional``
(any level, any case) opens an optional section; it runs, across cells, up to the next heading
of the same or a higher level (fewer or as many ``#``) that does not itself begin that way.
Everything inside it (prose, code, outputs, figures, exercises) is optional time; everything
else is core. So a ``## Going further (optional, about 20 min)`` placed before ``## Key
takeaways`` and ``## Exercises`` leaves those two sections core, and the exercises at the end
are core unless they sit under such a heading themselves. An "Open-ended experiment" section
is core reading; the experiment itself is the learner's own and is not timed.

Each part is rounded **up** to 5 minutes; an empty optional part is 0.
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, NamedTuple

OPTIONAL_HEADING = "going further (optional"
ROUND_TO = 5  # minutes

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_MATH = re.compile(r"\$\$.*?\$\$|\\begin\{(\w+\*?)\}.*?\\end\{\1\}|\$[^$]+\$", re.S)
_DOLLAR = re.compile(r"\\\$")  # an escaped dollar sign is currency, read as a word
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_HTML_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[A-Za-z0-9][\w'’.-]*")
#: In maths: a command (``\frac``, ``\eta``), a letter, a number or an operator is one symbol.
_SYMBOL = re.compile(r"\\[A-Za-z]+|[A-Za-z]|\d+(?:\.\d+)?|[=<>+\-*/|!]|\\[{}|]")
#: LaTeX commands that lay out maths and are not read as symbols.
_LAYOUT = frozenset(
    r"\left \right \big \Big \bigg \Bigg \mathrm \mathbf \mathit \mathcal \operatorname \text "
    r"\textrm \quad \qquad \displaystyle \tfrac \dfrac \begin \end \limits".split()
)
_EXERCISE = re.compile(r"([\w.]*\bq\d+)\.check\(")
_WIDGET = "application/vnd.jupyter.widget-view+json"


@dataclass(frozen=True)
class Content:
    """What one part (core or optional) of a notebook holds, counted as :func:`measure` does.

    - ``words``: words of Markdown prose, maths and link addresses excluded (inline code counts);
    - ``maths``: maths symbols in ``$...$``, ``$$...$$`` and ``\\begin...\\end`` (a command such
      as ``\\eta``, a letter, a number or an operator is one; layout commands are not counted);
    - ``code_lines``: non-blank lines of code cells, comments included;
    - ``output_lines``: lines printed or displayed as text, Markdown or table rows;
    - ``figures``: static images (PNG, SVG);
    - ``live``: animations (HTML players) and widgets;
    - ``exercises``: distinct ``qN.check(...)`` exercises.
    """

    words: int = 0
    maths: int = 0
    code_lines: int = 0
    output_lines: int = 0
    figures: int = 0
    live: int = 0
    exercises: int = 0

    def __add__(self, other: Content) -> Content:
        return Content(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


@dataclass(frozen=True)
class Rates:
    """Minutes per unit of content, with the reasoning for each.

    - ``words_per_minute`` = 80: study reading, not skimming. Most sentences of these notebooks
      state a fact the learner is meant to check against an output or a figure, and many carry
      maths; adults read plain text at 200-250 words a minute, dense technical text for study
      at about 100 or less. A maths symbol counts as a word: checking ``$\\eta < 2/L$`` symbol
      by symbol costs about what reading it aloud would.
    - ``seconds_per_code_line`` = 3: read a line and run its cell. Much of the code is plotting
      and printing that is read at a glance; the lines that carry the idea restate the prose
      beside them. Typing changes is not assumed (that is the exercises' and the open-ended
      experiment's time).
    - ``seconds_per_output_line`` = 3: a printed line is a table row or a result to compare
      with the prose, read once.
    - ``minutes_per_figure`` = 1.5: read the title, axes and legend, find what the prose points
      at, check it.
    - ``minutes_per_live`` = 5: an animation watched to the end and replayed, or a widget moved
      through the settings the prose suggests.
    - ``minutes_per_exercise`` = 7: read the prompt, write a few lines, check, often a hint and
      a second try.

    Calibration. The rates were searched on a grid (reading 60-120 words a minute, code 2-7 s a
    line, output 2-5 s a line, figures 1-2 min, animations and widgets 2-5 min, exercises
    5-10 min): 1,644 of the 12,960 sets put every rounded estimate of :data:`CALIBRATION`
    inside the readers' range, so the evidence pins the rates only loosely. The exercise rate
    in particular cannot be fitted (every notebook 01-10 has three exercises, so it moves all
    ten estimates together with the other rates); it is set from the reasoning above. Among
    the sets that fit, these round figures come near the closest to the ranges' midpoints
    (mean distance 4.1 minutes, the best 3.9; 785 minutes for 01-10, the midpoints sum to
    782.5). Reading dominates: at 110 words a minute and 4 s a code line every estimate still
    falls inside the ranges, but at their low edge (765 minutes in all).
    :func:`calibration_table` prints the comparison.
    """

    words_per_minute: float = 80.0
    seconds_per_code_line: float = 3.0
    seconds_per_output_line: float = 3.0
    minutes_per_figure: float = 1.5
    minutes_per_live: float = 5.0
    minutes_per_exercise: float = 7.0

    def minutes(self, content: Content) -> float:
        """The learner minutes ``content`` takes at these rates (not rounded)."""
        return (
            (content.words + content.maths) / self.words_per_minute
            + content.code_lines * self.seconds_per_code_line / 60
            + content.output_lines * self.seconds_per_output_line / 60
            + content.figures * self.minutes_per_figure
            + content.live * self.minutes_per_live
            + content.exercises * self.minutes_per_exercise
        )


#: The rates the course uses.
RATES = Rates()


class Estimate(NamedTuple):
    """Learner minutes of a notebook's core and of its optional sections, each rounded up to 5."""

    core: int
    optional: int = 0

    def __str__(self) -> str:
        """``"45 min"`` when nothing is optional, else ``"core 45 min, optional 20 min"``."""
        if self.optional:
            return f"core {self.core} min, optional {self.optional} min"
        return f"{self.core} min"

    def stated(self) -> str:
        """The notebook's first-cell wording: ``**Estimated time:** ...``."""
        if self.optional:
            return f"**Estimated time:** core {self.core} min, optional {self.optional} min"
        return f"**Estimated time:** {self.core} minutes"


_STATED = re.compile(
    r"\*\*Estimated time:\*\* (?:core (?P<core>\d+) min, optional (?P<optional>\d+) min"
    r"|(?P<only>\d+) minutes)"
)


def parse_stated(text: str) -> Estimate | None:
    """The time a notebook's first cell states (see :meth:`Estimate.stated`), or ``None``."""
    found = _STATED.search(text)
    if found is None:
        return None
    if found["only"] is not None:
        return Estimate(int(found["only"]))
    return Estimate(int(found["core"]), int(found["optional"]))


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _prose(text: str) -> tuple[int, int]:
    """(words, maths symbols) of a piece of Markdown."""
    text = _DOLLAR.sub(" USD ", text)
    maths = 0
    for match in _MATH.finditer(text):
        maths += sum(1 for s in _SYMBOL.findall(match.group(0)) if s not in _LAYOUT)
    plain = _HTML_TAG.sub(" ", _LINK_TARGET.sub("]", _MATH.sub(" ", text)))
    return len(_WORD.findall(plain)), maths


def _outputs(outputs: list[dict[str, Any]]) -> Content:
    lines = figures = live = 0
    for output in outputs:
        if "text" in output:
            lines += len(_text(output["text"]).splitlines())
            continue
        data = output.get("data", {})
        if "image/png" in data or "image/svg+xml" in data:
            figures += 1
        elif _WIDGET in data:
            live += 1
        elif "text/html" in data:
            html = _text(data["text/html"])
            if "<table" in html:
                lines += len(re.findall(r"<tr\b", html))
            else:
                live += 1
        elif "text/markdown" in data:
            lines += len(_text(data["text/markdown"]).splitlines())
        elif "text/plain" in data:
            lines += len(_text(data["text/plain"]).splitlines())
    return Content(output_lines=lines, figures=figures, live=live)


def _markdown_parts(text: str, level: int | None) -> tuple[list[tuple[bool, str]], int | None]:
    """Split a Markdown cell at its headings: ``[(optional?, text), ...]`` and the level of the
    optional section still open at its end (``None`` when core)."""
    parts: list[tuple[bool, str]] = []
    current: list[str] = []
    fenced = False
    for line in text.splitlines():
        heading = None if fenced else _HEADING.match(line)
        if _FENCE.match(line):
            fenced = not fenced
        if heading:
            depth, title = len(heading.group(1)), heading.group(2)
            starts = title.lower().startswith(OPTIONAL_HEADING)
            if starts and (level is None or depth <= level):
                new_level: int | None = depth
            elif level is not None and depth <= level:
                new_level = None
            else:
                new_level = level
            if new_level != level:
                parts.append((level is not None, "\n".join(current)))
                current, level = [], new_level
        current.append(line)
    parts.append((level is not None, "\n".join(current)))
    return parts, level


def measure(path: str | Path) -> tuple[Content, Content]:
    """Count what the notebook at ``path`` holds: ``(core, optional)`` (see the module
    docstring for the rule that decides what is optional)."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"`path` must be a str or a path to an .ipynb notebook. Received: path={path!r}"
        )
    path = Path(path)
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = notebook["cells"]
        if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
            raise ValueError("its cells are not a list of cells")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ValueError(
            f"`path` must name a readable .ipynb notebook. Received: path={str(path)!r} ({error})"
        ) from None
    parts = {False: Content(), True: Content()}
    seen: set[str] = set()
    level: int | None = None
    for cell in cells:
        source = _text(cell.get("source", ""))
        if cell.get("cell_type") == "markdown":
            pieces, level = _markdown_parts(source, level)
            for optional, text in pieces:
                words, maths = _prose(text)
                parts[optional] += Content(words=words, maths=maths)
        elif cell.get("cell_type") == "code":
            optional = level is not None
            new = {name for name in _EXERCISE.findall(source) if name not in seen}
            seen |= new
            code = sum(1 for line in source.splitlines() if line.strip())
            parts[optional] += Content(code_lines=code, exercises=len(new))
            parts[optional] += _outputs(cell.get("outputs", []))
    return parts[False], parts[True]


def _round_up(minutes: float) -> int:
    return ROUND_TO * math.ceil(round(minutes, 6) / ROUND_TO)


def estimate_minutes(path: str | Path, rates: Rates = RATES) -> Estimate:
    """Honest learner minutes for the notebook at ``path``: core and optional, each rounded up
    to 5 minutes (see the module docstring).

    >>> estimate_minutes("notebooks/00_welcome.ipynb")  # doctest: +SKIP
    Estimate(core=25, optional=0)
    """
    core, optional = measure(path)
    return Estimate(_round_up(rates.minutes(core)), _round_up(rates.minutes(optional)))


class Reading(NamedTuple):
    """One notebook as the readers of 2026-12-04 read it: what :func:`measure` counted, the
    minutes the notebook stated, and the readers' estimate as a range."""

    content: Content
    stated: int
    low: int
    high: int


#: The evidence the rates were calibrated on: notebooks 01-10 of the second edition as three
#: readers new to the course read them (commit b3a9eef; source
#: ``../shared/reviews/2026-12-04-fresh-reading.md``). A range such as "75-90" is taken as
#: given; "~90" is read as 85-95 (likewise "~60" and "~70"). The counts are :func:`measure`'s
#: on those files, with the dollar signs of "$100,000" read as currency, as rendered.
CALIBRATION: dict[str, Reading] = {
    "01_update_rule.ipynb": Reading(Content(1485, 401, 314, 81, 6, 1, 3), 45, 75, 90),
    "02_batch_variants.ipynb": Reading(Content(1818, 163, 300, 63, 3, 1, 3), 40, 70, 90),
    "03_momentum.ipynb": Reading(Content(1747, 337, 336, 68, 6, 2, 3), 45, 80, 100),
    "04_adam.ipynb": Reading(Content(2306, 484, 440, 93, 6, 0, 3), 55, 85, 95),
    "05_schedules.ipynb": Reading(Content(1440, 44, 290, 67, 5, 0, 3), 40, 55, 65),
    "06_troubleshooting.ipynb": Reading(Content(2189, 130, 355, 60, 2, 0, 3), 45, 65, 75),
    "07_custom_training_loop.ipynb": Reading(Content(1899, 48, 347, 42, 2, 0, 3), 40, 60, 75),
    "08_project_california_housing.ipynb": Reading(Content(1853, 33, 311, 75, 6, 0, 3), 45, 70, 90),
    "09_project_aapl_lstm.ipynb": Reading(Content(2020, 45, 295, 90, 4, 0, 3), 45, 70, 90),
    "10_scaling_out.ipynb": Reading(Content(2651, 275, 395, 67, 2, 0, 3), 45, 75, 90),
}


def calibration_table(rates: Rates = RATES) -> str:
    """A Markdown table of :data:`CALIBRATION`: notebook, stated, readers' range, estimate."""
    rows = [
        "| notebook | stated | readers | estimate (unrounded) |",
        "|---|---|---|---|",
    ]
    for name, reading in CALIBRATION.items():
        minutes = rates.minutes(reading.content)
        rows.append(
            f"| {name[:2]} | {reading.stated} | {reading.low}-{reading.high} | "
            f"{_round_up(minutes)} ({minutes:.1f}) |"
        )
    return "\n".join(rows)
