"""Exercises of notebook 06 (troubleshooting)."""

from __future__ import annotations

from gdcourse.exercises import Status, nb06


def test_messages_name_the_mistake():
    assert "inf counts too" in nb06.q1.evaluate(nb06.q1.wrong_answers[0])[1]
    assert "-inf count" in nb06.q1.evaluate(nb06.q1.wrong_answers[1])[1]
    assert "count steps from 1" in nb06.q1.evaluate(nb06.q1.wrong_answers[2])[1]


def test_a_loop_that_never_returns_the_step_is_told_so():
    def first_bad_step(losses):
        for step, loss in enumerate(losses, start=1):
            if loss != loss:
                step  # noqa: B018  (forgot `return`)

    status, message = nb06.q1.evaluate(first_bad_step)
    assert status is Status.FAIL and "return step" in message


def test_comparing_with_nan_is_told_that_nan_never_equals_nan():
    def first_bad_step(losses):
        for step, loss in enumerate(losses, start=1):
            if loss == float("nan") or abs(loss) == float("inf"):
                return step
        return None

    status, message = nb06.q1.evaluate(first_bad_step)
    assert status is Status.FAIL and "nan never equals anything" in message


def test_diagnoses_in_the_learners_words_pass():
    answer = {
        "a": "learning rate too high",
        "b": "Vanishing gradients",
        "c": "LR too low",
        "d": "too large a learning rate",
    }
    assert nb06.q3.evaluate(answer)[0] is Status.PASS
    assert nb06.q3.evaluate({**answer, "d": "vanishing"})[0] is Status.FAIL


def test_an_answer_naming_no_cause_or_two_is_asked_to_pick_one():
    right = {"a": "too high", "b": "vanishing", "c": "too low", "d": "too high"}
    for given in ("saddle", "too high or too low", 3):
        status, message = nb06.q3.evaluate({**right, "b": given})
        assert status is Status.FAIL and "pick one of" in message, given


def test_a_wrong_diagnosis_names_the_mistake_not_the_right_cause():
    """Every wrong cause for every run gets its own reason; none names the right cause."""
    right = {"a": "too high", "b": "vanishing", "c": "too low", "d": "too high"}
    for key, cause in right.items():
        for wrong in {"too high", "too low", "vanishing"} - {cause}:
            status, message = nb06.q3.evaluate({**right, key: wrong})
            assert status is Status.FAIL, (key, wrong)
            assert message.startswith(f"{key} is not {wrong!r}: "), message
            reason = message.split(": ", 1)[1]
            assert cause not in reason and (cause != "vanishing" or "vanish" not in reason), (
                key,
                message,
            )


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
