"""Exercises of notebook 07: a custom training loop with ``tf.GradientTape``.

Each checker builds its own tiny model with fixed weights (zeros initializers, then
``set_weights``), so checking an answer never draws from the notebook's random generators.
"""

from __future__ import annotations

import inspect
import io
import re
import textwrap
import tokenize
from typing import Any

import numpy as np

from gdcourse.exercises.core import Exercise, Incorrect, call_answer


def _tiny_model(seed: int = 0, l2: float | None = None) -> Any:
    """A 3 -> 4 (ReLU) -> 1 network with fixed, seed-determined weights; with ``l2``, an L2
    penalty ``l2 * sum(kernel**2)`` on both kernels, in ``model.losses``."""
    import keras

    reg = keras.regularizers.L2(l2) if l2 else None
    model = keras.Sequential(
        [
            keras.Input(shape=(3,)),
            keras.layers.Dense(4, "relu", kernel_initializer="zeros", kernel_regularizer=reg),
            keras.layers.Dense(1, kernel_initializer="zeros", kernel_regularizer=reg),
        ]
    )
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(scale=0.7, size=w.shape).astype("float32")
                       for w in model.get_weights()])  # fmt: skip
    return model


def _batch(n: int = 16, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]]) + 0.1 * rng.normal(size=(n, 1))).astype("float32")
    return x, y


_PER_EXAMPLE = (
    "the loss has one value per example (shape {shape}): keras.losses.mean_squared_error "
    "(keras.losses.mse) does not average over the batch. Use the loss object, "
    "keras.losses.MeanSquaredError()(y, y_pred), which returns the batch mean (or "
    "tf.reduce_mean of the per-example losses)"
)


def _looks_like_per_example(exc: Exception) -> bool:
    text = str(exc).lower()
    return isinstance(exc, TypeError | ValueError) and any(
        words in text
        for words in ("only length-1", "only 0-dimensional", "size-1 arrays", "scalar", "convert")
    )


# ---- q1: a train step that reports the data loss and the penalty separately -------------
L2 = 0.05  # the L2 factor on q1's kernels: the penalty is about 5% of the first loss, far
# beyond the tolerance


def _train_step_with(model: Any, optimizer: Any, x: Any, y: Any, mistake: str = "") -> Any:
    """The reference step (``mistake=""``) and the known mistakes, named by ``mistake``:
    returns ``(data_loss, penalty)``, both at the weights the step started from."""
    import tensorflow as tf

    with tf.GradientTape() as tape:
        residual = y - model(x, training=True)
        mse = tf.reduce_sum(residual**2) if mistake == "sum" else tf.reduce_mean(residual**2)
        penalty = tf.add_n(model.losses)
        loss = mse if mistake == "outside" else mse + penalty
    grads = tape.gradient(loss, model.trainable_variables)
    if mistake == "ascent":
        grads = [-g for g in grads]
    optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
    if mistake == "after":  # the penalty read again after the update
        penalty = tf.add_n(model.losses)
    if mistake == "total":
        return loss, penalty
    if mistake == "swapped":
        return penalty, mse
    return mse, penalty


def _train_step(model: Any, optimizer: Any, x: Any, y: Any) -> Any:
    return _train_step_with(model, optimizer, x, y)


def _scalar(value: Any) -> float:
    values = np.asarray(value, dtype=float)
    if values.size != 1:
        raise Incorrect(_PER_EXAMPLE.format(shape=values.shape))
    return float(values.reshape(-1)[0])


def _run_steps(step: Any, steps: int = 3) -> tuple[list[float], list[float], list[np.ndarray]]:
    """The data losses and penalties ``step`` returns over ``steps`` steps, and the weights
    it ends on."""
    import keras

    model, optimizer = _tiny_model(l2=L2), keras.optimizers.SGD(learning_rate=0.1)
    x, y = _batch()
    data_losses, penalties = [], []
    for _ in range(steps):
        try:
            result = call_answer(step, model, optimizer, x, y)
        except ValueError as exc:
            if "gradient" in str(exc).lower():
                raise Incorrect(
                    "no gradients reached the optimizer: compute the whole loss, "
                    "sum(model.losses) included, inside `with tf.GradientTape() as tape:`, "
                    "then call tape.gradient(loss, model.trainable_variables)"
                ) from None
            raise
        if not isinstance(result, list | tuple) or len(result) != 2:
            raise Incorrect(
                f"return two values, (data_loss, penalty), got {result!r:.80}: the mean "
                "squared error and sum(model.losses), separately"
            )
        data_losses.append(_scalar(result[0]))
        penalties.append(_scalar(result[1]))
    return data_losses, penalties, model.get_weights()


