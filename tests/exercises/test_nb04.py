"""Exercises of notebook 04 (AdaGrad, RMSProp, Adam, AdamW)."""

from __future__ import annotations

import keras
import numpy as np

from gdcourse.exercises import Status, ____, nb04


def test_half_written_adamw_step_is_unattempted():
    def adamw_step(w, m, v, g, t, lr, beta_1, beta_2, epsilon, weight_decay):
        w = ____
        m = beta_1 * m + (1 - beta_1) * g
        return w, m, v

    assert nb04.q1.evaluate(adamw_step)[0] is Status.UNATTEMPTED


def test_reference_follows_keras_adamw():
    """The checker's 8 steps against keras.optimizers.AdamW itself (float64 weights; Keras
    keeps its hyperparameters in float32, hence the 1e-5)."""
    w = keras.Variable(np.array([1.0, -2.0]))
    opt = keras.optimizers.AdamW(learning_rate=0.1, weight_decay=0.5)
    state = nb04.q1.initial
    for k in range(1, 9):
        g = nb04._A @ w.numpy()
        opt.apply_gradients([(keras.ops.convert_to_tensor(g), w)])
        state = nb04._adamw_step(*state, *nb04._adamw_extra(k, state))
    assert np.abs(w.numpy() - state[0]).max() < 1e-5


def test_keras_ordered_adamw_and_other_spellings_pass():
    def adamw_step(w, m, v, g, t, lr, beta_1, beta_2, epsilon, weight_decay):
        w = w * (1 - lr * weight_decay)
        m = m + (g - m) * (1 - beta_1)
        v = v + (g**2 - v) * (1 - beta_2)
        alpha = lr / (1 - beta_1**t) * ((1 - beta_2**t) ** 0.5)
        return w - alpha * m / (v**0.5 + epsilon), m, v

    status, message = nb04.q1.evaluate(adamw_step)
    assert status is Status.PASS and message == "all 8 steps match the reference."


def test_paper_form_with_m_hat_passes_with_a_note_on_epsilon():
    status, message = nb04.q1.evaluate(nb04._adamw_step)
    assert status is Status.PASS and "epsilon divided by sqrt(1 - beta_2**t)" in message


def test_typical_adamw_mistakes_are_named():
    messages = [nb04.q1.evaluate(wrong)[1] for wrong in nb04.q1.wrong_answers]
    assert all(m.startswith("step 1 of 8 differs") for m in messages)
    expected = [
        *[
            phrase
            for phrase in (
                "L2 in the loss",
                "not scaled by the learning rate",
                "before the Adam step",
                "weight decay is missing",
            )
            for _form in ("Keras's", "paper's")
        ],
        "bias correction is missing",
        "as if t counted from 0",
        "return the raw moving averages m and v",  # bias-corrected m, v kept as the state
        "alpha corrects m only",
        "not (1 - beta_2**t)",
        "upside down",
        "multiplies alpha by sqrt(1 - beta_2**t)",
    ]
    assert len(messages) == len(expected)
    for message, phrase in zip(messages, expected, strict=True):
        assert phrase in message


def test_decay_mistakes_written_in_the_skeletons_keras_form_are_named():
    """The notebook's skeleton fixes the last line to Keras's folded form, so a learner's
    weight-decay slips arrive in that form (epsilon in Keras's place)."""

    def step(w, m, v, g, t, lr, beta_1, beta_2, epsilon, weight_decay, *, slip):
        if slip == "l2":
            g = g + weight_decay * w
        elif slip == "no lr":
            w = w - weight_decay * w
        elif slip == "before":
            w = w - lr * weight_decay * w
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g**2
        alpha = lr * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        w = w - alpha * m / (np.sqrt(v) + epsilon)
        if slip == "after":
            w = w - lr * weight_decay * w
        return w, m, v

    for slip, phrase in [
        ("l2", "L2 in the loss"),
        ("no lr", "not scaled by the learning rate"),
        ("after", "before the Adam step"),
        ("none", "weight decay is missing"),
    ]:
        status, message = nb04.q1.evaluate(lambda *a, slip=slip: step(*a, slip=slip))
        assert status is Status.FAIL and phrase in message, (slip, message)
    assert nb04.q1.evaluate(lambda *a: step(*a, slip="before"))[0] is Status.PASS


def test_t_counted_from_zero_is_named_in_both_forms():
    for step in (nb04._keras_adamw_step, nb04._adamw_step):
        status, message = nb04.q1.evaluate(nb04._t_from_zero(step))
        assert status is Status.FAIL and "as if t counted from 0" in message


def test_adamw_with_epsilon_inside_the_root_is_named():
    status, message = nb04.q1.evaluate(nb04._adamw_eps_inside)
    assert status is Status.FAIL and "inside the square root" in message


def test_q2_rounded_value_passes_and_slips_are_named_without_the_answer():
    assert nb04.q2.evaluate(2)[0] is Status.PASS
    assert nb04.q2.evaluate(np.float32(2.0))[0] is Status.PASS
    for wrong in nb04.q2.wrong_answers:
        status, message = nb04.q2.evaluate(wrong)
        assert status is Status.FAIL and "should be 2" not in message and " 2 " not in message
    assert nb04.q2.evaluate(1.0)[1].startswith("1 is too small")
    assert "WITH bias correction" in nb04.q2.evaluate(1.0)[1]  # the corrected first step
    assert "(1 - beta_2) / (1 - beta_1)" in nb04.q2.evaluate(0.05)[1]
    assert "square root" in nb04.q2.evaluate(20.0)[1]
    assert "default betas" in nb04.q2.evaluate(3.162)[1]  # the value notebook 04 prints
    assert "one finite number" in nb04.q2.evaluate("2")[1]


def test_centered_rmsprop_follows_keras_and_slips_are_named():
    w = keras.Variable(np.array([1.0, -2.0]))
    opt = keras.optimizers.RMSprop(learning_rate=0.01, rho=0.9, epsilon=0.01, centered=True)
    state = nb04.q3.initial
    for k in range(1, 9):
        g = nb04._A @ w.numpy()
        opt.apply_gradients([(keras.ops.convert_to_tensor(g), w)])
        state = nb04._centered_rmsprop_step(*state, *nb04._rmsprop_extra(k, state))
    assert np.abs(w.numpy() - state[0]).max() < 1e-6

    def rmsprop_step(w, v, mg, g, lr, rho, epsilon):  # plain RMSProp, mg unused
        v = rho * v + (1 - rho) * g**2
        return w - lr * g / np.sqrt(v + epsilon), v, rho * mg + (1 - rho) * g

    assert "plain RMSProp" in nb04.q3.evaluate(rmsprop_step)[1]
    status, message = nb04.q3.evaluate(nb04._centered_eps_outside)
    assert status is Status.FAIL and "inside" in message
