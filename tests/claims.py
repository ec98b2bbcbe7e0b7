"""Numeric claims in the prose, checked against what the notebook itself prints or runs.

Issue 16, section 3: every decimal number, percentage and ratio in a notebook's prose appears,
as rounded in the prose, in an output or in the code of that notebook; in the two guides
(``docs/cheat_sheet.md``, ``docs/instructor.md``), in the notebook the paragraph points to.
Pointers ("printed above", "the plot above", "notebook 03 (section *X*)") must resolve.

Run it on any notebook (an executed copy in ``build/`` works too) or guide::

    PYTHONPATH=. .venv/bin/python -m tests.claims notebooks/03_momentum.ipynb docs/cheat_sheet.md
    PYTHONPATH=. .venv/bin/python -m tests.claims              # every notebook and both guides
    PYTHONPATH=. .venv/bin/python -m tests.claims --write-known  # regenerate the to-fix list

What counts as a claim (in markdown cells; fenced code, inline code, link targets, URLs and
HTML tags are removed first; numbers inside ``$...$`` maths count, except exponents and
subscripts, ``^{...}`` and ``_{...}``):

- a **decimal** number, ``0.0614``, ``-1.088``, ``1.9e-07``;
- a **percentage**, ``12%``, ``12.5 %``, ``12 percent`` (and the first number of a range,
  ``20 to 40%``);
- a **ratio**, ``3.4x``, ``3.4×``, ``3.4 times``, ``3-fold``;
- an **integer of 100 or more** (``801``, ``12,384``), and any integer after ``epoch`` or
  ``step`` (``epoch 17``: where a run ended is a result).

Not claims (notation, names, pacing): integers below 100 otherwise (``3 seeds``, ``2/L``,
list numbers); years 1900-2099; versions (after Python, TensorFlow, Keras, NumPy, nbval, ...
or with two dots); numbers after ``notebook``, ``section``, ``cell``, ``exercise``, ``Q``,
``figure``, ``table``; durations in minutes or hours (the pacing test guards those); the unit
the data is stated in ("in units of $100,000"); numbers in a sentence that cites the
literature ("et al."); anything in an exercises section (a heading ``Exercises``,
``Exercise 3 (optional) ...`` or ``Open-ended experiment``, up to the next heading of the same
or a higher level: its prompts describe hypothetical runs), while a "Going further" section
after the exercises is checked; in the guides, times and sizes (``s``, ``ms``, ``MB``, ``GB``: the
runner's table, ``python -m gdcourse run``, measures those, not a notebook).

A claim is **matched** when some number in the evidence (every code cell's source and every
text output: streams, ``text/plain``, ``text/html`` without tags, ``text/markdown``) rounds to
it at the prose's precision: ``0.73`` matches ``0.7312`` and ``0.7349`` (printed values are
themselves rounded, so half a unit of the printed last digit is allowed) but ``0.7312`` does
not match ``0.73``. Thousands separators are ignored; the sign is ignored. A percentage ``p``
matches a printed ``p`` (with or without ``%``) or the fraction ``p/100``; ``p% more/fewer/
faster/...`` also matches the ratio ``1 ± p/100``. A ratio matches the printed number. An
integer written with trailing zeros after "about", "roughly", "nearly", "around", "~" or
"≈" (``about 1,000``) matches any evidence that rounds to it at its significant digits.
Bounds (``more than 90%``, ``over 10 times``, ``below 0.05``) match the literal in the code
(an ``assert``), a printed number that rounds to it, or a printed number of the same kind
(percent, ratio, plain) within a factor of 2 that satisfies the bound.

Exceptions, each with a reason, live in one place: ``tests/numeric_claims_exceptions.txt``.
What the last reading left unfixed lives in ``tests/numeric_claims_known.txt``, written by
``--write-known``: the test fails on a violation in neither file, and on a known entry that
no longer occurs (regenerate the list, so it shows exactly what remains).
"""

from __future__ import annotations

