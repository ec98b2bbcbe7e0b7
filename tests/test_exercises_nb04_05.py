"""Exercises of notebooks 04 and 05: messages specific to these sets (the checks every set
must pass are in test_exercise_sets.py)."""

from __future__ import annotations

from gdcourse.exercises import Status, ____


def test_nb04_half_written_adam_step_is_unattempted():
    from gdcourse.exercises import nb04

    def adam_step(w, m, v, g, t, lr, beta_1, beta_2, epsilon):
        m = beta_1 * m + (1 - beta_1) * g
        v = ____
        return w, m, v

    assert nb04.q1.evaluate(adam_step)[0] is Status.UNATTEMPTED


def test_nb04_messages_point_at_the_first_wrong_step():
    from gdcourse.exercises import nb04

    no_correction = nb04.q1.wrong_answers[0]
    status, message = nb04.q1.evaluate(no_correction)
    assert status is Status.FAIL and message.startswith("step 1 of 8 differs: w should be")
    corrected_state = nb04.q1.wrong_answers[1]  # right w at step 1, but the corrected m kept
    assert nb04.q1.evaluate(corrected_state)[1].startswith("step 1 of 8 differs: m should be")
    assert nb04.q2.evaluate(1.0)[1] == "answer should be 3.16228, got 1"
