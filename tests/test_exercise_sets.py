"""Every notebook's exercise set, found by discovery: each reference passes its own checker,
each known wrong answer fails with a message, and the learner's placeholder reads as not
attempted. Notebook-specific message checks live beside their notebooks' other tests."""

from __future__ import annotations

import pytest

from gdcourse.about import COURSE
from gdcourse.exercises import Status, ____, all_exercise_sets, exercises_in, self_check

SETS = all_exercise_sets()


def test_every_lesson_notebook_has_a_set():
    wanted = {f"nb{name[:2]}" for name, _, _ in COURSE if name[:2] != "00"}
    assert wanted <= set(SETS), f"missing exercise sets: {sorted(wanted - set(SETS))}"


@pytest.fixture(params=sorted(SETS))
def exercise_set(request):
    return SETS[request.param]


def test_set_is_sound(exercise_set):
    assert self_check(exercise_set) == []


def test_two_to_four_exercises_with_hints_and_solutions(exercise_set):
    exercises = exercises_in(exercise_set)
    assert 2 <= len(exercises) <= 4
    for exercise in exercises.values():
        assert exercise.hints and exercise.solution_code


def test_reference_passes_and_wrong_answers_fail_with_a_message(exercise_set):
    for exercise in exercises_in(exercise_set).values():
        status, message = exercise.evaluate(exercise.reference)
        assert status is Status.PASS, message
        assert exercise.wrong_answers, f"{exercise.title}: no known wrong answer"
        for wrong in exercise.wrong_answers:
            status, message = exercise.evaluate(wrong)
            assert status is Status.FAIL and len(message) > 20, (exercise.title, status, message)


def test_placeholder_is_unattempted(exercise_set):
    for exercise in exercises_in(exercise_set).values():
        assert exercise.evaluate(____)[0] is Status.UNATTEMPTED

        def half_done(*args):
            return ____

        assert exercise.evaluate(half_done)[0] is Status.UNATTEMPTED