import argparse
import html
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
GUIDES = (ROOT / "docs" / "cheat_sheet.md", ROOT / "docs" / "instructor.md")
EXCEPTIONS_FILE = ROOT / "tests" / "numeric_claims_exceptions.txt"
KNOWN_FILE = ROOT / "tests" / "numeric_claims_known.txt"

# --------------------------------------------------------------------------------- prose cleanup

_FENCE = re.compile(r"```.*?```|~~~.*?~~~", re.S)
_INLINE_CODE = re.compile(r"`+[^`]*`+")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"<[^>]+>")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
_URL = re.compile(r"https?://\S+")
_MATH_SCRIPT = re.compile(r"[\^_](\{[^{}]*(\{[^{}]*\}[^{}]*)*\}|\\?[A-Za-z0-9])")
_SCIENTIFIC = re.compile(r"(\d+(?:\.\d+)?)\s*(?:\\times|\\cdot|×)\s*10\^\{?([-+]?\d+)\}?")
_MATH = re.compile(r"\$\$.*?\$\$|\$(?:[^$\n]|\n(?!\s*\n))+\$", re.S)
# a dollar amount, bare or escaped for Markdown (`\$100,000`, so that it opens no maths)
_CURRENCY = re.compile(r"(?<![\w$\\])\\?\$(?=\d{1,3}(?:,\d{3})+(?!\d|\.\d))")


def clean_prose(text: str) -> str:
    """Markdown reduced to the words a learner reads: no code, no link targets, no URLs, no
    tags, maths kept but without its exponents and subscripts."""
    text = _FENCE.sub(" ", text)
    text = _INLINE_CODE.sub(" ", text)
    text = _HTML_COMMENT.sub(" ", text)
    text = _IMAGE.sub(" ", text)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _URL.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _CURRENCY.sub("USD ", text)
    text = _MATH.sub(lambda m: _MATH_SCRIPT.sub(" ", _SCIENTIFIC.sub(r"\1e\2", m.group(0))), text)
    text = text.replace("\\%", "%").replace("\\times", "×").replace("\\approx", "≈")
    return html.unescape(text)


# ------------------------------------------------------------------------------------- numbers

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
_CLAIM = re.compile(
    r"(?<![\w.\\])(?P<num>" + _NUM + r")(?![\w]*\.\d)"
    r"(?P<suffix>\s?%|\s?percent\b|\s?[x×](?![\w]|\s*\d)|\s?times\b|-fold\b)?"
)
_EVIDENCE = re.compile(
    r"(?<![\w.])(?P<num>" + _NUM + r"|\.\d+)(?P<suffix>\s?%|\s?[x×](?![\w])|\s?times\b)?"
)
_VERSION_WORDS = (
    "python tensorflow tf keras numpy nbval pytest jupyter jupyterlab cuda cudnn ubuntu macos "
    "windows scikit-learn sklearn pandas matplotlib colab version versions v ipywidgets pip "
    "sphinx mathjax node chrome chromium firefox playwright ruff nbformat nbconvert"
).split()
_REFERENCE_WORDS = (
    "notebook notebooks section sections cell cells exercise exercises q figure table chapter "
    "part question questions issue day"
).split()
_MEASURED_UNIT = re.compile(r"\s*(s|ms|MB|GB|KB|MiB|GiB)\b")
_DURATION = re.compile(r"\s*(min|mins|minute|minutes|h|hour|hours)\b", re.I)
_APPROX = re.compile(r"(about|roughly|nearly|around|approximately|some|~|≈)\s*$", re.I)
_BOUND = re.compile(
    r"(more than|over|above|at least|greater than|exceeds?|beyond|less than|under|below|"
    r"at most|fewer than|within|up to|>|<|≥|≤|\\ge|\\le|\\geq|\\leq)\s*$",
    re.I,
)
_LOWER_BOUND = re.compile(
    r"(more than|over|above|at least|greater than|exceeds?|beyond|>|≥|\\ge|\\geq)\s*$", re.I
)
_RELATIVE = re.compile(
    r"^\s*(more|fewer|less|higher|lower|larger|smaller|faster|slower|better|worse|longer|shorter)",
    re.I,
)
_RANGE_TO_PERCENT = re.compile(r"^\s*(?:to|-|–)\s*(?:" + _NUM + r")\s?(%|percent\b)")


