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

    status, message = nb10.q1.evaluate(lambda losses, global_batch: float(np.mean(losses)))
    assert status is Status.FAIL and "GLOBAL" in message
    status, message = nb10.q1.evaluate(lambda losses, global_batch: None)
    assert status is Status.FAIL and "returned None" in message
    ddof1 = nb10.q2.evaluate(
        lambda g: np.sum(np.var(g, axis=0, ddof=1)) / np.sum(g.mean(axis=0) ** 2)
    )
    assert ddof1[0] is Status.PASS, ddof1
    status, message = nb10.q3.evaluate(lambda hosts, index: json.dumps({"cluster": hosts}))
    assert status is Status.FAIL and "json.dumps" in message


def test_a_tuple_of_hosts_is_the_same_tf_config():
    # json.dumps writes a tuple as the same JSON list, so the workers read the same cluster
    def as_tuple(hosts, index):
        return {"cluster": {"worker": tuple(hosts)}, "task": {"type": "worker", "index": index}}

    assert nb10.q3.evaluate(as_tuple)[0] is Status.PASS
    status, message = nb10.q3.evaluate(
        lambda hosts, index: {"cluster": {"worker": hosts}, "task": {"index": {index}}}
    )
    assert status is Status.FAIL and "json.dumps" in message
