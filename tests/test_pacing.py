"""The learner-time estimator: what it counts, the core/optional rule, and its calibration."""

from __future__ import annotations

import base64
import json
import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from gdcourse import about
from gdcourse.pacing import (
    CALIBRATION,
    RATES,
    Content,
    Estimate,
    calibration_table,
    estimate_minutes,
    measure,
    parse_stated,
)

REPO = Path(__file__).resolve().parents[1]
REVIEWED = "b3a9eef"  # the commit the readers of 2026-12-04 read
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode("ascii")


def _notebook(tmp_path: Path, cells: list) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    path = tmp_path / "99_probe.ipynb"
    nbformat.write(nb, path)
    return path


def _code(source: str, *outputs) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = list(outputs)
    return cell


md = nbformat.v4.new_markdown_cell


def test_what_is_counted(tmp_path):
    path = _notebook(
        tmp_path,
        [
            md("# 99 · Probe\n\nFive plain words [here](https://example.org/a/b/c) `x`."),
            md("A rule $w \\leftarrow w - \\eta\\,\\nabla L(w)$ costs \\$5."),
            _code(
                "a = 1\n\n# a comment\nprint(a)",
                nbformat.v4.new_output("stream", name="stdout", text="1\n2\n3\n"),
                nbformat.v4.new_output("display_data", data={"image/png": PNG}),
            ),
            _code(
                "table",
                nbformat.v4.new_output(
                    "execute_result",
                    data={"text/html": "<table><tr><td>1</td></tr><tr><td>2</td></tr></table>"},
                    execution_count=2,
                ),
                nbformat.v4.new_output(
                    "display_data",
                    data={"application/vnd.jupyter.widget-view+json": {"model_id": "m"}},
                ),
                nbformat.v4.new_output("display_data", data={"text/html": "<script>anim"}),
            ),
            _code("ex.q1.check(f)\nex.q1.check(g)\nex.q2.check(h)"),
        ],
    )
    core, optional = measure(path)
    # words: 99, Probe, Five, plain, words, here, x | A, rule, costs, USD, 5 (the link target,
    # the maths and "·" are not words); maths: w, \leftarrow, w, -, \eta, \nabla, L, w
    assert core == Content(
        words=12, maths=8, code_lines=7, output_lines=5, figures=1, live=2, exercises=2
    )
    assert optional == Content()


def _with_optional_section() -> list:
    return [
        md("# 99 · Probe\n\none two three"),
        md("## Core section\n\nfour five\n\n## Going further (optional, about 10 min)\n\nsix"),
        _code("x = 1", nbformat.v4.new_output("display_data", data={"image/png": PNG})),
        md("### A subsection stays optional\n\nseven eight"),
        _code("ex.q3.check(x)"),
        md("## Key takeaways\n\nnine\n\n## Exercises"),
        _code("ex.q1.check(y)\nprint(1)"),
    ]


def test_an_optional_section_runs_to_the_next_heading_of_its_level(tmp_path):
    core, optional = measure(_notebook(tmp_path, _with_optional_section()))
    # core: "99 Probe one two three" (5) + "Core section four five" (4) + "Key takeaways nine" (3)
    # + "Exercises" (1); optional: "Going further optional about 10 min six" (7) + "A subsection
    # stays optional seven eight" (6)
    assert core == Content(words=13, code_lines=2, exercises=1)
    assert optional == Content(words=13, code_lines=2, figures=1, exercises=1)


def test_a_nested_optional_heading_ends_at_its_own_level(tmp_path):
    cells = [
        md("# 99 · Probe\n\n## Topic\n\none\n\n### Going further (OPTIONAL)\n\ntwo"),
        _code("x = 1"),
        md("#### deeper\n\nthree\n\n### Back to the topic\n\nfour"),
        _code("y = 2"),
    ]
    core, optional = measure(_notebook(tmp_path, cells))
    assert optional == Content(words=6, code_lines=1)  # Going further OPTIONAL two deeper three
    assert core == Content(words=9, code_lines=1)  # 99 Probe Topic one Back to the topic four


def test_a_heading_inside_a_fenced_block_is_not_a_heading(tmp_path):
    cells = [md("# 99\n\n```\n## Going further (optional)\n```\n\nafter")]
    core, optional = measure(_notebook(tmp_path, cells))
    assert optional == Content() and core.words == 5  # 99 Going further optional after


