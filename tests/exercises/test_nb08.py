"""Exercises of notebook 08 (the California housing project)."""

from __future__ import annotations

import numpy as np
import pytest

from gdcourse.exercises import Status, nb08


def test_messages_name_the_classic_mistakes():
    cases = [
        (nb08.q1, 0, "the median"),  # the training mean: right for squared error only
        (nb08.q1, 1, "leakage"),  # the test set's own median
        (nb08.q1, 2, "mean absolute error"),
        (nb08.q2, 0, "2 pi"),
        (nb08.q2, 1, "not |a| + |b|"),
        (nb08.q2, 2, "one per column"),
        (nb08.q2, 3, "one coordinate only"),
        (nb08.q2, 4, "half a wave"),
        (nb08.q3, 0, "min_delta"),
        (nb08.q3, 1, "not with the previous epoch"),
        (nb08.q3, 2, "the best epoch"),
        (nb08.q3, 3, "not the one after"),
        (nb08.q3, 4, "counted from 1"),
    ]
    for exercise, index, words in cases:
        status, message = exercise.evaluate(exercise.wrong_answers[index])
        assert status is Status.FAIL and words in message, (exercise.title, message)


def test_answers_written_differently_pass():
    assert (
        nb08.q1.evaluate(lambda tr, te: float(np.abs(te - np.percentile(tr, 50)).mean()))[0]
        is Status.PASS
    )
    assert nb08.q2.evaluate(lambda f: 2 * np.pi / np.hypot(f[0], f[1]))[0] is Status.PASS


def test_an_answer_that_never_stops_is_told_so():
    status, message = nb08.q3.evaluate(lambda v, p, d: len(v))
    assert status is Status.FAIL and "never fired" in message, message


def test_an_epoch_given_as_a_float_passes():
    assert nb08.q3.evaluate(lambda v, p, d: float(nb08._stop_epoch(v, p, d)))[0] is Status.PASS


def test_no_message_gives_the_stop_epoch_away():
    for wrong in (lambda v, p, d: 99, lambda v, p, d: None, *nb08.q3.wrong_answers):
        status, message = nb08.q3.evaluate(wrong)
        assert status is Status.FAIL
        for losses, patience, min_delta in nb08._STOP_CASES:
            want = nb08._stop_epoch(losses, patience, min_delta)
            assert f"epoch {want}" not in message and f"is {want}" not in message, message


class _Run:
    """The one attribute EarlyStopping touches on its model."""

    stop_training = False


def _keras_stop_epoch(losses, patience, min_delta):
    keras = pytest.importorskip("keras")
    callback = keras.callbacks.EarlyStopping(patience=patience, min_delta=min_delta)
    run = _Run()
    callback.set_model(run)
    callback.on_train_begin()
    for epoch, loss in enumerate(losses):
        callback.on_epoch_end(epoch, {"val_loss": loss})
        if run.stop_training:
            return epoch + 1
    return len(losses)


@pytest.mark.parametrize("case", range(len(nb08._STOP_CASES)))
def test_the_stop_epoch_is_the_one_keras_early_stopping_gives(case):
    losses, patience, min_delta = nb08._STOP_CASES[case]
    assert nb08._stop_epoch(losses, patience, min_delta) == _keras_stop_epoch(
        losses, patience, min_delta
    )


def test_q1_pandas_methods_pass_as_in_the_notebook():
    # y_train and y_test are pandas Series in the notebook; the checker passes Series too
    status, message = nb08.q1.evaluate(lambda tr, te: (te - tr.median()).abs().mean())
    assert status is Status.PASS, message


def test_q2_an_unrecognised_answer_is_not_told_the_formula():
    status, message = nb08.q2.evaluate(lambda f: 3 * np.linalg.norm(f, axis=0))
    assert status is Status.FAIL
    assert "sqrt" not in message and "2 pi" not in message, message