def _kind(suffix: str | None) -> str:
    s = (suffix or "").strip().lower()
    if s in ("%", "percent"):
        return "percent"
    if s in ("x", "×", "times", "-fold"):
        return "ratio"
    return "plain"


def _value(num: str) -> float:
    return float(num.replace(",", ""))


def _decimals(num: str) -> int:
    """Digits after the point in ``num`` as written (negative for scientific notation's
    exponent folded in): ``0.0614`` -> 4, ``1.9e-07`` -> 8, ``801`` -> 0."""
    mantissa, _, exponent = num.lower().replace(",", "").partition("e")
    digits = len(mantissa.partition(".")[2])
    return digits - int(exponent or 0)


@dataclass(frozen=True)
class Claim:
    """One number in the prose: where, as written, its kind and the sentence around it."""

    source: str  # notebook or guide file name
    cell: int  # cell index (notebooks) or line number (guides)
    text: str  # the number as written, with its suffix
    kind: str  # decimal, percent, ratio, integer
    value: float
    decimals: int
    approx: bool  # "about 1,000": trailing zeros are rounding
    bound: str  # "", "lower", "upper": an inequality, not a value
    relative: bool  # "20% more": also a ratio 1 +- p/100
    fragment: str


@dataclass(frozen=True)
class Evidence:
    value: float
    decimals: int
    kind: str
    in_code: bool


_SENTENCE_END = re.compile(r"(?<!\bal)(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)\.\s|\n\s*\n|\n\s*[-*]\s")


def _sentence(prose: str, start: int, end: int) -> str:
    """The sentence around ``prose[start:end]`` ("et al." does not end one)."""
    left, right = 0, len(prose)
    for m in _SENTENCE_END.finditer(prose):
        if m.end() <= start:
            left = m.end()
        elif m.start() >= end:
            right = m.start()
            break
    return prose[left:right]


def claims_in(text: str, source: str, cell: int, guide: bool = False) -> list[Claim]:
    """The numeric claims of one markdown cell, by the rules in this module's docstring."""
    prose = clean_prose(text)
    found: list[Claim] = []
    for m in _CLAIM.finditer(prose):
        num, suffix = m.group("num"), m.group("suffix")
        before = prose[max(0, m.start() - 40) : m.start()]
        after = prose[m.end() : m.end() + 40]
        prev_word = re.findall(r"[\w\-]+|[~≈<>≥≤]", before)
        prev = prev_word[-1].lower() if prev_word else ""
        kind = _kind(suffix)
        if kind == "plain" and _RANGE_TO_PERCENT.match(prose[m.end() :]):
            kind = "percent"
        if prev in _VERSION_WORDS or prev in _REFERENCE_WORDS:
            continue
        if re.search(r"\d\.\d+\.\d", prose[m.start() : m.end() + 4]):
            continue  # a version, 3.10.1
        if kind == "plain" and _DURATION.match(after):
            continue
        if guide and kind == "plain" and _MEASURED_UNIT.match(after):
            continue  # run time or memory: the runner's table, not a notebook's output
        if re.search(r"(units of|\(in)\s*USD\s*$", before):
            continue  # the unit the data is stated in
        if "et al" in _sentence(prose, m.start(), m.end()):
            continue  # a number from the literature
        value = _value(num)
        decimal = "." in num or "e" in num.lower()
        if kind == "plain" and not decimal:
            positional = bool(re.search(r"\b(epoch|step)\s$", before, re.I))
            year = "," not in num and 1900 <= value <= 2099
            if year or (value < 100 and not positional):
                continue
        start = max(0, m.start() - 50)
        fragment = " ".join(prose[start : m.end() + 50].split())
        found.append(
            Claim(
                source=source,
                cell=cell,
                text=(num + (suffix or "")).strip(),
                kind=kind if kind != "plain" else ("decimal" if decimal else "integer"),
                value=value,
                decimals=_decimals(num),
                approx=bool(_APPROX.search(before)),
                bound=(
                    ("lower" if _LOWER_BOUND.search(before) else "upper")
                    if _BOUND.search(before)
                    else ""
                ),
                relative=kind == "percent" and bool(_RELATIVE.match(after)),
                fragment=fragment,
            )
        )
    return found


