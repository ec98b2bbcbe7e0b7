"""Exercises of notebooks 04 and 05: references pass, known wrong answers fail helpfully,
the ``____`` placeholder (alone or inside a half-written function) is "not attempted"."""

from __future__ import annotations

import importlib
import importlib.util

import pytest

from gdcourse.exercises import Status, ____, exercises_in, self_check

SETS = [m for m in ("nb04", "nb05") if importlib.util.find_spec(f"gdcourse.exercises.{m}")]
CASES = [
    (name, q)
    for name in SETS
    for q in exercises_in(importlib.import_module(f"gdcourse.exercises.{name}"))
]


def _exercise(module: str, q: str):
    return getattr(importlib.import_module(f"gdcourse.exercises.{module}"), q)


@pytest.mark.parametrize("module", SETS)
def test_set_is_sound_and_has_two_to_four_exercises(module):
    mod = importlib.import_module(f"gdcourse.exercises.{module}")
    assert self_check(mod) == []
    assert 2 <= len(exercises_in(mod)) <= 4


@pytest.mark.parametrize(("module", "q"), CASES)
def test_reference_passes(module, q, capsys):
    ex = _exercise(module, q)
    assert ex.check(ex.reference) is Status.PASS
    assert capsys.readouterr().out.startswith("✓ Correct")


@pytest.mark.parametrize(("module", "q"), CASES)
def test_known_wrong_answers_fail_with_a_message(module, q):
    ex = _exercise(module, q)
    assert ex.wrong_answers, f"{module}.{q} has no known wrong answer"
    for wrong in ex.wrong_answers:
        status, message = ex.evaluate(wrong)
        assert status is Status.FAIL, (wrong, status, message)
        assert "should" in message or "got" in message, message


@pytest.mark.parametrize(("module", "q"), CASES)
def test_placeholder_is_unattempted(module, q, capsys):
    ex = _exercise(module, q)
    assert ex.check(____) is Status.UNATTEMPTED
    assert "Not attempted" in capsys.readouterr().out


@pytest.mark.skipif("nb04" not in SETS, reason="nb04 not written yet")
def test_nb04_half_written_adam_step_is_unattempted():
    from gdcourse.exercises import nb04

    def adam_step(w, m, v, g, t, lr, beta_1, beta_2, epsilon):
        m = beta_1 * m + (1 - beta_1) * g
        v = ____
        return w, m, v

    assert nb04.q1.evaluate(adam_step)[0] is Status.UNATTEMPTED


@pytest.mark.skipif("nb04" not in SETS, reason="nb04 not written yet")
def test_nb04_messages_point_at_the_first_wrong_step():
    from gdcourse.exercises import nb04

    no_correction = nb04.q1.wrong_answers[0]
    status, message = nb04.q1.evaluate(no_correction)
    assert status is Status.FAIL and message.startswith("step 1 of 8 differs: w should be")
    corrected_state = nb04.q1.wrong_answers[1]  # right w at step 1, but the corrected m kept
    assert nb04.q1.evaluate(corrected_state)[1].startswith("step 1 of 8 differs: m should be")
    assert nb04.q2.evaluate(1.0)[1] == "answer should be 3.16228, got 1"
