"""Exercises of notebook 03 (momentum)."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from gdcourse.exercises import Status, nb03


def test_solution_uses_the_exercises_own_bowl():
    """Its own names, too: the notebook's mu and L must survive the exercise cell."""
    assert "mu_q2, L_q2 = 1.0, 100.0" in nb03.q2.solution_code
    assert "mu, L =" not in nb03.q2.solution_code


def test_q1s_form_follows_keras_nesterov_path():
    """b = -v/lr: the same weights as keras.optimizers.SGD(nesterov=True), step by step."""
    w = tf.Variable([1.0, -2.0], dtype="float64")
    sgd = tf.keras.optimizers.SGD(learning_rate=0.125, momentum=0.75, nesterov=True)
    ours, b = np.array([1.0, -2.0]), np.zeros(2)
    for _ in range(8):
        g = nb03._A @ w.numpy()
        sgd.apply_gradients([(tf.constant(g), w)])
        ours, b = nb03._nesterov_step(ours, b, nb03._A @ ours, 0.125, 0.75)
        np.testing.assert_allclose(ours, w.numpy(), rtol=1e-12, atol=1e-12)


def test_q2s_momentum_is_the_edge_of_the_stable_range():
    """At lr = best_lr, heavy ball converges just above min_momentum and diverges just below."""
    lr, edge = nb03.q2.reference
    assert 2 / 100.0 < lr  # gradient descent diverges at this rate
    for beta, converges in ((edge + 0.01, True), (edge - 0.01, False)):
        radius = max(abs(np.roots([1, -(1 + beta - lr * c), beta])).max() for c in (1.0, 100.0))
        assert bool(radius < 1) is converges
    assert edge < nb03._BEST_BETA < edge + 0.02  # the best momentum sits just above the edge


def test_q3_asks_for_the_ratio_the_rates_predict():
    """The checker wants ln(r_hb)/ln(r_gd); the measured step counts differ by 20-40%."""
    assert "the ratio their rates predict" in " ".join(nb03.q3.prompt.split())


def test_messages_name_the_mistake():
    messages = [nb03.q1.evaluate(w)[1] for w in nb03.q1.wrong_answers]
    keras_v, heavy, sign, no_lr, swapped, no_beta, minus_v, lr_twice = messages
    assert "step 1 of 8" in keras_v and "Keras's form" in keras_v
    assert "this is heavy ball" in heavy and "opposite sign" in sign
    assert "without the learning rate" in no_lr and "returned (b, w)" in swapped
    assert "the beta is missing" in no_beta  # w - lr * (g + b)
    assert "adds up lr * g" in minus_v and "-v, Keras's velocity" in minus_v  # b = -v
    assert "the learning rate enters twice" in lr_twice  # b = -v, and w multiplies by lr again
    messages = [nb03.q2.evaluate(w)[1] for w in nb03.q2.wrong_answers]
    gd_lr, best, no_two, with_mu, _, rate, unsquared = messages
    assert "gradient descent's best learning rate" in gd_lr
    assert "best momentum of the table" in best
    assert "with the factor 2" in no_two and "curvature L" in with_mu
    assert "heavy ball's convergence rate r" in rate
    assert "forgotten the square" in unsquared
    kappa, _, sqrt_kappa, table, measured = (nb03.q3.evaluate(w)[1] for w in nb03.q3.wrong_answers)
    assert "kappa itself" in kappa and "large-kappa estimate" in sqrt_kappa
    assert "read off the table's rounded steps" in table  # 69 / 21 = 3.286, 0.7% off
    assert "measured steps" in measured and "double root" in measured  # 69 / 26 = 2.65
    assert 3.2 < nb03.q3.reference < 3.3  # ln(r_hb)/ln(r_gd) at kappa = 10; sqrt(10) = 3.16


def test_no_message_prints_the_answer():
    lr, edge = nb03.q2.reference
    for wrong in nb03.q2.wrong_answers:
        message = nb03.q2.evaluate(wrong)[1]
        assert f"{edge:.3g}" not in message and f"{lr:.3g}" not in message


def test_three_figures_pass():
    assert nb03.q2.evaluate((0.0331, 0.653))[0] is Status.PASS
    assert nb03.q2.evaluate((4 / 121, 79 / 121))[0] is Status.PASS
    assert "3 significant figures" in nb03.q2.evaluate((0.0328, 0.653))[1]
    assert "3 significant figures" in nb03.q2.evaluate((0.0331, 0.645))[1]
    assert nb03.q3.evaluate(3.26)[0] is Status.PASS
    assert nb03.q3.evaluate(3.264)[0] is Status.PASS
    assert nb03.q3.evaluate(69 / 21)[0] is Status.FAIL  # 0.7% off: the table's rounded steps
    assert "3 significant figures" in nb03.q3.evaluate(3.2)[1]


def test_answers_written_differently_pass():
    assert nb03.q2.evaluate(np.array([0.0331, 0.653]))[0] is Status.PASS
    assert nb03.q2.evaluate([np.float32(0.03306), 0.6529])[0] is Status.PASS
    assert nb03.q3.evaluate(np.array(3.2636))[0] is Status.PASS  # a 0-d array, as Q2 accepts

    def nesterov_step(w, b, g, lr, beta):  # the look-ahead written out, b updated in place
        b = b * beta
        b += g
        return w - lr * g - lr * beta * b, b

    assert nb03.q1.evaluate(nesterov_step)[0] is Status.PASS
