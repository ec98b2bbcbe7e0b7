"""Exercises of notebook 07 (a custom training loop)."""

from __future__ import annotations

from gdcourse.exercises import Status, nb07


def test_messages_name_the_mistake():
    _, message = nb07.q1.evaluate(nb07.q1.wrong_answers[0])
    assert "not in the gradient" in message
    _, message = nb07.q1.evaluate(nb07.q1.wrong_answers[1])
    assert "includes the penalty" in message
    _, message = nb07.q1.evaluate(nb07.q1.wrong_answers[2])
    assert "swapped" in message
    _, message = nb07.q1.evaluate(nb07.q1.wrong_answers[3])
    assert "mean squared error over the batch" in message and "penalty" not in message
    _, message = nb07.q1.evaluate(nb07.q1.wrong_answers[4])
    assert "apply_gradients" in message and "not in the gradient" not in message
    _, message = nb07.q1.evaluate(nb07.q1.wrong_answers[5])
    assert "read after" in message
    _, message = nb07.q2.evaluate(nb07.q2.wrong_answers[0])
    assert "ALL the gradients" in message
    _, message = nb07.q2.evaluate(nb07.q2.wrong_answers[0])
    assert "its own norm" in message
    _, message = nb07.q2.evaluate(nb07.q2.wrong_answers[1])
    assert "square root" in message and "own norm" not in message
    _, message = nb07.q2.evaluate(nb07.q2.wrong_answers[2])
    assert "unchanged" in message
    _, message = nb07.q3.evaluate(nb07.q3.wrong_answers[0])
    assert "plain mean of the 4 batch losses" in message
    _, message = nb07.q3.evaluate(nb07.q3.wrong_answers[1])
    assert "number of batches" in message and "plain mean" not in message
    _, message = nb07.q3.evaluate(nb07.q3.wrong_answers[2])
    assert "same 64" in message and "plain mean" not in message


def test_a_tensor_batch_size_passes_or_gets_named():
    import keras
    import tensorflow as tf

    loss_fn = keras.losses.MeanSquaredError()

    def cast(model, dataset):  # the batch size as tf.shape(x)[0], cast
        total, count = 0.0, 0
        for x, y in dataset:
            batch_mse = float(loss_fn(y, model(x, training=False)))
            n = int(tf.shape(x)[0])
            total += batch_mse * n
            count += n
        return total / count

    assert nb07.q3.evaluate(cast)[0] is Status.PASS

    def uncast(model, dataset):  # a Python float times an int32 tensor: a TypeError
        total, count = 0.0, 0
        for x, y in dataset:
            batch_mse = float(loss_fn(y, model(x, training=False)))
            total += batch_mse * tf.shape(x)[0]
            count += tf.shape(x)[0]
        return total / count

    status, message = nb07.q3.evaluate(uncast)
    assert status is Status.FAIL and "int32" in message and "per example" not in message


def test_keras_losses_functions_get_a_message_not_an_error():
    import keras
    import tensorflow as tf

    def my_train_step(model, optimizer, x, y):
        with tf.GradientTape() as tape:
            data_loss = keras.losses.mean_squared_error(y, model(x, training=True))
            penalty = sum(model.losses)
            loss = data_loss + penalty
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        return data_loss, penalty

    status, message = nb07.q1.evaluate(my_train_step)
    assert status is Status.FAIL and "one value per example" in message

    def my_evaluate(model, dataset):
        total, count = 0.0, 0
        for x, y in dataset:
            batch_mse = float(keras.losses.mean_squared_error(y, model(x, training=False)))
            total += batch_mse * int(x.shape[0])
            count += int(x.shape[0])
        return total / count

    status, message = nb07.q3.evaluate(my_evaluate)
    assert status is Status.FAIL and "MeanSquaredError()" in message

    def with_reduce_mean(model, optimizer, x, y):  # and tf.add_n in place of sum
        with tf.GradientTape() as tape:
            data_loss = tf.reduce_mean(keras.losses.mean_squared_error(y, model(x, training=True)))
            penalty = tf.add_n(model.losses)
            loss = data_loss + penalty
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        return data_loss, penalty

    assert nb07.q1.evaluate(with_reduce_mean)[0] is Status.PASS


def test_no_message_prints_the_reference_value():
    """A wrong answer's message names the mistake; it never gives away the expected number."""
    for question in (nb07.q1, nb07.q2, nb07.q3):
        for wrong in question.wrong_answers:
            status, message = question.evaluate(wrong)
            assert status is Status.FAIL and "the answer is" not in message


def test_q2_rejects_the_library_shortcuts_but_not_a_comment_about_them():
    import tensorflow as tf

    def with_global_norm(grads, max_norm):
        global_norm = tf.linalg.global_norm(grads)
        return [g * max_norm / tf.maximum(global_norm, max_norm) for g in grads]

    def with_clip(grads, max_norm):
        return tf.clip_by_global_norm(grads, max_norm)[0]

    for answer, name in [(with_global_norm, "linalg.global_norm"), (with_clip, "clip_by_")]:
        status, message = nb07.q2.evaluate(answer)
        assert status is Status.FAIL and name in message and "tf.sqrt" in message

    def from_scratch(grads, max_norm):  # the same as tf.clip_by_global_norm, by hand
        global_norm = tf.sqrt(sum(tf.reduce_sum(tf.square(g)) for g in grads))
        return [g * max_norm / tf.maximum(global_norm, max_norm) for g in grads]

    assert nb07.q2.evaluate(from_scratch)[0] is Status.PASS


def test_q1_names_a_single_return_value_and_a_missing_penalty():
    import tensorflow as tf

    def total_only(model, optimizer, x, y):  # the step of notebook 07, returning one loss
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((y - model(x, training=True)) ** 2) + sum(model.losses)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        return loss

    status, message = nb07.q1.evaluate(total_only)
    assert status is Status.FAIL and "return two values" in message

    def zero_penalty(model, optimizer, x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((y - model(x, training=True)) ** 2)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        return loss, 0.0

    status, message = nb07.q1.evaluate(zero_penalty)
    assert status is Status.FAIL and "penalty is zero" in message