def evidence_in(text: str, in_code: bool) -> list[Evidence]:
    """Every number of a code cell's source or a text output."""
    found = []
    for m in _EVIDENCE.finditer(text):
        num = m.group("num")
        try:
            value = _value(num)
        except ValueError:
            continue
        found.append(Evidence(value, _decimals(num), _kind(m.group("suffix")), in_code))
    return found


def _rounds_to(evidence: Evidence, target: float, decimals: int) -> bool:
    """Does ``evidence`` round to ``target`` at ``decimals`` digits after the point? A code
    literal is exact; a printed number is itself rounded, so it must carry at least as many
    digits as the claim, and half a unit of its own last digit is allowed (a printed 0.735
    backs both 0.73 and 0.74)."""
    value, target = abs(evidence.value), abs(target)
    if evidence.in_code:
        return abs(value - target) <= 0.5 * 10.0**-decimals * (1 + 1e-9)
    if evidence.decimals < decimals:
        return False
    if evidence.decimals == decimals:
        return math.isclose(value, target, rel_tol=1e-9, abs_tol=1e-12)
    tolerance = 0.5 * 10.0**-decimals + 0.5 * 10.0**-evidence.decimals
    return abs(value - target) <= tolerance * (1 + 1e-9)


def _significant_decimals(claim: Claim) -> int:
    """For "about 1,000": the trailing zeros are rounding, so 1,000 -> -3."""
    if claim.decimals > 0 or not claim.approx:
        return claim.decimals
    digits = str(int(claim.value))
    return -(len(digits) - len(digits.rstrip("0")))


def matches(claim: Claim, evidence: list[Evidence]) -> bool:
    """Is ``claim`` backed by some number of ``evidence`` (the docstring's rules)?"""
    if claim.bound:
        for e in evidence:
            if e.in_code and math.isclose(abs(e.value), claim.value, rel_tol=1e-9):
                return True
            if e.in_code and claim.kind == "percent" and math.isclose(e.value, claim.value / 100):
                return True
            same_kind = e.kind == claim.kind or (claim.kind in ("decimal", "integer"))
            if (
                not e.in_code
                and same_kind
                and e.kind != "plain"
                or (not e.in_code and claim.kind in ("decimal", "integer") and e.kind == "plain")
            ):
                v = abs(e.value)
                if not claim.value / 2 <= v <= claim.value * 2:
                    continue
                if (claim.bound == "lower" and v >= claim.value) or (
                    claim.bound == "upper" and v <= claim.value
                ):
                    return True
        # a bound can also be stated as a rounded value ("within 2%": printed 1.7%)
    decimals = _significant_decimals(claim)
    targets = [(claim.value, decimals)]
    if claim.kind == "percent":
        targets.append((claim.value / 100, decimals + 2))
        if claim.relative:
            targets.append((1 + claim.value / 100, decimals + 2))
            targets.append((1 - claim.value / 100, decimals + 2))
    for e in evidence:
        for target, d in targets:
            if d < 0:  # "about 1,000": rounding, and within 15%
                close = abs(abs(e.value) - target) <= 0.15 * target
                if close and round(abs(e.value), d) == round(target, d):
                    return True
            elif _rounds_to(e, target, d):
                return True
    return False


# ------------------------------------------------------------------------------------ notebooks


