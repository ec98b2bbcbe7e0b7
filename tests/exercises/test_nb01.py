"""Exercises of notebook 01 (the update rule)."""

from __future__ import annotations

import re

import numpy as np

from gdcourse.exercises import Status, ____, nb01


def test_messages_name_the_mistake():
    assert "steepest direction" in nb01.q2.evaluate(nb01.q2.wrong_answers[0])[1]
    assert "converges (oscillating)" in nb01.q2.evaluate(nb01.q2.wrong_answers[1])[1]
    assert "its own minimum" in nb01.q3.evaluate(nb01.q3.wrong_answers[0])[1]
    assert "leaks the test set" in nb01.q3.evaluate(nb01.q3.wrong_answers[1])[1]
    assert "not its max" in nb01.q3.evaluate(nb01.q3.wrong_answers[2])[1]
    assert "clipped" in nb01.q3.evaluate(nb01.q3.wrong_answers[3])[1]
    assert nb01.q2.evaluate((____, ____, ____))[0] is Status.UNATTEMPTED


def test_rates_rounded_to_three_figures_pass_two_figures_are_named():
    assert nb01.q2.evaluate((0.04, 0.0385, 173))[0] is Status.PASS
    status, message = nb01.q2.evaluate((0.04, 0.038, 173))
    assert status is Status.FAIL and "3 significant figures" in message


def test_min_max_written_differently_passes_and_standardizing_is_named():
    def scale(X_train, X_test):  # np.ptp is max - min; sklearn-style, fitted on train
        low, span = X_train.min(0), np.ptp(X_train, axis=0)
        return [(X - low) / span for X in (X_train, X_test)]

    assert nb01.q3.evaluate(scale)[0] is Status.PASS

    def standardize(X_train, X_test):
        mean, std = X_train.mean(axis=0), X_train.std(axis=0)
        return (X_train - mean) / std, (X_test - mean) / std

    status, message = nb01.q3.evaluate(standardize)
    assert status is Status.FAIL and "standardization" in message


def test_learner_code_that_raises_is_an_error_not_a_crash():
    def broken(X_train, X_test):
        return X_train.min(axis=5)

    assert nb01.q3.evaluate(broken)[0] is Status.ERROR


def test_a_tiny_difference_is_shown_with_enough_digits():
    def slightly_off(w, lr):
        return w - lr * np.array([2 * (w[0] - 1), 8 * w[1]]) * (1 + 1e-5)

    status, message = nb01.q1.evaluate(slightly_off)
    assert status is Status.FAIL and re.search(r"by about \de-0\d relative, close", message)
    assert np.isfinite(nb01.q2.reference[1])


def test_two_numbers_as_an_array_pass():
    assert nb01.q2.evaluate(np.array([2 / 50, 2 / 52, 173]))[0] is Status.PASS
    assert nb01.q2.evaluate(np.array([2 / 2, 2 / 52, 173]))[0] is Status.FAIL


def test_statistics_along_the_wrong_axis_are_named():
    def by_row(X_train, X_test):
        low, high = X_train.min(axis=1), X_train.max(axis=1)
        return (X_train - low) / (high - low), (X_test - low) / (high - low)

    status, message = nb01.q3.evaluate(by_row)
    assert status is Status.FAIL and "axis=0" in message


def test_q2_rejects_text_like_every_value_check(capsys):
    from gdcourse.exercises import Status, nb01

    assert nb01.q2.check(("0.04", "0.0385", "173")) is Status.FAIL
    assert "not text" in capsys.readouterr().out


