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
