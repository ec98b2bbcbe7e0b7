"""Exercises of notebook 02 (batch, stochastic and mini-batch gradient descent)."""

from __future__ import annotations

from gdcourse.exercises import Status, nb02


def test_messages_name_the_mistake():
    assert "last, smaller batch" in nb02.q1.evaluate(nb02.q1.wrong_answers[0])[1]
    assert "whole steps" in nb02.q1.evaluate(nb02.q1.wrong_answers[1])[1]
    assert "original order" in nb02.q2.evaluate(nb02.q2.wrong_answers[0])[1]
    assert "never used" in nb02.q2.evaluate(nb02.q2.wrong_answers[1])[1]
    assert "last, smaller batch missing" in nb02.q2.evaluate(nb02.q2.wrong_answers[2])[1]
    assert "square root" in nb02.q3.evaluate(nb02.q3.wrong_answers[0])[1]


def test_whole_numbers_in_any_type_pass():
    assert nb02.q1.evaluate(1565.0)[0] is Status.PASS
    assert nb02.q1.evaluate(1565.5)[0] is Status.FAIL
    assert nb02.q3.evaluate(4)[0] is Status.PASS


def test_an_order_that_ignores_rng_is_named():
    import random

    import numpy as np

    assert "ignore it" in nb02.q2.evaluate(nb02.q2.wrong_answers[3])[1]

    def from_random_module(n, batch_size, rng):
        order = random.sample(range(n), n)
        return [order[s : s + batch_size] for s in range(0, n, batch_size)]

    assert "ignore it" in nb02.q2.evaluate(from_random_module)[1]

    def shuffled_in_place(n, batch_size, rng):
        order = np.arange(n)
        rng.shuffle(order)
        return [order[s : s + batch_size] for s in range(0, n, batch_size)]

    assert nb02.q2.evaluate(shuffled_in_place)[0] is Status.PASS