def test_q1_gradient_slips_are_named_and_other_spellings_pass():
    messages = [nb01.q1.evaluate(wrong)[1] for wrong in nb01.q1.wrong_answers]
    assert "uphill" in messages[0] and "learning rate" in messages[1]
    assert "derivative of u^2 is 2u" in messages[2]

    def by_components(w, lr):  # lists in, a list out: a right answer written differently
        w1, w2 = w
        return [w1 - lr * 2 * (w1 - 1), w2 - lr * 8 * w2]

    assert nb01.q1.evaluate(by_components)[0] is Status.PASS
    status, message = nb01.q1.evaluate(lambda w, lr: w - lr * np.array([2 * w[0], 8 * w[1]]))
    assert status is Status.FAIL and "lost the shift" in message
    status, message = nb01.q1.evaluate(lambda w, lr: w - lr * np.array([2 * (w[0] - 1), 4 * w[1]]))
    assert status is Status.FAIL and "4 w2^2" in message


def test_no_q1_message_prints_the_gradient_formula():
    for wrong in nb01.q1.wrong_answers:
        assert "(2 (w1 - 1), 8 w2)" not in nb01.q1.evaluate(wrong)[1]


def test_no_q3_failure_message_prints_the_formula():
    for wrong in nb01.q3.wrong_answers:
        message = nb01.q3.evaluate(wrong)[1]
        assert "(X - low) / (high - low)" not in message and "X_train.min(axis=0)" not in message


def test_q1_copying_the_notebooks_x_squared_step_is_named():
    status, message = nb01.q1.evaluate(lambda w, lr: w - lr * 2 * w)
    assert status is Status.FAIL and "Q1's f" in message and "x^2" in message


def test_q1_a_learning_rate_written_into_the_step_fails():
    def fixed_rate(w, lr):
        return w - 0.1 * np.array([2 * (w[0] - 1), 8 * w[1]])

    status, message = nb01.q1.evaluate(fixed_rate)
    assert status is Status.FAIL and "step 4 of 6" in message and "argument `lr`" in message
    assert [k for k in range(1, 7) if nb01.q1._extra(k, ()) != (0.1,)] == [4, 5, 6]


def test_q1_dropping_the_factor_4_or_returning_the_gradient_is_named():
    messages = [nb01.q1.evaluate(wrong)[1] for wrong in nb01.q1.wrong_answers[4:]]
    assert "factor 4" in messages[0] and "returns the gradient" in messages[1]
    status, message = nb01.q1.evaluate(lambda w, lr: lr * np.array([2 * (w[0] - 1), 8 * w[1]]))
    assert status is Status.FAIL and "not the new weights" in message


def test_q1_a_flipped_shift_and_q2_swapped_rates_are_named():
    status, message = nb01.q1.evaluate(nb01.q1.wrong_answers[-1])
    assert status is Status.FAIL and "sign flipped" in message
    status, message = nb01.q2.evaluate(nb01.q2.wrong_answers[3])
    assert status is Status.FAIL and "swapped" in message
    status, message = nb01.q2.evaluate((0.0385, 0.04, 173))  # rounded to 3 figures, still swapped
    assert status is Status.FAIL and "swapped" in message


def test_q2_steps_slips_are_named_and_a_float_count_passes():
    import math

    assert nb01.q2.evaluate((0.04, 2 / 52, 173.0))[0] is Status.PASS
    # the count straight from the formula, not hard-coded: ceil(log(1e-6) / log(48/52))
    assert nb01.q2.evaluate((0.04, 2 / 52, math.ceil(math.log(1e-6) / math.log(48 / 52))))[0] is (
        Status.PASS
    )
    messages = [nb01.q2.evaluate(wrong)[1] for wrong in nb01.q2.wrong_answers[4:]]
    assert "round the number of steps up" in messages[0]
    assert "squared factor" in messages[1] and "lr = 1/L" in messages[2]
    status, message = nb01.q2.evaluate((0.04, 2 / 52, 172.6))
    assert status is Status.FAIL and "whole number" in message
    status, message = nb01.q2.evaluate((0.04, 2 / 52))
    assert status is Status.FAIL and "three numbers" in message
    assert all("173" not in nb01.q2.evaluate(w)[1] for w in nb01.q2.wrong_answers)
