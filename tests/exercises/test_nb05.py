"""Exercises of notebook 05 (learning-rate schedules)."""

from __future__ import annotations

from gdcourse.exercises import Status, nb05


def test_rounded_rate_passes_and_epochs_as_periods_are_named():
    assert nb05.q1.evaluate(0.00284)[0] is Status.PASS
    assert nb05.q1.evaluate(0.1 * 0.5 ** (5140 / 1000))[0] is Status.PASS
    status, message = nb05.q1.evaluate(0.1 * 0.5**20)
    assert status is Status.FAIL and "decay_steps counts optimizer steps" in message


def test_rate_matches_keras_over_a_real_epoch_count():
    """The expected rate is Keras's own schedule at 20 * ceil(16400 / 64) = 5140 steps."""
    import keras

    keras_rate = keras.optimizers.schedules.ExponentialDecay(0.1, 1000, 0.5)
    assert nb05.q1.evaluate(float(keras_rate(20 * 257)))[0] is Status.PASS


def test_wrong_answers_do_not_reveal_the_answer_and_typical_ones_are_named():
    notebook_steps = 0.1 * 0.5 ** (20 * 387 / 1000)
    for answer in (0.05, 0.1, notebook_steps, *nb05.q1.wrong_answers):
        status, message = nb05.q1.evaluate(answer)
        assert status is Status.FAIL and "0.00284" not in message and "0.002836" not in message
    assert "step 0" in nb05.q1.evaluate(0.1)[1]
    assert "387 steps per epoch" in nb05.q1.evaluate(notebook_steps)[1]
    assert "staircase" in nb05.q1.evaluate(0.1 * 0.5**5)[1]


def test_dropping_the_partial_batch_fails_and_is_named():
    """16,400 rows are 256.25 batches of 64: 256 steps per epoch instead of 257 is 1.4% off."""
    status, message = nb05.q1.evaluate(0.1 * 0.5 ** (20 * 256 / 1000))
    assert status is Status.FAIL and "partial batch" in message


def test_unrounded_steps_per_epoch_fail():
    """20 * 16400 / 64 = 5125 steps, not rounded up to whole batches, is 1.0% off: outside."""
    status, message = nb05.q1.evaluate(0.1 * 0.5 ** (20 * 16400 / 64 / 1000))
    assert status is Status.FAIL and "partial batch" in message


def test_one_epoch_off_fails():
    """19 or 21 epochs are 16-19% off: the tolerance must not accept them."""
    for epochs in (19, 21):
        answer = 0.1 * 0.5 ** (epochs * 257 / 1000)
        assert nb05.q1.evaluate(answer)[0] is Status.FAIL


def test_scheduler_messages():
    assert "epoch 0" in nb05.q3.evaluate(nb05.q3.wrong_answers[0])[1]
    assert "float" in nb05.q3.evaluate(nb05.q3.wrong_answers[3])[1]


def test_scheduler_mistakes_are_named_without_the_rates():
    for wrong, phrase in zip(
        nb05.q3.wrong_answers[:3], ("from epoch 0", "one epoch late", "compound"), strict=True
    ):
        status, message = nb05.q3.evaluate(wrong)
        assert status is Status.FAIL and phrase in message, message
        assert "0.04" not in message and "0.032" not in message
    odd = nb05.q3.evaluate(lambda epoch, lr: lr * 0.5 if epoch == 5 else lr)
    assert odd[0] is Status.FAIL and "epoch 3" in odd[1] and "0.04" not in odd[1]
    assert nb05.q3.evaluate(nb05._scheduler)[0] is Status.PASS


def _steps_by_loop(threshold, lr0, decay_steps, rate):
    drops = 0
    while lr0 * rate**drops >= threshold:
        drops += 1
    return drops * decay_steps


def test_first_step_below_against_keras():
    """The reference agrees with Keras's own ExponentialDecay(staircase=True) on every case."""
    import keras

    for threshold, lr0, decay_steps, rate in nb05._Q2_CASES:
        step = nb05._first_step_below(threshold, lr0, decay_steps, rate)
        keras_rate = keras.optimizers.schedules.ExponentialDecay(
            lr0, decay_steps, rate, staircase=True
        )
        assert float(keras_rate(step)) < threshold
        if step > 0:
            assert float(keras_rate(step - 1)) >= threshold * (1 - 1e-6)


def test_first_step_below_accepts_other_right_answers_and_names_mistakes():
    assert nb05.q2.evaluate(_steps_by_loop)[0] is Status.PASS
    assert nb05.q2.evaluate(lambda *a: float(_steps_by_loop(*a)))[0] is Status.PASS
    for wrong, phrase in zip(
        nb05.q2.wrong_answers, ("smooth curve", "strictly below", "counts drops"), strict=True
    ):
        status, message = nb05.q2.evaluate(wrong)
        assert status is Status.FAIL and phrase in message, message
    status, message = nb05.q2.evaluate(lambda *a: _steps_by_loop(*a) + a[2])
    assert status is Status.FAIL and "got there earlier" in message
    for _status, message in (nb05.q2.evaluate(w) for w in nb05.q2.wrong_answers):
        assert "2000" not in message and "440000" not in message
