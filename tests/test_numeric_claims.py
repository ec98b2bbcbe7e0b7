"""Every number the prose states is one the notebook prints or runs (issue 16, section 3).

The rules are in tests/claims.py. Declared exceptions (with reasons) live in
tests/numeric_claims_exceptions.txt; what the 2026-12-04 reading left to fix lives in
tests/numeric_claims_known.txt (``python -m tests.claims --write-known`` regenerates it).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from tests import claims

PATHS = claims.all_paths()


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_every_numeric_claim_is_backed(path: Path) -> None:
    found = claims.check_path(path)
    new = claims.unexplained(found)
    assert not new, (
        "numbers the outputs do not back (fix, or declare with a reason):\n"
        + "\n".join(map(str, new))
    )
    stale = claims.stale_known(path.name, found)
    assert not stale, (
        "fixed, so drop from the known list (python -m tests.claims --write-known):\n"
        + ("\n".join(stale))
    )


def test_exceptions_have_reasons() -> None:
    for key, reason in claims._read_keys(claims.EXCEPTIONS_FILE).items():
        assert reason.strip(), f"exception without a reason: {key!r}"


# ----------------------------------------------------------------- the rules, on small examples


def _nb(tmp_path: Path, *cells: tuple[str, str, str]) -> Path:
    """A notebook of (kind, source, printed output) cells."""
    nb = nbformat.v4.new_notebook()
    for kind, source, printed in cells:
        if kind == "md":
            nb.cells.append(nbformat.v4.new_markdown_cell(source))
        else:
            cell = nbformat.v4.new_code_cell(source)
            if printed:
                cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=printed)]
            nb.cells.append(cell)
    path = tmp_path / "99_example.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize(
    "prose, printed, backed",
    [
        ("The loss ends at 0.73.", "loss 0.7312", True),
        ("The loss ends at 0.73.", "loss 0.7349", True),
        ("The loss ends at 0.7312.", "loss 0.73", False),
        ("The loss ends at 0.74.", "loss 0.73", False),
        ("The loss ends at 0.001.", "loss 0", False),
        ("Momentum reached 12% of the starts.", "fraction 0.12", True),
        ("Momentum reached 12% of the starts.", "reached 12.3%", True),
        ("Momentum reached 13% of the starts.", "reached 12.3%", False),
        ("Heavy ball is 3.4x faster.", "speed-up 3.4x", True),
        ("Heavy ball is 3.4 times faster.", "speed-up 3.41", True),
        ("We use 12,384 rows.", "rows: 12384", True),
        ("We use 12,385 rows.", "rows: 12384", False),
        ("It escaped at step 17.", "escaped at step 18", False),
        ("About 1,000 runs.", "runs 986", True),
        ("About 100 batches.", "batches 62", False),
        ("More than 90% of the time.", "hit 93.2%", True),
        ("Up to 294 batches.", "batches 100", False),
        ("Python 3.10 or newer, 3 seeds, 2 layers, in 1964.", "", True),
        ("The rate is $\\eta = 0.05$, and $\\epsilon = 10^{-7}$.", "lr = 0.05", True),
        ("The bound is $1.9 \\times 10^{-7}$.", "max |diff| = 1.9e-07", True),
        ("In units of $100,000.", "", True),
        ("Goyal et al. saw it beyond batches of 8,192.", "", True),
    ],
)
def test_claim_rules(tmp_path: Path, prose: str, printed: str, backed: bool) -> None:
    path = _nb(tmp_path, ("code", "print(...)", printed), ("md", prose, ""))
    assert (claims.check_notebook(path) == []) is backed, claims.check_notebook(path)


def test_pointers_resolve(tmp_path: Path) -> None:
    path = _nb(
        tmp_path,
        ("code", "x = 1", ""),
        ("md", "The last line printed says so; see notebook 42.", ""),
        ("code", "print(1)", "1"),
        ("md", "As printed above. See notebook 03 (section *No such heading*).", ""),
    )
    found = {(v.cell, v.number) for v in claims.check_notebook(path)}
    assert (1, "The last line printed") in found
    assert (1, "notebook 42") in found
    assert (3, "section 'no such heading'") in found
    assert not any(v.cell == 3 and "printed" in v.number for v in claims.check_notebook(path))


def test_exercise_prompts_are_not_claims(tmp_path: Path) -> None:
    path = _nb(tmp_path, ("md", "## Exercises\n\nThe loss is 0.123 at step 40.", ""))
    assert claims.check_notebook(path) == []
