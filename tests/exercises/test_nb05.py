"""Exercises of notebook 05 (learning-rate schedules)."""

from __future__ import annotations

from gdcourse.exercises import Status, nb05


def test_rounded_rate_passes_and_epochs_as_periods_are_named():
    assert nb05.q1.evaluate(0.0947)[0] is Status.PASS
    status, message = nb05.q1.evaluate(0.1 * 0.9**20)
    assert status is Status.FAIL and "decay_steps counts optimizer steps" in message


def test_wrong_answers_do_not_reveal_the_answer_and_typical_ones_are_named():
    for answer in (0.05, 0.1, 0.1 * 0.9 ** (20 * 387 / 10_000), *nb05.q1.wrong_answers):
        status, message = nb05.q1.evaluate(answer)
        assert status is Status.FAIL and "0.094" not in message and "0.095" not in message
    assert "step 0" in nb05.q1.evaluate(0.1)[1]
    assert "387 steps per epoch" in nb05.q1.evaluate(0.1 * 0.9 ** (20 * 387 / 10_000))[1]


def test_one_epoch_off_fails():
    """19 or 21 epochs are 0.27% away from 20: the tolerance must not accept them."""
    for epochs in (19, 21):
        answer = 0.1 * 0.9 ** (epochs * 258 / 10_000)
        assert nb05.q1.evaluate(answer)[0] is Status.FAIL


def test_scheduler_messages():
    assert "epoch 0" in nb05.q3.evaluate(nb05.q3.wrong_answers[0])[1]
    assert "float" in nb05.q3.evaluate(nb05.q3.wrong_answers[3])[1]