def _gap(a: list[np.ndarray], b: list[np.ndarray]) -> float:
    return max(float(np.abs(u - v).max()) for u, v in zip(a, b, strict=True))


def _check_train_step(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect("pass your function itself, my_train_step, without calling it")
    ref_data, ref_penalty, ref_weights = _run_steps(_train_step)
    data, penalty, weights = _run_steps(answer)

    def close(a: float, b: float) -> bool:
        return bool(np.isclose(a, b, rtol=1e-4, atol=1e-6))

    if close(data[0], ref_penalty[0]) and close(penalty[0], ref_data[0]):
        raise Incorrect("the two values are swapped: return (data_loss, penalty) in that order")
    if close(data[0], ref_data[0] + ref_penalty[0]):
        raise Incorrect(
            "your data loss includes the penalty: return the mean squared error alone as the "
            "first value; the step descends on their sum"
        )
    if not close(data[0], ref_data[0]):
        raise Incorrect(
            f"the first data loss is {data[0]:.6g}, not the reference step's: it is the mean "
            "squared error over the batch, of model(x, training=True) against y"
        )
    if abs(penalty[0]) < 1e-8:
        raise Incorrect(
            "your penalty is zero: the model's own losses are in model.losses (the L2 penalty "
            "on the kernels); return their sum"
        )
    good_weights = _gap(weights, ref_weights) <= 1e-5
    if not close(penalty[0], ref_penalty[0]):
        if good_weights:
            raise Incorrect(
                "the updates are right, but the penalty you return was read after "
                "apply_gradients: return the one the step descended on, read inside the tape"
            )
        raise Incorrect(
            f"the first penalty is {penalty[0]:.6g}, not the reference step's: it is "
            "sum(model.losses), read inside the tape at the weights the step starts from"
        )
    same_values = np.allclose(data, ref_data, 1e-4, 1e-6) and np.allclose(
        penalty, ref_penalty, 1e-4, 1e-6
    )
    if not good_weights or not same_values:
        _, _, outside = _run_steps(lambda m, o, x, y: _train_step_with(m, o, x, y, "outside"))
        if _gap(weights, outside) < 1e-5:
            raise Incorrect(
                "both values are right, but the penalty is not in the gradient: take "
                "tape.gradient of data_loss + penalty, computed inside the tape, so the update "
                "sees it"
            )
        raise Incorrect(
            f"the first step's values are right, but the updates are not: after 3 steps the "
            f"data loss is {data[-1]:.6g}, not the reference step's. Take the gradient of "
            "data_loss + penalty with respect to model.trainable_variables and pass it to "
            "apply_gradients unchanged"
        )
    return "3 steps give the reference data losses, penalties and weights."


q1 = Exercise(
    "Q1. A train step that reports the data loss and the penalty",
    """
    Write `my_train_step(model, optimizer, x, y)`: one step of gradient descent on the mean
    squared error over the batch plus the model's own losses, `sum(model.losses)`, returning
    the two terms separately, `(data_loss, penalty)`, at the weights the step started from.
    """,
    checker=_check_train_step,
    tolerance="relative 1e-04 on both values over 3 steps, absolute 1e-05 on the weights",
    reference=_train_step,
    hints=[
        "The check's model has an L2 penalty on its kernels: model.losses holds it, "
        "recomputed from the current weights each time you read it. Read it inside the tape, "
        "so tape.gradient sees it, and before apply_gradients changes the weights.",
        "Inside the tape: data_loss = loss_fn(y, model(x, training=True)); penalty = "
        "sum(model.losses); take tape.gradient(data_loss + penalty, "
        "model.trainable_variables).",
    ],
    solution="""
    import keras
    import tensorflow as tf

    loss_fn = keras.losses.MeanSquaredError()  # as defined earlier in the notebook


    def my_train_step(model, optimizer, x, y):
        with tf.GradientTape() as tape:
            data_loss = loss_fn(y, model(x, training=True))
            penalty = sum(model.losses)
            loss = data_loss + penalty
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        return data_loss, penalty
    """,
    wrong_answers=[
        # the penalty returned but left out of the gradient
        lambda model, optimizer, x, y: _train_step_with(model, optimizer, x, y, "outside"),
        # the total returned as the data loss
        lambda model, optimizer, x, y: _train_step_with(model, optimizer, x, y, "total"),
        # the two values in the wrong order
        lambda model, optimizer, x, y: _train_step_with(model, optimizer, x, y, "swapped"),
        # the summed, not the mean, squared error: a 16-times larger loss and step
        lambda model, optimizer, x, y: _train_step_with(model, optimizer, x, y, "sum"),
        # gradient ascent: the first values are right, the loss then goes up
        lambda model, optimizer, x, y: _train_step_with(model, optimizer, x, y, "ascent"),
        # the penalty read again after apply_gradients
        lambda model, optimizer, x, y: _train_step_with(model, optimizer, x, y, "after"),
    ],
)


# ---- q2: clipping by global norm ---------------------------------------------------------
def _clip(grads: list, max_norm: float) -> list:
    import tensorflow as tf

    clipped, _ = tf.clip_by_global_norm([tf.convert_to_tensor(g) for g in grads], max_norm)
    return clipped


def _clip_cases() -> list[tuple[list[np.ndarray], float, str]]:
    rng = np.random.default_rng(7)
    return [
        ([np.array([3.0, 0.0], "float32"), np.array([[0.0], [4.0]], "float32")], 1.0,
         "two gradients with global norm 5 and max_norm 1"),
        ([np.array([0.3, 0.0], "float32"), np.array([[0.0], [0.4]], "float32")], 1.0,
         "gradients with global norm 0.5, already below max_norm 1"),
        ([rng.normal(size=s).astype("float32") for s in [(3, 4), (4,), (4, 1), (1,)]], 2.0,
         "four random gradients and max_norm 2"),
    ]  # fmt: skip


def _clip_hint(grads: list, max_norm: float, got: Any, what: str) -> str:
    """Name the mistake that reproduces ``got``: a missing sqrt, or one norm per gradient."""
    if "below" in what:
        return "when the global norm is already below max_norm, return the gradients unchanged"
    squares = float(sum(np.sum(np.asarray(g, "float64") ** 2) for g in grads))
    no_sqrt = [np.asarray(g) * max_norm / max(squares, max_norm) for g in grads]
    per_gradient = [
        np.asarray(g) * max_norm / max(float(np.linalg.norm(g)), max_norm) for g in grads
    ]

    def matches(candidate: list) -> bool:
        return all(
            np.shape(g) == c.shape and np.allclose(np.asarray(g, "float64"), c, rtol=1e-5)
            for g, c in zip(got, candidate, strict=True)
        )

    if matches(no_sqrt):
        return (
            "you divided by the sum of squares; the global norm is its square root, "
            "tf.sqrt(sum of tf.reduce_sum(tf.square(g)))"
        )
    if matches(per_gradient):
        return (
            "you clipped each gradient by its own norm; the global norm is sqrt of the sum "
            "of squares over ALL the gradients together, one norm for the whole list"
        )
    return (
        "the global norm is sqrt of the sum of squares over ALL the gradients together, "
        "and every gradient is multiplied by max_norm / max(global_norm, max_norm)"
    )


_SHORTCUT = re.compile(r"linalg\.global_norm|clip_by_\w+")  # library calls that do q2 for you


def _code_of(function: Any) -> str | None:
    """The source of ``function`` without comments and strings, or None where Python has
    no source for it (a built-in, code typed at a bare interpreter prompt)."""
    try:
        source = textwrap.dedent(inspect.getsource(function))
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
        return "".join(
            t.string for t in tokens if t.type not in (tokenize.COMMENT, tokenize.STRING)
        )
    except (OSError, TypeError, tokenize.TokenError, IndentationError, SyntaxError):
        return None


def _check_clip(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect("pass your function itself, my_clip, without calling it")
    shortcut = _SHORTCUT.search(_code_of(answer) or "")
    if shortcut:
        raise Incorrect(
            f"your my_clip calls {shortcut.group()}, which does the exercise for you: compute "
            "the global norm with tf.sqrt, tf.reduce_sum and tf.square, then rescale with "
            "tf.maximum and arithmetic"
        )
    for grads, max_norm, what in _clip_cases():
        want = [np.asarray(g) for g in _clip(grads, max_norm)]
        got = call_answer(answer, [g.copy() for g in grads], max_norm)
        if not isinstance(got, list | tuple) or len(got) != len(grads):
            raise Incorrect(f"return a list of {len(grads)} clipped gradients, got {got!r:.80}")
        for g, w in zip(got, want, strict=True):
            g = np.asarray(g, dtype="float64")
            if g.shape != w.shape or not np.allclose(g, w, rtol=1e-5, atol=1e-7):
                hint = _clip_hint(grads, max_norm, got, what)
                raise Incorrect(f"wrong result for {what}: {hint}")
    return "matches tf.clip_by_global_norm on all 3 test cases."


q2 = Exercise(
    "Q2. Clipping by global norm, from scratch",
    """
    Write `my_clip(grads, max_norm)` returning the gradients rescaled so that their global
    norm is at most `max_norm`, using only tf.sqrt, tf.reduce_sum, tf.square, tf.maximum and
    arithmetic (no tf.linalg.global_norm, no tf.clip_by_...).
    """,
    checker=_check_clip,
    tolerance="relative 1e-05, absolute 1e-07 on every entry",
    reference=lambda grads, max_norm: _clip(grads, max_norm),
    hints=[
        "The global norm treats all the gradients as one long vector: square every entry of "
        "every gradient, add them all up, take the square root.",
        "global_norm = tf.sqrt(sum(tf.reduce_sum(tf.square(g)) for g in grads))",
    ],
    solution="""
    import tensorflow as tf


    def my_clip(grads, max_norm):
        global_norm = tf.sqrt(sum(tf.reduce_sum(tf.square(g)) for g in grads))
        return [g * max_norm / tf.maximum(global_norm, max_norm) for g in grads]
    """,
    wrong_answers=[
        # one norm per gradient (tf.clip_by_norm on each): a different direction
        lambda grads, max_norm: [
            g * max_norm / max(float(np.linalg.norm(g)), max_norm) for g in grads
        ],
        # the sum of squares, without the square root, taken as the global norm
        lambda grads, max_norm: [
            g * max_norm / max(sum(float(np.sum(h**2)) for h in grads), max_norm) for g in grads
        ],
        # always rescales to max_norm, even short gradients get longer
        lambda grads, max_norm: [
            g * max_norm / np.sqrt(sum(float(np.sum(h**2)) for h in grads)) for g in grads
        ],
    ],  # fmt: skip
)


# ---- q3: evaluation over a batched dataset ------------------------------------------------
def _evaluate(model: Any, dataset: Any) -> float:
    import keras

    loss_fn = keras.losses.MeanSquaredError()
    total, count = 0.0, 0
    for x, y in dataset:
        n = int(x.shape[0])
        total += float(loss_fn(y, model(x, training=False))) * n
        count += n
    return total / count


def _check_evaluate(answer: Any) -> str:
    import tensorflow as tf

    if not callable(answer):
        raise Incorrect("pass your function itself, my_evaluate, without calling it")
    model = _tiny_model(seed=3)
    x, y = _batch(n=50, seed=4)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)  # 16, 16, 16 and 2 rows
    want = float(np.mean((np.asarray(model(x, training=False)) - y) ** 2))
    try:
        got = call_answer(answer, model, dataset)
    except (TypeError, ValueError) as exc:
        if "dtype int" in str(exc):
            raise Incorrect(
                f"a Python float times an integer tensor failed ({exc}): tf.shape(x)[0] is an "
                "int32 tensor; cast it to a number first, int(tf.shape(x)[0]) or int(x.shape[0])"
            ) from None
        if _looks_like_per_example(exc):
            raise Incorrect(
                f"float(...) failed on a whole batch of losses ({exc}): "
                + _PER_EXAMPLE.format(shape="(batch,)")
            ) from None
        raise
    try:
        got = float(got)
    except (TypeError, ValueError):
        raise Incorrect(f"return one number (a Python float), got {got!r:.80}") from None
    if not np.isclose(got, want, rtol=1e-4):
        batch_mses = [
            float(np.mean((np.asarray(model(a, training=False)) - b) ** 2)) for a, b in dataset
        ]
        unweighted = float(np.mean(batch_mses))
        weight = got * 50 / sum(batch_mses)  # the constant weight per batch, if there is one
        if np.isclose(got, unweighted, rtol=1e-4):
            raise Incorrect(
                f"your answer ({got:.6g}) is the plain mean of the 4 batch losses: every batch "
                f"counted the same, but the last has only 2 rows, so weight each batch by its "
                f"own number of rows"
            )
        if np.isclose(got, want * 50 / len(batch_mses), rtol=1e-4):
            raise Incorrect(
                f"your answer ({got:.6g}) is the weighted sum divided by the number of batches "
                f"({len(batch_mses)}): divide by the number of rows (50)"
            )
        if abs(weight - round(weight)) < 1e-3 and round(weight) > 1:
            raise Incorrect(
                f"your answer ({got:.6g}) weights every batch by the same {round(weight)}, "
                f"but the batches have 16, 16, 16 and 2 rows: weight each batch by its own "
                f"number of rows, and divide by the 50 rows"
            )
        raise Incorrect(
            f"got {got:.6g}, not the mean squared error over all 50 examples: weight each "
            "batch's mean by its number of rows, then divide by the total number of rows"
        )
    return "correct over 50 examples in batches of 16, 16, 16 and 2."


q3 = Exercise(
    "Q3. Evaluate over a batched dataset",
    """
    Write `my_evaluate(model, dataset)`: the mean squared error of `model` over every example
    of a batched dataset of `(x, y)` pairs, as a Python float.
    """,
    checker=_check_evaluate,
    tolerance="relative 1e-04",
    reference=_evaluate,
    hints=[
        "batch_mse is a mean over its batch: a batch of 2 rows must count 2/16 as much as "
        "one of 16 rows.",
        "Weight by the batch size: n = int(x.shape[0]) (or int(tf.shape(x)[0])); "
        "total += batch_mse * n; count += n.",
    ],
    solution="""
    import keras

    loss_fn = keras.losses.MeanSquaredError()  # as defined earlier in the notebook


    def my_evaluate(model, dataset):
        total, count = 0.0, 0
        for x, y in dataset:
            batch_mse = float(loss_fn(y, model(x, training=False)))  # the mean over this batch
            n = int(x.shape[0])  # the number of rows in this batch
            total += batch_mse * n
            count += n
        return total / count
    """,
    wrong_answers=[
        # the mean of the batch means: the 2-row batch weighs as much as a 16-row one
        lambda model, dataset: float(
            np.mean(
                [
                    float(np.mean((np.asarray(model(x, training=False)) - y) ** 2))
                    for x, y in dataset
                ]
            )
        ),
        # every batch weighted by its size, but divided by the number of batches (4), not rows
        lambda model, dataset: (
            sum(
                float(np.mean((np.asarray(model(x, training=False)) - y) ** 2)) * int(x.shape[0])
                for x, y in dataset
            )
            / 4
        ),
        # every batch weighted by a constant 64 (the notebook's batch size), divided by 50 rows
        lambda model, dataset: (
            sum(
                float(np.mean((np.asarray(model(x, training=False)) - y) ** 2)) * 64
                for x, y in dataset
            )
            / 50
        ),
    ],  # fmt: skip
)
