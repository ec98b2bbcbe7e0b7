"""Exercises of notebook 06 (troubleshooting)."""

from __future__ import annotations

from gdcourse.exercises import Status, nb06


def test_messages_name_the_mistake():
    assert "inf counts too" in nb06.q1.evaluate(nb06.q1.wrong_answers[0])[1]
    assert "count steps from 1" in nb06.q1.evaluate(nb06.q1.wrong_answers[1])[1]


def test_a_loop_that_never_returns_the_step_is_told_so():
    def first_bad_step(losses):
        for step, loss in enumerate(losses, start=1):
            if loss != loss:
                step  # noqa: B018  (forgot `return`)

    status, message = nb06.q1.evaluate(first_bad_step)
    assert status is Status.FAIL and "return step" in message


def test_diagnoses_in_the_learners_words_pass():
    answer = {
        "a": "Vanishing gradients",
        "b": "unscaled inputs",
        "c": "saddle point",
        "d": "learning_rate",
    }
    assert nb06.q3.evaluate(answer)[0] is Status.PASS
    assert nb06.q3.evaluate({**answer, "d": "saddle"})[0] is Status.FAIL


def test_plateau_is_accepted_for_the_flat_stretch():
    """The lab's table names the cause "plateau (or saddle)": both words pass for c."""
    for word in ("plateau", "Plateau (or saddle)", "saddle"):
        answer = {"a": "vanishing", "b": "unscaled", "c": word, "d": "learning rate"}
        assert nb06.q3.evaluate(answer)[0] is Status.PASS, word


def test_a_wrong_diagnosis_is_not_told_the_right_one():
    """The message for a wrong cause points at the symptom; it must not name the answer."""
    right = {"a": "vanishing", "b": "unscaled", "c": "saddle", "d": "learning rate"}
    for key, cause in right.items():
        wrong = next(c for c in right.values() if c != cause)
        status, message = nb06.q3.evaluate({**right, key: wrong})
        assert status is Status.FAIL, key
        assert cause not in message.replace(repr(wrong), ""), (key, message)


def test_nearly_dead_units_name_each_typical_mistake():
    """Each known wrong answer gets its own message, and none prints the expected fraction."""
    words = ["every example", "at least 99%", "number of nearly dead", "zero entries", "axis=0"]
    for wrong, word in zip(nb06.q2.wrong_answers, words, strict=True):
        status, message = nb06.q2.evaluate(wrong)
        assert status is Status.FAIL and word in message, (word, message)
        assert "0.625" not in message


def test_nearly_dead_passes_when_written_with_counts():
    import numpy as np

    def nearly_dead(activations):
        zeros = (np.asarray(activations) == 0).sum(axis=0)
        return (zeros >= 0.99 * len(activations)).mean()

    assert nb06.q2.evaluate(nearly_dead)[0] is Status.PASS
