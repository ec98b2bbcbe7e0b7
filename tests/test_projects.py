"""The two project notebooks (08, 09): their exercises, and the results they commit.

The exercise tests run each reference solution through its checker (PASS) and each known
wrong answer (FAIL, with a message that names the mistake). The results tests read the
committed notebooks with nbformat, without re-executing them (nbval does that), and check
that the printed results tables are there and say what the README promises.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from gdcourse.exercises import Status

REPO = Path(__file__).resolve().parents[1]
NB08 = REPO / "notebooks" / "08_project_california_housing.ipynb"
NB09 = REPO / "notebooks" / "09_project_aapl_lstm.ipynb"


# ---------------------------------------------------------------------------- exercises


def test_learner_code_that_raises_is_an_error_not_a_crash():
    from gdcourse.exercises import nb09

    def broken(series, window):
        raise ZeroDivisionError("oops")

    assert nb09.q1.evaluate(broken)[0] is Status.ERROR


def test_messages_name_the_classic_mistakes():
    from gdcourse.exercises import nb08, nb09

    cases = [
        (nb08.q1, 0, "leakage"),  # the test set's own mean
        (nb08.q1, 1, "square root"),
        (nb08.q3, 0, "training loss"),
        (nb08.q3, 1, "counted from 1"),
        (nb09.q1, 0, "after"),  # target = the window's last day
        (nb09.q2, 0, "percentage"),
        (nb09.q2, 1, "previous actual close"),
        (nb09.q3, 0, "only use prices up to today"),
    ]
    for exercise, index, words in cases:
        status, message = exercise.evaluate(exercise.wrong_answers[index])
        assert status is Status.FAIL and words in message, (exercise.title, message)


def test_window_exercise_accepts_lstm_shaped_inputs():
    import numpy as np

    from gdcourse.exercises import nb09

    def with_feature_axis(series, window):
        X, y = nb09._create_sequences(series, window)
        return X[..., None], y

    assert nb09.q1.evaluate(with_feature_axis)[0] is Status.PASS
    assert nb09.q1.evaluate(lambda s, w: (np.zeros(3), np.zeros(3)))[0] is Status.FAIL


# ---------------------------------------------------------------- committed notebook results
def _printed(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    texts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stdout":
                texts.append(output["text"])
    return "".join(texts)


def _number(text: str, pattern: str) -> float:
    match = re.search(pattern, text)
    assert match, f"no line matching {pattern!r} in the printed output"
    return float(match.group(1))


def test_housing_results_table_is_committed_and_meets_the_target():
    text = _printed(NB08)
    for row in ("mean baseline", "linear regression", "gradient boosting (HGB)", "MLP"):
        assert re.search(rf"^{re.escape(row)}.*\s\d\.\d{{3}}$", text, re.M), row
    baseline = _number(text, r"baseline_rmse = (\d\.\d+)")
    test_rmse = _number(text, r"test_rmse = (\d\.\d+)")
    assert baseline == pytest.approx(0.746, abs=0.002)  # linear regression on this split
    assert test_rmse <= 0.50  # the project's target, in $100k
    assert test_rmse < baseline


def test_housing_test_set_is_read_once_at_the_end():
    nb = nbformat.read(NB08, as_version=4)
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    uses = [i for i, s in enumerate(sources) if re.search(r"\b[Xy]_test\b", s)]
    split = next(i for i, s in enumerate(sources) if "train_test_split(" in s)
    scoring = [i for i in uses if i != split]
    assert scoring and scoring[0] > len(sources) // 2, "the test set is used before the end"


def test_aapl_results_table_is_committed():
    text = _printed(NB09)
    for row in ("persistence", "moving average", "drift", "LSTM, classic", "LSTM on returns"):
        assert re.search(rf"^{re.escape(row)}.*\$?\s+\d+\.\d\d", text, re.M), row
    lstm = _number(text, r"lstm_rmse = (\d+\.\d+)")
    persistence = _number(text, r"persistence_rmse = (\d+\.\d+)")
    assert 0 < persistence < 10 and 0 < lstm < 20  # dollars, for a ~$130-180 stock