def _output_text(output: dict) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "")
    data = output.get("data", {})
    parts = []
    for mime in ("text/plain", "text/markdown", "text/latex"):
        if mime in data:
            parts.append(data[mime] if isinstance(data[mime], str) else "".join(data[mime]))
    if "text/html" in data:
        raw = data["text/html"]
        raw = raw if isinstance(raw, str) else "".join(raw)
        if len(raw) < 200_000:  # an animation's frames are pictures, not numbers
            parts.append(html.unescape(_TAG.sub(" ", raw)))
    return "\n".join(parts)


def notebook_evidence(nb) -> list[Evidence]:
    found: list[Evidence] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        found += evidence_in(cell.source, in_code=True)
        for output in cell.get("outputs", []):
            found += evidence_in(_output_text(output), in_code=False)
    return found


@dataclass(frozen=True)
class Violation:
    source: str
    cell: int
    number: str
    kind: str  # unmatched, pointer
    fragment: str

    def key(self) -> str:
        """How the exceptions and known files name it: source, number and fragment."""
        return f"{self.source}\t{self.number}\t{self.fragment}"

    def __str__(self) -> str:
        where = f"c{self.cell}" if not self.source.endswith(".md") else f"line {self.cell}"
        return f"{self.source} {where}: {self.number} [{self.kind}] ... {self.fragment} ..."


def _course_numbers() -> dict[str, str]:
    """Two-digit prefix -> notebook file name, from gdcourse.about.COURSE."""
    from gdcourse.about import COURSE

    return {name[:2]: name for name, _title, _time in COURSE}


def _headings(path: Path) -> list[str]:
    if not path.exists():
        return []
    nb = nbformat.read(path, as_version=4)
    out = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.lstrip().startswith("#"):
                    out.append(_norm_heading(line.lstrip("# ")))
    return out


def _norm_heading(text: str) -> str:
    text = re.sub(r"[*_`$]", "", text)
    return " ".join(text.lower().split()).strip(" .:")


_NOTEBOOK_REF = re.compile(r"\bnotebooks?\s+(\d{2})((?:\s*(?:,|and|or|to|-|–)\s*\d{2})*)", re.I)
_SECTION_REF = re.compile(
    r"\bnotebook\s+(\d{2})(?:'s)?\s*,?\s*\(?\s*section\s+[*_\"“]+([^*_\"”]+)[*_\"”]+", re.I
)
_PRINTED_REF = re.compile(
    r"((?:the )?last line printed|printed above|the last line|line printed above|"
    r"printed (?:just )?(?:above|below)|the output above|the table above)",
    re.I,
)
_PLOT_REF = re.compile(r"\b(plot|figure|picture|chart|panel)s? above\b", re.I)


def pointer_violations(
    text: str, source: str, cell: int, previous_code, notebooks_dir: Path
) -> list[Violation]:
    """Pointers in one markdown cell that do not resolve (see the module docstring)."""
    prose = clean_prose(text)
    course = _course_numbers()
    bad: list[Violation] = []

    def frag(m: re.Match) -> str:
        return " ".join(prose[max(0, m.start() - 40) : m.end() + 40].split())

    for m in _NOTEBOOK_REF.finditer(prose):
        for nn in [m.group(1), *re.findall(r"\d{2}", m.group(2) or "")]:
            if nn not in course:
                bad.append(Violation(source, cell, f"notebook {nn}", "pointer", frag(m)))
    for m in _SECTION_REF.finditer(prose):
        nn, title = m.group(1), _norm_heading(m.group(2))
        if nn not in course:
            continue
        path = notebooks_dir / course[nn]
        if not path.exists():
            path = NOTEBOOKS / course[nn]
        if not any(h == title or h.startswith(title) for h in _headings(path)):
            bad.append(Violation(source, cell, f"section '{title}'", "pointer", frag(m)))
    if previous_code is None:
        return bad
    outputs = previous_code.get("outputs", [])
    texts = "".join(_output_text(o) for o in outputs if "image/png" not in o.get("data", {}))
    has_text = any(
        o.get("output_type") == "stream" or "text/plain" in o.get("data", {}) for o in outputs
    ) and bool(re.search(r"\w", re.sub(r"<Figure[^>]*>", "", texts)))
    has_image = any(
        {"image/png", "image/svg+xml", "text/html"} & set(o.get("data", {})) for o in outputs
    )
    for m in _PRINTED_REF.finditer(prose):
        if not has_text:
            bad.append(Violation(source, cell, m.group(0), "pointer", frag(m)))
    for m in _PLOT_REF.finditer(prose):
        if not has_image:
            bad.append(Violation(source, cell, m.group(0), "pointer", frag(m)))
    return bad


