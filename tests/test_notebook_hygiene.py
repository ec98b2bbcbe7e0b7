"""Every committed notebook reads well on GitHub and follows the course conventions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gdcourse.about import COURSE, REPO_URL, estimate_minutes, readme_table
from gdcourse.pacing import parse_stated

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ABSOLUTE_PATH = re.compile(r"(/root/|/home/|/tmp/|/Users/|/work/|[A-Z]:\\\\)")
TF_NOISE = re.compile(
    r"I0000|E0000|W0000|cuda_|cudart|oneDNN|WARNING:absl|absl::|tensorflow/core|Warning:|"
    r"UserWarning|DeprecationWarning|FutureWarning"
)
PROGRESS_BAR = re.compile(r"\d+/\d+ [━=]{5,}|\[=+>?\.*\]")
MAX_TEXT_CHARS = 6_000  # one text output
MAX_HTML_BYTES = 1_500_000  # one HTML output (animations)
MAX_NOTEBOOK_BYTES = 4_000_000


def _text(output: dict) -> str:
    if "text" in output:
        text = output["text"]
    else:
        text = output.get("data", {}).get("text/plain", "")
    return "".join(text) if isinstance(text, list) else text


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def notebook(request) -> tuple[Path, dict]:
    return request.param, _load(request.param)


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no NN_name.ipynb"


def test_course_list_matches_the_notebooks_folder():
    assert [name for name, _, _ in COURSE] == [p.name for p in NOTEBOOKS]


def test_readme_lists_every_notebook_with_buttons():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme_table() in readme, (
        "README.md's notebook table is out of date; paste the output of\n"
        "python -c 'from gdcourse.about import readme_table; print(readme_table())'"
    )
    for name, _, time in COURSE:
        row = next(line for line in readme.splitlines() if f"`{name}`" in line)
        assert f"| {time} |" in row
        assert "colab.research.google.com" in row and "mybinder.org" in row


def test_executed_in_order_with_outputs(notebook):
    path, nb = notebook
    counts = [c.get("execution_count") for c in nb["cells"] if c["cell_type"] == "code"]
    assert counts, f"{path.name} has no code cells"
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: not run top to bottom once"


def test_no_errors_warnings_or_noise(notebook):
    path, nb = notebook
    for index, cell in enumerate(nb["cells"]):
        for output in cell.get("outputs", []):
            where = f"{path.name} cell {index}"
            assert output["output_type"] != "error", f"{where}: an error output is committed"
            assert output.get("name") != "stderr", f"{where}: stderr output: {_text(output)[:200]}"
            text = _text(output)
            assert not ABSOLUTE_PATH.search(text), f"{where}: absolute path in {text[:200]!r}"
            assert not TF_NOISE.search(text), f"{where}: log noise in {text[:200]!r}"
            assert not PROGRESS_BAR.search(text), f"{where}: a progress bar in the output"
            assert len(text) <= MAX_TEXT_CHARS, f"{where}: a {len(text)}-character text output"
            html = "".join(output.get("data", {}).get("text/html", ""))
            assert len(html.encode()) <= MAX_HTML_BYTES, f"{where}: HTML output too large"


def test_size(notebook):
    path, _ = notebook
    assert path.stat().st_size <= MAX_NOTEBOOK_BYTES


def test_opens_with_objectives_and_time(notebook):
    path, nb = notebook
    first = "".join(nb["cells"][0]["source"])
    assert nb["cells"][0]["cell_type"] == "markdown" and first.startswith("# ")
    stated = parse_stated(first)
    assert stated, f"{path.name}: no **Estimated time:** N minutes (or core N min, optional M min)"
    time = {name: t for name, _, t in COURSE}[path.name]
    assert stated == time, f"{path.name} states {stated}, gdcourse.about.COURSE says {time}"
    assert "By the end of this notebook you will" in first, f"{path.name}: no objectives"


def test_stated_time_is_at_least_the_estimate(notebook):
    path, _ = notebook
    stated = {name: t for name, _, t in COURSE}[path.name]
    estimate = estimate_minutes(path)
    assert stated.core >= estimate.core and stated.optional >= estimate.optional, (
        f"{path.name}: gdcourse.about.COURSE says {stated}, but what the notebook holds takes "
        f"{estimate} (gdcourse.about.estimate_minutes); set COURSE and the notebook's first "
        "cell to at least that, or move material to a 'Going further (optional ...)' section"
    )


def test_setup_cell_uses_the_one_repository_url(notebook):
    path, nb = notebook
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    source = "".join(code["source"])
    assert '"google.colab" in sys.modules' in source
    assert f'%pip install -q "gdcourse @ git+{REPO_URL}"' in source
    assert "gdcourse.setup()" in source
    urls = set(re.findall(r"https://github\.com/[\w.-]+/[\w.-]+", path.read_text("utf-8")))
    assert urls <= {REPO_URL}, f"{path.name} names another repository: {urls - {REPO_URL}}"


def test_exercise_cells_are_left_unattempted(notebook):
    path, nb = notebook
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and re.search(r"\bq\d+\.check\(", source):
            shown = " ".join(_text(o) for o in cell.get("outputs", []))
            assert "PASS" not in shown, f"{path.name}: a solved exercise is committed"
