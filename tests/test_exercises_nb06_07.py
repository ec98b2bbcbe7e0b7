"""The exercises of notebooks 06 and 07: each reference passes its own checker, each known
wrong answer fails with a message, and the learner's placeholder reads as not attempted."""

from __future__ import annotations


def test_nb07_messages_name_the_mistake():
    from gdcourse.exercises import nb07

    _, message = nb07.q1.evaluate(nb07.q1.wrong_answers[0])
    assert "mean squared error" in message
    _, message = nb07.q1.evaluate(nb07.q1.wrong_answers[1])
    assert "apply_gradients" in message
    _, message = nb07.q2.evaluate(nb07.q2.wrong_answers[0])
    assert "ALL the gradients" in message
    _, message = nb07.q2.evaluate(nb07.q2.wrong_answers[1])
    assert "unchanged" in message
    _, message = nb07.q3.evaluate(nb07.q3.wrong_answers[0])
    assert "weight each batch by its size" in message
