"""Exercises of notebook 04 (AdaGrad, RMSProp, Adam)."""

from __future__ import annotations

import numpy as np

from gdcourse.exercises import Status, ____, nb04


def test_half_written_adam_step_is_unattempted():
    def adam_step(w, m, v, g, t, lr, beta_1, beta_2, epsilon):
        m = beta_1 * m + (1 - beta_1) * g
        v = ____
        return w, m, v

    assert nb04.q1.evaluate(adam_step)[0] is Status.UNATTEMPTED


def test_keras_ordered_adam_passes_with_a_note():
    """Keras folds the correction into the rate; the paper's w differs by ~3e-6 at step 1,
    which the old checker rejected as 'w should be [0.9, -2.1], got [0.9, -2.1]'."""

    def adam_step(w, m, v, g, t, lr, beta_1, beta_2, epsilon):
        m = m + (g - m) * (1 - beta_1)
        v = v + (g**2 - v) * (1 - beta_2)
        alpha = lr * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        return w - alpha * m / (np.sqrt(v) + epsilon), m, v

    status, message = nb04.q1.evaluate(adam_step)
    assert status is Status.PASS and "Keras's form" in message


def test_messages_point_at_the_first_wrong_step_and_name_the_cause():
    status, message = nb04.q1.evaluate(nb04.q1.wrong_answers[0])
    assert status is Status.FAIL and message.startswith("step 1 of 8 differs: w should be")
    assert "without bias correction" in message
    corrected_state = nb04.q1.wrong_answers[1]  # right w at step 1, but the corrected m kept
    assert nb04.q1.evaluate(corrected_state)[1].startswith("step 1 of 8 differs: m should be")
    assert nb04.q2.evaluate(1.0)[1].startswith("answer should be 2, got 1 (")


def test_rounded_value_passes_and_known_slips_are_named():
    assert nb04.q2.evaluate(2)[0] is Status.PASS
    assert "square root" in nb04.q2.evaluate(20.0)[1]
    assert "default betas" in nb04.q2.evaluate(3.162)[1]  # the value notebook 04 prints


def test_rmsprop_with_epsilon_outside_the_root_is_named():
    def rmsprop_step(w, v, g, lr, rho, epsilon):
        v = rho * v + (1 - rho) * g**2
        return w - lr * g / (np.sqrt(v) + epsilon), v

    status, message = nb04.q3.evaluate(rmsprop_step)
    assert status is Status.FAIL and "inside" in message


def test_adam_with_epsilon_inside_the_root_is_named():
    def adam_step(w, m, v, g, t, lr, beta_1, beta_2, epsilon):
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g**2
        m_hat, v_hat = m / (1 - beta_1**t), v / (1 - beta_2**t)
        return w - lr * m_hat / np.sqrt(v_hat + epsilon), m, v

    status, message = nb04.q1.evaluate(adam_step)
    assert status is Status.FAIL and "inside the square root" in message
