"""Exercises of notebook 09 (the AAPL LSTM project)."""

from __future__ import annotations

import numpy as np

from gdcourse.exercises import Status, nb09


def test_learner_code_that_raises_is_an_error_not_a_crash():
    def broken(series, window):
        raise ZeroDivisionError("oops")

    assert nb09.q1.evaluate(broken)[0] is Status.ERROR


def test_messages_name_the_classic_mistakes():
    cases = [
        (nb09.q1, 0, "after"),  # target = the window's last day
        (nb09.q2, 0, "percentage"),
        (nb09.q2, 1, "previous actual close"),
        (nb09.q3, 0, "only use prices up to today"),
    ]
    for exercise, index, words in cases:
        status, message = exercise.evaluate(exercise.wrong_answers[index])
        assert status is Status.FAIL and words in message, (exercise.title, message)


def test_window_exercise_accepts_lstm_shaped_inputs():
    def with_feature_axis(series, window):
        X, y = nb09._create_sequences(series, window)
        return X[..., None], y

    assert nb09.q1.evaluate(with_feature_axis)[0] is Status.PASS
    assert nb09.q1.evaluate(lambda s, w: (np.zeros(3), np.zeros(3)))[0] is Status.FAIL
