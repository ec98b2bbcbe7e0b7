"""Exercises of notebook 08 (the California housing project)."""

from __future__ import annotations

import numpy as np

from gdcourse.exercises import Status, nb08


def test_messages_name_the_classic_mistakes():
    cases = [
        (nb08.q1, 0, "leakage"),  # the test set's own mean
        (nb08.q1, 1, "square root"),
        (nb08.q2, 0, "sines first"),
        (nb08.q3, 0, "training loss"),
        (nb08.q3, 1, "counted from 1"),
    ]
    for exercise, index, words in cases:
        status, message = exercise.evaluate(exercise.wrong_answers[index])
        assert status is Status.FAIL and words in message, (exercise.title, message)


def test_interleaved_and_transposed_features_are_named():
    def interleaved(coords, freq):
        z = coords @ freq
        out = np.empty((len(z), 2 * z.shape[1]))
        out[:, 0::2], out[:, 1::2] = np.sin(z), np.cos(z)
        return out

    assert "interleaved" in nb08.q2.evaluate(interleaved)[1]
    status, message = nb08.q2.evaluate(lambda c, f: np.hstack([np.sin(c @ f), np.cos(c @ f)]).T)
    assert status is Status.FAIL and ("transposed" in message or "shape" in message)


def test_an_epoch_given_as_a_float_passes():
    assert nb08.q3.evaluate(lambda h: float(np.argmin(h["val_loss"]) + 1))[0] is Status.PASS
