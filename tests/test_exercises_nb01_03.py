"""The exercises of notebooks 01-03: each reference passes its own checker, each known wrong
answer fails with a message, and the learner's placeholder reads as not attempted."""

from __future__ import annotations

from gdcourse.exercises import Status, ____


def test_nb01_messages_name_the_mistake():
    from gdcourse.exercises import nb01

    assert "steepest direction" in nb01.q2.evaluate(nb01.q2.wrong_answers[0])[1]
    assert "converges (oscillating)" in nb01.q2.evaluate(nb01.q2.wrong_answers[1])[1]
    assert "its own mean" in nb01.q3.evaluate(nb01.q3.wrong_answers[0])[1]
    assert "leaks the test set" in nb01.q3.evaluate(nb01.q3.wrong_answers[1])[1]
    assert nb01.q2.evaluate((____, ____))[0] is Status.UNATTEMPTED


def test_nb01_learner_code_that_raises_is_an_error_not_a_crash():
    from gdcourse.exercises import nb01

    def broken(X_train, X_test):
        return X_train.mean(axis=5)

    assert nb01.q3.evaluate(broken)[0] is Status.ERROR


def test_nb02_messages_name_the_mistake():
    from gdcourse.exercises import nb02

    assert "last, smaller batch" in nb02.q1.evaluate(nb02.q1.wrong_answers[0])[1]
    assert "original order" in nb02.q2.evaluate(nb02.q2.wrong_answers[0])[1]
    assert "never used" in nb02.q2.evaluate(nb02.q2.wrong_answers[1])[1]
    assert "last, smaller batch missing" in nb02.q2.evaluate(nb02.q2.wrong_answers[2])[1]
    assert "square root" in nb02.q3.evaluate(nb02.q3.wrong_answers[0])[1]


def test_nb03_messages_name_the_mistake():
    from gdcourse.exercises import nb03

    assert "step 1 of 8" in nb03.q1.evaluate(nb03.q1.wrong_answers[0])[1]
    assert "gradient descent's best rate" in nb03.q2.evaluate(nb03.q2.wrong_answers[0])[1]
    assert "squared" in nb03.q2.evaluate(nb03.q2.wrong_answers[1])[1]
    assert "kappa itself" in nb03.q3.evaluate(nb03.q3.wrong_answers[0])[1]
    assert 95 < nb03.q3.reference < 105  # about sqrt(kappa) = 100
