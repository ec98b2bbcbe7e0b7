"""Exercises of notebook 02 (batch, stochastic and mini-batch gradient descent)."""

from __future__ import annotations

import math
import random

import numpy as np

from gdcourse.exercises import Status, nb02


def test_messages_name_the_mistake():
    assert "last, smaller batch" in nb02.q1.evaluate(nb02.q1.wrong_answers[0])[1]
    assert "whole steps" in nb02.q1.evaluate(nb02.q1.wrong_answers[1])[1]
    keeps_last, unshuffled, replacement, same_rows, not_rng = nb02.q2.wrong_answers
    assert "rows left over" in nb02.q2.evaluate(keeps_last)[1]
    assert "original order" in nb02.q2.evaluate(unshuffled)[1]
    assert "appear twice" in nb02.q2.evaluate(replacement)[1]
    assert "same rows (the last ones)" in nb02.q2.evaluate(same_rows)[1]
    assert "ignore it" in nb02.q2.evaluate(not_rng)[1]
    no_correction, variance_ratio, plain_variance, inverted = nb02.q3.wrong_answers
    assert "1/sqrt(B) alone" in nb02.q3.evaluate(no_correction)[1]
    assert "square root" in nb02.q3.evaluate(variance_ratio)[1]
    assert "square root" in nb02.q3.evaluate(plain_variance)[1]
    assert "above 1" in nb02.q3.evaluate(inverted)[1]


def test_no_message_prints_the_answer():
    for exercise, answer in [(nb02.q1, "1565"), (nb02.q3, "2.34")]:
        for wrong in exercise.wrong_answers:
            assert answer not in exercise.evaluate(wrong)[1]


def test_whole_numbers_in_any_type_pass():
    assert nb02.q1.evaluate(1565.0)[0] is Status.PASS
    assert nb02.q1.evaluate(1565.5)[0] is Status.FAIL


def test_q3_answers_written_differently_pass():
    n = 12_384
    direct = math.sqrt((n - 1024) / 1024 / ((n - 4096) / 4096))
    assert nb02.q3.evaluate(direct)[0] is Status.PASS
    assert nb02.q3.evaluate(np.float32(2.3415))[0] is Status.PASS
    assert nb02.q3.evaluate(2.0)[0] is Status.FAIL  # 1/sqrt(B) without the correction


def test_q2_answers_written_differently_pass():
    def reshaped(n, batch_size, rng):
        return rng.choice(n, size=(n // batch_size, batch_size), replace=False)

    def shuffled_in_place(n, batch_size, rng):
        order = np.arange(n)
        rng.shuffle(order)
        full = n - n % batch_size
        return [order[s : s + batch_size] for s in range(0, full, batch_size)]

    for answer in (reshaped, shuffled_in_place):
        assert nb02.q2.evaluate(answer)[0] is Status.PASS


def test_an_order_that_ignores_rng_is_named():
    def from_random_module(n, batch_size, rng):
        order = random.sample(range(n), n)
        return [order[s : s + batch_size] for s in range(0, n - batch_size + 1, batch_size)]

    assert "ignore it" in nb02.q2.evaluate(from_random_module)[1]
