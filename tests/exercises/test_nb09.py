"""Exercises of notebook 09 (the AAPL LSTM project)."""

from __future__ import annotations

import numpy as np

from gdcourse.exercises import Status, nb09


def test_learner_code_that_raises_is_an_error_not_a_crash():
    def broken(series, window, horizon):
        raise ZeroDivisionError("oops")

    assert nb09.q1.evaluate(broken)[0] is Status.ERROR


def test_messages_name_the_classic_mistakes():
    cases = [
        (nb09.q1, 0, "after"),  # target = the window's last day
        (nb09.q1, 1, "right after its window"),  # the horizon ignored
        (nb09.q1, 2, "one day too late"),
        (nb09.q1, 3, "one window"),  # the notebook's windows, one per day
        (nb09.q2, 0, "percentage"),
        (nb09.q2, 1, "directional accuracy over every day"),
        (nb09.q2, 2, "how often the forecast predicts a rise"),
        (nb09.q2, 3, "divide by the number of days"),
        (nb09.q2, 4, "of the up days"),  # the condition swapped
        (nb09.q3, 0, "only use prices known"),
        (nb09.q3, 1, "forecasts"),  # the horizon ignored: the wrong count
    ]
    for exercise, index, words in cases:
        status, message = exercise.evaluate(exercise.wrong_answers[index])
        assert status is Status.FAIL and words in message, (exercise.title, message)


def test_no_message_prints_the_answer():
    answers = {"np.mean(actual[calls]", "close[:-horizon]", "series[window + horizon - 1"}
    for exercise in (nb09.q1, nb09.q2, nb09.q3):
        for wrong in exercise.wrong_answers:
            message = exercise.evaluate(wrong)[1]
            assert not any(a in message for a in answers), (exercise.title, message)


def test_right_answers_written_differently_pass():
    def windows_by_stride(series, window, horizon):
        view = np.lib.stride_tricks.sliding_window_view(series, window)
        count = len(series) - window - horizon + 1
        return view[:count, :, None], np.asarray(series)[window + horizon - 1 :]

    def hits_by_count(previous, actual, predicted):
        up = [a > p for p, a, f in zip(previous, actual, predicted, strict=True) if f > p]
        return sum(up) / len(up)

    assert nb09.q1.evaluate(windows_by_stride)[0] is Status.PASS
    assert nb09.q2.evaluate(hits_by_count)[0] is Status.PASS
    assert nb09.q3.evaluate(lambda c, h: list(c[: len(c) - h]))[0] is Status.PASS
    assert nb09.q1.evaluate(lambda s, w, h: (np.zeros(3), np.zeros(3)))[0] is Status.FAIL
