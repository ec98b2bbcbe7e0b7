"""Exercises of notebook 01 (the update rule)."""

from __future__ import annotations

import numpy as np

from gdcourse.exercises import Status, ____, nb01


def test_messages_name_the_mistake():
    assert "steepest direction" in nb01.q2.evaluate(nb01.q2.wrong_answers[0])[1]
    assert "converges (oscillating)" in nb01.q2.evaluate(nb01.q2.wrong_answers[1])[1]
    assert "its own mean" in nb01.q3.evaluate(nb01.q3.wrong_answers[0])[1]
    assert "leaks the test set" in nb01.q3.evaluate(nb01.q3.wrong_answers[1])[1]
    assert nb01.q2.evaluate((____, ____))[0] is Status.UNATTEMPTED


def test_rates_rounded_to_three_figures_pass_two_figures_are_named():
    assert nb01.q2.evaluate((0.04, 0.0385))[0] is Status.PASS
    status, message = nb01.q2.evaluate((0.04, 0.038))
    assert status is Status.FAIL and "3 significant figures" in message


def test_sample_standard_deviation_passes_with_a_note():
    def standardize(X_train, X_test):
        mean, std = X_train.mean(axis=0), X_train.std(axis=0, ddof=1)
        return (X_train - mean) / std, (X_test - mean) / std

    status, message = nb01.q3.evaluate(standardize)
    assert status is Status.PASS and "ddof=1" in message


def test_learner_code_that_raises_is_an_error_not_a_crash():
    def broken(X_train, X_test):
        return X_train.mean(axis=5)

    assert nb01.q3.evaluate(broken)[0] is Status.ERROR


def test_a_tiny_difference_is_shown_with_enough_digits():
    status, message = nb01.q1.evaluate(lambda w, g, lr: w - lr * g * (1 + 1e-5))
    assert status is Status.FAIL and "largest difference" in message
    shown = message.split("should be ")[1].split(" (largest")[0]
    want, got = shown.split(", got ")
    assert want != got
    assert np.isfinite(nb01.q2.reference[1])


def test_two_numbers_as_an_array_pass():
    assert nb01.q2.evaluate(np.array([2 / 50, 2 / 52]))[0] is Status.PASS
    assert nb01.q2.evaluate(np.array([2 / 2, 2 / 52]))[0] is Status.FAIL


def test_statistics_along_the_wrong_axis_are_named():
    def by_row(X_train, X_test):
        mean, std = X_train.mean(axis=1), X_train.std(axis=1)
        return (X_train - mean) / std, (X_test - mean) / std

    status, message = nb01.q3.evaluate(by_row)
    assert status is Status.FAIL and "axis=0" in message


def test_q2_rejects_text_like_every_value_check(capsys):
    from gdcourse.exercises import Status, nb01

    assert nb01.q2.check(("0.04", "0.0385")) is Status.FAIL
    assert "not text" in capsys.readouterr().out
