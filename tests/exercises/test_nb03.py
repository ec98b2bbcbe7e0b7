"""Exercises of notebook 03 (momentum)."""

from __future__ import annotations

from gdcourse.exercises import Status, nb03


def test_solution_uses_the_exercises_own_bowl():
    """Its own names, too: the notebook's mu and L must survive the exercise cell."""
    assert "mu_q2, L_q2 = 1.0, 100.0" in nb03.q2.solution_code
    assert "mu, L =" not in nb03.q2.solution_code


def test_q3_asks_for_the_ratio_the_rates_predict():
    """The checker wants ln(r_hb)/ln(r_gd); the measured step counts differ by 20-40%."""
    assert "the ratio their rates predict" in " ".join(nb03.q3.prompt.split())


def test_messages_name_the_mistake():
    assert "step 1 of 8" in nb03.q1.evaluate(nb03.q1.wrong_answers[0])[1]
    assert "gradient descent's best rate" in nb03.q2.evaluate(nb03.q2.wrong_answers[0])[1]
    assert "squared" in nb03.q2.evaluate(nb03.q2.wrong_answers[1])[1]
    assert "kappa itself" in nb03.q3.evaluate(nb03.q3.wrong_answers[0])[1]
    assert 95 < nb03.q3.reference < 105  # about sqrt(kappa) = 100


def test_three_figures_pass():
    assert nb03.q2.evaluate((0.0331, 0.669))[0] is Status.PASS
    assert "3 significant figures" in nb03.q2.evaluate((0.0328, 0.669))[1]
    assert nb03.q3.evaluate(100)[0] is Status.PASS


def test_the_typical_nesterov_mistakes_get_their_own_messages():
    old_v = nb03.q1.evaluate(nb03.q1.wrong_answers[0])[1]  # w + beta * (old v) - lr g
    also_v = nb03.q1.evaluate(nb03.q1.wrong_answers[1])[1]  # ... + v as well
    assert "this is heavy ball" in old_v and "the old v as well" in also_v
    no_grad = nb03.q1.evaluate(lambda w, v, g, lr, beta: (w + beta * (beta * v - lr * g),
                                                         beta * v - lr * g))[1]  # fmt: skip
    assert "also subtracts lr * g" in no_grad


def test_two_numbers_as_an_array_pass():
    import numpy as np

    assert nb03.q2.evaluate(np.array([0.0331, 0.669]))[0] is Status.PASS
