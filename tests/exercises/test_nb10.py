"""Notebook 10's exercises: the committed cells are unattempted and the Exercises section
needs nothing from the rest of the notebook (that each published solution passes when typed
in is ``tests/exercises/test_sets.py``'s, for every set)."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

from gdcourse.exercises import Status, exercises_in, nb10

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "10_scaling_out.ipynb"


def _exercise_cells() -> dict[str, str]:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    found = {}
    for cell in cells:
        source = "".join(cell["source"])
        match = re.search(r"\b(q\d+)\.check\(", source)
        if cell["cell_type"] == "code" and match:
            found[match.group(1)] = source
    return found


def _run(source: str) -> tuple[dict, str]:
    namespace: dict = {"__name__": "__main__"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "<exercise cell>", "exec"), namespace)
    return namespace, out.getvalue()


def test_every_exercise_has_a_cell():
    assert set(_exercise_cells()) == set(exercises_in(nb10))


def test_the_committed_cells_are_unattempted_and_run_on_their_own():
    # the Exercises section alone, in order, in a fresh namespace (the setup cell only seeds)
    _, printed = _run("\n\n".join(_exercise_cells().values()))
    for name, exercise in exercises_in(nb10).items():  # what `q1` or `ex.q1` in the cells is
        assert exercise.last_status is Status.UNATTEMPTED, (name, printed)


def test_messages_name_the_usual_mistakes():
    import numpy as np

    status, message = nb10.q1.evaluate(lambda losses, b, r, penalty: np.mean(losses) + penalty / r)
    assert status is Status.FAIL and "GLOBAL" in message
    status, message = nb10.q1.evaluate(lambda losses, b, r, penalty: np.sum(losses) / b + penalty)
    assert status is Status.FAIL and "counts it" in message
    status, message = nb10.q1.evaluate(  # right only when the shards are even
        lambda losses, b, r, penalty: np.mean(losses) / r + penalty / r
    )
    assert status is Status.FAIL and "GLOBAL" in message and "shards 3, 3" not in message
    status, message = nb10.q1.evaluate(lambda losses, b, r, penalty: None)
    assert status is Status.FAIL and "returned None" in message
    status, message = nb10.q2.evaluate(  # B_noise: no finite-population factor
        lambda g: np.sum(np.var(g, axis=0)) / np.sum(g.mean(axis=0) ** 2)
    )
    assert status is Status.FAIL and "(n - B)/(n - 1)" in message
    status, message = nb10.q2.evaluate(
        lambda g: np.sum(g.mean(axis=0) ** 2) / np.sum(np.var(g, axis=0))
    )
    assert status is Status.FAIL and "upside down" in message
    status, message = nb10.q2.evaluate(lambda g: None)
    assert status is Status.FAIL and "returned None" in message
    status, message = nb10.q3.evaluate(lambda chief, workers: [json.dumps({"cluster": chief})])
    assert status is Status.FAIL and "processes" in message
    status, message = nb10.q3.evaluate(nb10.q3.wrong_answers[0])
    assert status is Status.FAIL and "counts from 0" in message
    status, message = nb10.q3.evaluate(nb10.q3.wrong_answers[1])
    assert status is Status.FAIL and "two jobs" in message


def test_right_answers_written_differently_pass():
    import numpy as np
    import tensorflow as tf

    def with_tf(losses, global_batch, replicas, penalty):  # what a strategy's loop would write
        data_term = tf.nn.compute_average_loss(losses, global_batch_size=global_batch)
        return float(data_term) + penalty / replicas

    assert nb10.q1.evaluate(with_tf)[0] is Status.PASS

    def with_ddof1(g):  # the n - 1 variance goes with the factor (n - B) / n
        n, s2, signal = len(g), np.sum(np.var(g, axis=0, ddof=1)), np.sum(g.mean(axis=0) ** 2)
        return n * s2 / (s2 + n * signal)

    assert nb10.q2.evaluate(with_ddof1)[0] is Status.PASS

    def by_root_finding(g):  # solving the equation numerically instead of by hand
        n, s2, signal = len(g), np.sum(np.var(g, axis=0)), np.sum(g.mean(axis=0) ** 2)
        low, high = 1e-9, float(n)
        for _ in range(100):  # the noise falls as B grows: bisect on noise - signal
            mid = (low + high) / 2
            low, high = (mid, high) if s2 / mid * (n - mid) / (n - 1) > signal else (low, mid)
        return low

    assert nb10.q2.evaluate(by_root_finding)[0] is Status.PASS


def test_the_crossing_is_where_the_enumerated_noise_meets_the_signal():
    # the reference against the real thing: the noise of every batch of B distinct examples,
    # enumerated, is above the signal below the crossing and below it above
    import itertools

    import numpy as np

    grads = np.random.default_rng(0).normal(loc=0.4, size=(9, 3))
    full = grads.mean(axis=0)
    crossing = nb10.q2.reference(grads)
    assert 1 < crossing < len(grads)
    for batch in range(1, len(grads) + 1):
        batches = itertools.combinations(range(len(grads)), batch)
        noise = np.mean([np.sum((grads[list(b)].mean(axis=0) - full) ** 2) for b in batches])
        assert (noise > np.sum(full**2)) == (batch < crossing), batch


def test_no_message_prints_the_answer():
    # a wrong answer's message names the mistake, not the expected value of the case
    import numpy as np

    for exercise, wrong in ((nb10.q1, lambda losses, b, r, p: 1.0), (nb10.q2, lambda g: 1.0)):
        status, message = exercise.evaluate(wrong)
        case = nb10._loss_cases()[0] if exercise is nb10.q1 else (nb10._crossing_cases()[0],)
        want = exercise.reference(*case)
        assert status is Status.FAIL
        assert f"{want:.4g}" not in message and f"{want:.6g}" not in message, message
        assert np.isfinite(want)


def test_a_tuple_of_hosts_is_the_same_tf_config():
    # json.dumps writes a tuple as the same JSON list, so the processes read the same cluster
    def as_tuples(chief, workers):
        cluster = {"chief": (chief,), "worker": tuple(workers)}
        tasks = [("chief", 0), *(("worker", i) for i in range(len(workers)))]
        return tuple({"cluster": cluster, "task": {"type": t, "index": i}} for t, i in tasks)

    assert nb10.q3.evaluate(as_tuples)[0] is Status.PASS
    status, message = nb10.q3.evaluate(
        lambda chief, workers: (
            [{"cluster": {"chief": [chief], "worker": workers}, "task": {"index": {0}}}]
            * (len(workers) + 1)
        )
    )
    assert status is Status.FAIL and "json.dumps" in message
