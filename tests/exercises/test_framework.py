"""The exercise framework (gdcourse.exercises.core), on the demo set: references pass, wrong
answers fail helpfully, ____ is unattempted, tolerances are stated and messages show the
difference. Each notebook's set has its own module beside this one (test_nbNN.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gdcourse.about import COURSE
from gdcourse.exercises import (
    Exercise,
    FunctionExercise,
    Status,
    StepExercise,
    ValueExercise,
    ____,
    all_exercise_sets,
    demo,
    exercises_in,
    self_check,
    uses_placeholder,
)
from gdcourse.exercises.core import assert_close, tolerance_text


def test_every_set_including_demo_is_sound():
    sets = all_exercise_sets(include_demo=True)
    assert "demo" in sets
    for module in sets.values():
        assert self_check(module) == []


def test_every_lesson_notebook_has_a_set_and_a_test_module():
    sets = all_exercise_sets()
    wanted = {f"nb{name[:2]}" for name, _, _ in COURSE if name[:2] != "00"}
    assert wanted <= set(sets), f"missing exercise sets: {sorted(wanted - set(sets))}"
    here = Path(__file__).parent
    missing = [name for name in sets if not (here / f"test_{name}.py").is_file()]
    assert not missing, f"exercise sets without tests/exercises/test_nbNN.py: {missing}"


def test_discovery_lists_only_notebook_sets_by_default():
    assert all(name.startswith("nb") for name in all_exercise_sets())
    assert list(exercises_in(demo)) == ["q1", "q2", "q3", "q4"]


@pytest.mark.parametrize("name", ["q1", "q2", "q3", "q4"])
def test_reference_passes_and_prints_one_line(name, capsys):
    ex = getattr(demo, name)
    assert ex.check(ex.reference) is Status.PASS
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith("✓ Correct")


def test_value_exercise_uses_tolerances_not_equality(capsys):
    assert demo.q1.check(0.5 + 1e-5) is Status.PASS  # within rtol=1e-3
    assert demo.q1.check(0.51) is Status.FAIL
    out = capsys.readouterr().out
    assert "got 0.51, too large" in out and "0.5," not in out  # the answer is not given away
    assert demo.q1.check(np.float32(0.5)) is Status.PASS
    assert demo.q1.check("0.5") is Status.FAIL
    assert demo.q1.check(lambda: 0.5) is Status.FAIL
    ex = ValueExercise("arr", expected=np.array([1.0, 2.0]), rtol=0, atol=1e-6)
    assert ex.evaluate([1.0, 2.0 + 1e-7])[0] is Status.PASS
    status, message = ex.evaluate([1.0, 2.0, 3.0])
    assert status is Status.FAIL and "shape (2,)" in message


def test_function_exercise_names_the_failing_case():
    status, message = demo.q2.evaluate(demo.q2.wrong_answers[0])
    assert status is Status.FAIL
    assert message.startswith("<lambda>(") and "the result is off" in message


def test_step_exercise_reports_the_first_differing_step():
    def almost(w, v, g, lr, beta):  # right for one step, then forgets the old velocity
        v_new = -lr * g if np.all(v == 0) else 0.5 * beta * v - lr * g
        return w + v_new, v_new

    status, message = demo.q3.evaluate(almost)
    assert status is Status.FAIL
    assert message.startswith("step 2 of 6 differs: w is off")


def test_step_exercise_wrong_number_of_outputs():
    status, message = demo.q3.evaluate(lambda w, v, g, lr, beta: w - lr * g)
    assert status is Status.FAIL and "return 2 values (w, v)" in message


def test_placeholder_is_unattempted(capsys):
    assert demo.q1.check(____) is Status.UNATTEMPTED
    assert "Not attempted" in capsys.readouterr().out
    assert demo.q1.check([____, 1]) is Status.UNATTEMPTED

    def uses_blank(X, y, w):
        return 2 / len(y) * X.T @ (X @ w - ____)

    def returns_blank(X, y, w):
        return ____

    assert uses_placeholder(uses_blank) and uses_placeholder(returns_blank)
    assert demo.q2.check(uses_blank) is Status.UNATTEMPTED
    assert demo.q2.check(returns_blank) is Status.UNATTEMPTED

    def step(w, v, g, lr, beta):
        v = ____
        return w + v, v

    assert demo.q3.check(step) is Status.UNATTEMPTED


def test_placeholder_arithmetic_raises_and_is_unattempted_through_a_closure():
    blank = {"x": ____}
    with pytest.raises(Exception, match="replace ____"):
        blank["x"] + 1
    with pytest.raises(Exception, match="replace ____"):
        np.sqrt(blank["x"])

    def sneaky(X, y, w):  # reaches ____ only at run time, not by name
        return blank["x"] * X

    assert not uses_placeholder(sneaky)
    assert demo.q2.evaluate(sneaky)[0] is Status.UNATTEMPTED


def test_exception_in_learner_code_is_an_error_not_a_crash(capsys):
    def broken(X, y, w):
        return X @ w @ w @ w  # shapes do not line up

    assert demo.q2.check(broken) is Status.ERROR
    out = capsys.readouterr().out
    assert out.startswith("⚠ Error in your code: ValueError:")

    def divide(*args):
        raise ZeroDivisionError("division by zero")

    status, message = demo.q3.evaluate(divide)
    assert status is Status.ERROR and message == "ZeroDivisionError: division by zero"


def test_hints_and_solution(capsys):
    demo.q2.hint()
    demo.q2.hint(2)
    demo.q2.hint(9)
    demo.q2.solution()
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Hint 1/2 (hint(2) for more): Differentiate")
    assert out[1].startswith("Hint 2/2: The chain rule")
    assert out[2] == out[1]
    assert out[3] == "Solution:" and out[4] == "def mse_gradient(X, y, w):"
    with pytest.raises(ValueError, match="`n` must be >= 1"):
        demo.q2.hint(0)


def test_status_is_truthy_only_on_pass_and_displays_nothing():
    assert Status.PASS and not Status.FAIL
    assert Status.PASS._ipython_display_() is None


def test_markdown_and_declaration_errors():
    assert demo.q1._repr_markdown_().startswith("**Q1. The largest stable learning rate**")
    with pytest.raises(TypeError, match="`title` must be a non-empty string"):
        Exercise("")
    with pytest.raises(TypeError, match="`reference` must be a function"):
        FunctionExercise("t", reference=3, cases=[])
    with pytest.raises(ValueError, match="`rtol` must be >= 0"):
        ValueExercise("t", expected=1.0, rtol=-1)


def test_tolerance_is_stated_in_words():
    assert tolerance_text(5e-3) == "relative 0.5% (3 significant figures are enough)"
    assert tolerance_text(1e-6, 1e-8) == "relative 1e-06, absolute 1e-08"
    assert tolerance_text(0.05) == "relative 5% (2 significant figures are enough)"
    assert "Tolerance: relative 0.1%" in demo.q1._repr_markdown_()


def test_messages_name_the_miss_without_giving_the_answer_away():
    with pytest.raises(Exception, match=r"got 10, too large \(tolerance") as raised:
        assert_close(10.0, 10**0.5, 1e-3, 0)
    assert "3.16" not in str(raised.value)  # the expected value is not given away
    with pytest.raises(Exception, match=r"too small by about 1e-05 relative, close"):
        assert_close(np.array([1.0, 2.0]), np.array([1.0, 2.00002]), 1e-6, 0)


def test_forgotten_return_is_named():
    def no_return(X, y, w):
        2 / len(y) * X.T @ (X @ w - y)

    status, message = demo.q2.evaluate(no_return)
    assert status is Status.FAIL and "forget to `return`" in message
    status, message = demo.q3.evaluate(lambda w, v, g, lr, beta: None)
    assert status is Status.FAIL and "forget to `return`" in message
    with pytest.raises(Exception, match="forget to `return`"):
        assert_close(None, 1.0, 1e-6, 0)


def test_variants_pass_with_their_note_and_diagnoses_name_the_mistake():
    ex = ValueExercise(
        "t",
        expected=2.0,
        variants=[(2.5, "also right")],
        diagnoses=[(4.0, "you squared it")],
        hints=["h"],
        solution="x = 2",
    )
    assert ex.evaluate(2.5) == (Status.PASS, "also right")
    status, message = ex.evaluate(4.0)
    assert status is Status.FAIL and message.endswith("you squared it")
    assert ex.evaluate(3.0)[0] is Status.FAIL


def test_step_exercise_runs_one_loop_for_both_functions():
    calls = []

    def counting(w, v, g, lr, beta):
        calls.append(1)
        v = beta * v - lr * g
        return w + v, v

    assert len(demo.q3.trajectory(counting)) == 6 and len(calls) == 6
    assert demo.q3.evaluate(counting)[0] is Status.PASS
    assert len(calls) == 12  # the answer ran once per step, no second loop


def test_reference_is_read_only_and_tolerances_validated_once():
    with pytest.raises(AttributeError):
        demo.q1.reference = 3.0
    with pytest.raises(TypeError, match="takes `expected=`"):
        ValueExercise("t", expected=1.0, reference=2.0)
    for kind, extra in [
        (ValueExercise, {"expected": 1.0}),
        (FunctionExercise, {"reference": abs, "cases": [1]}),
        (StepExercise, {"reference": abs, "initial": 1.0}),
    ]:
        with pytest.raises(ValueError, match="`atol` must be >= 0"):
            kind("t", atol=-1, **extra)


def test_demo_names_the_one_over_l_mistake(capsys):
    assert demo.q1.check(0.25) is Status.FAIL
    assert "that is 1/L" in capsys.readouterr().out
