"""Exercises of notebook 08 (the California housing project)."""

from __future__ import annotations

import numpy as np

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
        (nb08.q3, 0, "training loss"),
        (nb08.q3, 1, "counted from 1"),
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


def test_an_epoch_given_as_a_float_passes():
    assert nb08.q3.evaluate(lambda h: float(np.argmin(h["val_loss"]) + 1))[0] is Status.PASS