def test_estimate_prices_the_counts_at_the_stated_rates(tmp_path):
    words = " ".join(["word"] * int(RATES.words_per_minute * 2))  # two minutes of reading
    path = _notebook(tmp_path, [md(words), _code("ex.q1.check(f)")])
    minutes = 2 + RATES.seconds_per_code_line / 60 + RATES.minutes_per_exercise
    assert RATES.minutes(measure(path)[0]) == pytest.approx(minutes)
    assert estimate_minutes(path) == Estimate(5 * -(-minutes // 5), 0)


@pytest.mark.parametrize(
    ("minutes", "extra_words", "rounded"), [(0, 0, 0), (1, 0, 5), (5, 0, 5), (5, 1, 10)]
)
def test_each_part_is_rounded_up_to_five_minutes(tmp_path, minutes, extra_words, rounded):
    words = int(minutes * RATES.words_per_minute) + extra_words
    path = _notebook(tmp_path, [md(" ".join(["w"] * words))] if words else [])
    assert estimate_minutes(path) == Estimate(rounded, 0)


def test_optional_time_is_estimated_apart(tmp_path):
    estimate = estimate_minutes(_notebook(tmp_path, _with_optional_section()))
    assert estimate.core > 0 and estimate.optional > 0
    assert str(estimate) == f"core {estimate.core} min, optional {estimate.optional} min"


def test_stated_wording_round_trips():
    for estimate in (Estimate(45), Estimate(60, 25)):
        assert parse_stated(f"# 01 · T\n\n{estimate.stated()}\n\nmore") == estimate
    assert Estimate(45).stated() == "**Estimated time:** 45 minutes"
    assert Estimate(60, 25).stated() == "**Estimated time:** core 60 min, optional 25 min"
    assert str(Estimate(45)) == "45 min"
    assert parse_stated("no time here") is None


def test_bad_paths_name_the_argument(tmp_path):
    with pytest.raises(TypeError, match="`path`.*Received: path=3"):
        measure(3)
    with pytest.raises(ValueError, match="`path` must name a readable .ipynb.*nope.ipynb"):
        measure(tmp_path / "nope.ipynb")
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="`path`.*broken.ipynb"):
        estimate_minutes(broken)
    odd = tmp_path / "odd.ipynb"
    odd.write_text(json.dumps({"cells": "none"}), encoding="utf-8")
    with pytest.raises(ValueError, match="odd.ipynb"):
        measure(odd)


def test_calibration_every_estimate_falls_in_the_readers_range():
    table = calibration_table()
    for name, reading in CALIBRATION.items():
        estimate = 5 * -(-RATES.minutes(reading.content) // 5)
        assert reading.low <= estimate <= reading.high, (name, estimate, reading)
        assert f"| {name[:2]} | {reading.stated} | {reading.low}-{reading.high} |" in table


def _reviewed(name: str) -> str | None:
    """The notebook as the readers read it, or None outside a full clone."""
    done = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{REVIEWED}:notebooks/{name}"],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    return done.stdout if done.returncode == 0 else None


@pytest.mark.parametrize("name", list(CALIBRATION))
def test_calibration_counts_are_what_measure_counts_on_the_reviewed_notebooks(name, tmp_path):
    text = _reviewed(name)
    if text is None:
        pytest.skip(f"commit {REVIEWED} is not in this clone")
    nb = json.loads(text)
    for cell in nb["cells"]:  # "$100,000" rendered as currency, as the readers saw it
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"])
            cell["source"] = re.sub(r"(?<![\\$])\$(?=\d{1,3},\d{3})", r"\\$", source)
    path = tmp_path / name
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert measure(path) == (CALIBRATION[name].content, Content())


def test_the_instructor_guide_uses_the_course_times():
    guide = (REPO / "docs" / "instructor.md").read_text(encoding="utf-8")
    rows = {line.split("|")[2].strip(" `"): line for line in guide.splitlines() if "| `" in line}
    for name, _, time in about.COURSE:
        assert name in rows, f"docs/instructor.md's table has no row for {name}"
        assert f"| {time} |" in rows[name], f"docs/instructor.md: {name} is not {time} there"
    core = sum(time.core for _, _, time in about.COURSE)
    optional = sum(time.optional for _, _, time in about.COURSE)
    total = f"**{core} min** ({core // 60} h {core % 60:02d} min)"
    assert total in guide and (not optional or f"{optional} min" in guide)


def test_hours_and_course_total():
    assert about.hours(475) == "7 h 55 min" and about.hours(60) == "1 h 00 min"
    total = about.course_minutes()
    assert total.core == sum(time.core for _, _, time in about.COURSE)
    assert about.course_table().splitlines()[-1].startswith("| | **total** | | **core ")


def test_every_core_fits_an_hour_and_the_course_two_days():
    """Issue 16: each notebook's core at most 60 minutes; the whole core path at most 8 hours
    (a two-day workshop)."""
    for name, _, time in about.COURSE:
        assert time.core <= 60, f"{name}: core {time.core} min is over an hour"
    assert about.course_minutes().core <= 8 * 60