_FIRST_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$", re.MULTILINE)


def check_notebook(path: Path) -> list[Violation]:
    """Every unmatched claim and unresolved pointer of one notebook."""
    nb = nbformat.read(path, as_version=4)
    evidence = notebook_evidence(nb)
    bad: list[Violation] = []
    previous_code = None
    exercise_level: int | None = None  # inside an exercises section: its heading level
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and (heading := _FIRST_HEADING.search(cell.source)):
            level, title = len(heading.group(1)), heading.group(2)
            if re.match(r"Exercises?\b|Open-ended experiment", title):
                exercise_level = level  # prompts describe hypothetical runs, not outputs
            elif exercise_level is not None and level <= exercise_level:
                exercise_level = None  # e.g. "## Going further (optional ...)" after them
        if exercise_level is not None:
            if cell.cell_type == "code":
                previous_code = cell
            continue
        if cell.cell_type == "code":
            previous_code = cell
            continue
        if cell.cell_type != "markdown":
            continue
        for claim in claims_in(cell.source, path.name, index):
            if not matches(claim, evidence):
                bad.append(Violation(path.name, index, claim.text, claim.kind, claim.fragment))
        bad += pointer_violations(cell.source, path.name, index, previous_code, path.parent)
    return bad


# ---------------------------------------------------------------------------------------- guides

