"""The exercises of notebooks 06 and 07: each reference passes its own checker, each known
wrong answer fails with a message, and the learner's placeholder reads as not attempted."""

from __future__ import annotations

import importlib

import pytest

from gdcourse.exercises import Status, ____, exercises_in, self_check

SETS = ["nb06", "nb07"]


def _module(name):
    return importlib.import_module(f"gdcourse.exercises.{name}")


@pytest.mark.parametrize("name", SETS)
def test_set_is_sound(name):
    assert self_check(_module(name)) == []


@pytest.mark.parametrize("name", SETS)
def test_has_two_to_four_exercises_with_hints_and_solutions(name):
    exercises = exercises_in(_module(name))
    assert 2 <= len(exercises) <= 4
    for exercise in exercises.values():
        assert exercise.hints and exercise.solution_code


@pytest.mark.parametrize("name", SETS)
def test_reference_passes_and_wrong_answers_fail_with_a_message(name):
    for exercise in exercises_in(_module(name)).values():
        status, message = exercise.evaluate(exercise.reference)
        assert status is Status.PASS, message
        assert exercise.wrong_answers, f"{exercise.title}: no known wrong answer"
        for wrong in exercise.wrong_answers:
            status, message = exercise.evaluate(wrong)
            assert status is Status.FAIL and len(message) > 20, (exercise.title, status, message)


@pytest.mark.parametrize("name", SETS)
def test_placeholder_is_unattempted(name):
    for exercise in exercises_in(_module(name)).values():
        assert exercise.evaluate(____)[0] is Status.UNATTEMPTED

        def half_done(*args):
            return ____

        assert exercise.evaluate(half_done)[0] is Status.UNATTEMPTED


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