_GUIDE_POINTER = re.compile(
    r"(?:notebooks?\s+|\bin\s+|\(|\bof\s+|\bfrom\s+)(\d{2})\b(?!\s*(?:%|min|s\b|x\b|times))"
    r"|(\d{2})_[a-z_]+\.ipynb",
    re.I,
)


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """Paragraphs and list items with their first line number (1-based)."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    in_fence = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith(("```", "~~~")):
            in_fence = not in_fence
        item = re.match(r"\s*(?:[-*+]|\d+\.)\s", line) and not in_fence
        if (not line.strip() and not in_fence) or item or line.startswith("#"):
            if current:
                blocks.append((start, "\n".join(current)))
            current = []
            if not line.strip():
                continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks


def check_guide(path: Path, notebooks_dir: Path = NOTEBOOKS) -> list[Violation]:
    """Every claim of a guide, checked against the notebooks its paragraph points to (any
    notebook when it names none: then an unmatched claim is reported as unpointed)."""
    course = _course_numbers()
    evidence_of: dict[str, list[Evidence]] = {}

    def evidence_for(nn: str) -> list[Evidence]:
        if nn not in evidence_of:
            nb_path = notebooks_dir / course[nn]
            evidence_of[nn] = (
                notebook_evidence(nbformat.read(nb_path, as_version=4)) if nb_path.exists() else []
            )
        return evidence_of[nn]

    bad: list[Violation] = []
    text = path.read_text(encoding="utf-8")
    blocks = _paragraphs(text)
    # a list item inherits the pointers of the paragraph that introduces its list
    lead: set[str] = set()
    for line, block in blocks:
        is_item = bool(re.match(r"\s*(?:[-*+]|\d+\.)\s", block))
        pointed = {a or b for a, b in _GUIDE_POINTER.findall(clean_prose(block))}
        pointed |= set(re.findall(r"(\d{2})_[a-z_]+\.ipynb", block))
        pointed &= set(course)
        if not is_item:
            lead = pointed
        elif not pointed:
            pointed = set(lead)
        claims = claims_in(block, path.name, line, guide=True)
        for claim in claims:
            pool = sorted(pointed) if pointed else sorted(course)
            if any(matches(claim, evidence_for(nn)) for nn in pool):
                continue
            kind = claim.kind if pointed else f"{claim.kind}, no notebook named"
            where = (
                line + block[: block.find(claim.text)].count("\n") if claim.text in block else line
            )
            bad.append(Violation(path.name, where, claim.text, kind, claim.fragment))
        bad += pointer_violations(block, path.name, line, None, notebooks_dir)
    return bad


def check_path(path: Path, notebooks_dir: Path = NOTEBOOKS) -> list[Violation]:
    """A notebook's or a guide's violations (a guide's claims are looked up in
    ``notebooks_dir``)."""
    path = Path(path)
    if path.suffix == ".ipynb":
        return check_notebook(path)
    return check_guide(path, notebooks_dir)


def all_paths(notebooks_dir: Path = NOTEBOOKS) -> list[Path]:
    return [notebooks_dir / name for name in _course_numbers().values()] + list(GUIDES)


# ------------------------------------------------------------------------ exceptions and known


def _read_keys(path: Path) -> dict[str, str]:
    """``source<TAB>number<TAB>fragment<TAB>reason`` lines (``#`` comments) -> key: reason.
    A fragment of ``*`` stands for every occurrence of that number in that source."""
    keys: dict[str, str] = {}
    if not path.exists():
        return keys
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            raise ValueError(f"{path.name}: expected source, number, fragment[, reason]: {line!r}")
        keys["\t".join(parts[:3])] = parts[3] if len(parts) > 3 else ""
    return keys


def excepted(violation: Violation, keys: dict[str, str]) -> bool:
    wildcard = f"{violation.source}\t{violation.number}\t*"
    return violation.key() in keys or wildcard in keys


def unexplained(violations: list[Violation]) -> list[Violation]:
    """The violations neither the exceptions file nor the known list declares."""
    keys = _read_keys(EXCEPTIONS_FILE) | _read_keys(KNOWN_FILE)
    return [v for v in violations if not excepted(v, keys)]


def stale_known(source: str, violations: list[Violation]) -> list[str]:
    """Known-list entries of ``source`` that no longer occur (fixed: regenerate the list)."""
    current = {v.key() for v in violations}
    return [k for k in _read_keys(KNOWN_FILE) if k.split("\t")[0] == source and k not in current]


def write_known(paths: list[Path]) -> int:
    exceptions = _read_keys(EXCEPTIONS_FILE)
    lines = [
        "# Numeric claims not yet backed by an output (tests/claims.py). Generated by",
        "#     PYTHONPATH=. .venv/bin/python -m tests.claims --write-known",
        "# after the notebooks are executed; each line is one to fix (or to move, with a reason,",
        "# into tests/numeric_claims_exceptions.txt). Columns: source, number, fragment, reason.",
    ]
    count = 0
    for path in paths:
        for v in check_path(path):
            if not excepted(v, exceptions):
                lines.append(f"{v.key()}\tknown from the 2026-12-04 reading, to fix")
                count += 1
    tmp = KNOWN_FILE.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(KNOWN_FILE)
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.claims", description=__doc__.split("\n")[0]
    )
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks or guides (default: all)")
    parser.add_argument("--all", action="store_true", help="also list declared exceptions/known")
    parser.add_argument(
        "--notebooks", type=Path, default=NOTEBOOKS, help="where the guides' notebooks are"
    )
    parser.add_argument("--write-known", action="store_true", help="regenerate the known list")
    args = parser.parse_args(argv)
    paths = args.paths or all_paths()
    if args.write_known:
        print(f"{write_known(paths)} known violations written to {KNOWN_FILE}")
        return 0
    exceptions = _read_keys(EXCEPTIONS_FILE)
    total = 0
    for path in paths:
        found = [
            v for v in check_path(path, args.notebooks) if args.all or not excepted(v, exceptions)
        ]
        total += len(found)
        print(f"== {path}: {len(found)} violation(s)")
        for v in found:
            print(f"  {v}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
