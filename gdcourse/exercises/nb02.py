"""Exercises for notebook 02 (batch, stochastic and mini-batch gradient descent)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from gdcourse.exercises.core import Exercise, Incorrect, call_answer, tolerance_text

# ---- q1: counting updates ------------------------------------------------------------------
_N, _B, _EPOCHS = 20_000, 64, 5


def _check_updates(answer: object) -> str:
    if isinstance(answer, bool) or not isinstance(answer, int | float | np.number):
        raise Incorrect(f"give the number of updates as a number; got {answer!r}")
    if float(answer) != round(float(answer)) and answer != _N / _B * _EPOCHS:
        raise Incorrect(f"updates are whole steps; {answer!r} is not a whole number")
    per_epoch = math.ceil(_N / _B)
    if answer == per_epoch * _EPOCHS:
        return f"{per_epoch} updates per epoch (the last batch has {_N % _B} rows) x {_EPOCHS}."
    if answer == (_N // _B) * _EPOCHS:
        raise Incorrect(
            f"{_N} / {_B} is not a whole number: the last, smaller batch of {_N % _B} rows is "
            "an update too"
        )
    if answer == _N / _B * _EPOCHS:
        raise Incorrect("updates are whole steps: round the number of batches per epoch up")
    if answer == _N * _EPOCHS:
        raise Incorrect("that counts examples; one update uses a whole batch of 64 of them")
    if answer == math.ceil(_N / _B):
        raise Incorrect("that is one epoch; training runs for 5")
    raise Incorrect("count the batches in one epoch (rounding up), then multiply by the epochs")


q1 = Exercise(
    "Q1. How many updates?",
    f"""
    `model.fit(X, y, batch_size={_B}, epochs={_EPOCHS})` on {_N:,} rows: how many times does
    the optimizer update the weights? Set `updates` to that number.
    """,
    checker=_check_updates,
    tolerance="exact (a whole number)",
    reference=math.ceil(_N / _B) * _EPOCHS,
    hints=[
        "Each batch gives one update; one epoch is one pass over all rows.",
        f"ceil({_N} / {_B}) batches per epoch, times {_EPOCHS} epochs.",
    ],
    solution=f"""
    import math

    updates = math.ceil({_N} / {_B}) * {_EPOCHS}  # or -(-{_N} // {_B}) * {_EPOCHS}
    """,
    wrong_answers=[(_N // _B) * _EPOCHS, _N / _B * _EPOCHS, _N * _EPOCHS, math.ceil(_N / _B)],
)


# ---- q2: shuffled mini-batches, all full ---------------------------------------------------
def _batches(n: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """One epoch's full mini-batches: a fresh permutation cut into pieces of ``batch_size``;
    the ``n % batch_size`` rows left at its end (a random set) sit out this epoch."""
    order = rng.permutation(n)
    return [order[start : start + batch_size] for start in range(0, n - batch_size + 1, batch_size)]


def _parts(fn: Callable[..., Any], n: int, size: int, seed: int) -> list[np.ndarray]:
    out = call_answer(fn, n, size, np.random.default_rng(seed))
    try:
        return [np.asarray(b).ravel() for b in out]
    except TypeError:
        raise Incorrect(f"return a list of index arrays; got {out!r}") from None


def _check_batches(fn: object) -> str:
    if not callable(fn):
        raise Incorrect(f"pass your function itself (without calling it); got {fn!r}")
    for n, size in [(10, 3), (100, 32), (64, 64), (5, 1), (70, 8)]:
        parts = _parts(fn, n, size, 0)
        call = f"batches({n}, {size}, rng)"
        got_sizes = [len(b) for b in parts]
        if n % size and got_sizes and got_sizes[-1] == n % size:
            raise Incorrect(
                f"{call}: the last batch holds only the rows left over ({n % size} of them); "
                "drop it, so that every batch has exactly batch_size rows"
            )
        if any(s != size for s in got_sizes):
            raise Incorrect(f"{call}: every batch should hold {size} rows; got sizes {got_sizes}")
        if len(parts) != n // size:
            raise Incorrect(f"{call}: {len(parts)} batches; as many full batches as fit, please")
        seen = np.concatenate(parts) if parts else np.array([], dtype=int)
        if np.any((seen < 0) | (seen >= n)):
            raise Incorrect(f"{call}: row indices must lie in 0 .. {n - 1}")
        if len(set(seen.tolist())) != len(seen):
            raise Incorrect(
                f"{call}: some rows appear twice in one epoch; draw without replacement "
                "(shuffle the rows, then cut)"
            )
    first = np.concatenate(_parts(fn, 100, 30, 1))
    if np.array_equal(first, np.arange(90)):
        raise Incorrect("the rows come out in their original order: shuffle them with rng first")
    if np.array_equal(first, np.concatenate(_parts(fn, 100, 30, 2))):
        raise Incorrect("two different generators gave the same order: shuffle with `rng`")
    if not np.array_equal(first, np.concatenate(_parts(fn, 100, 30, 1))):
        raise Incorrect(
            "two generators with the same seed gave different orders, so the order does not "
            "come from `rng` (np.random.permutation and the random module ignore it): draw "
            "it with rng"
        )
    left_out = [
        set(range(100)) - set(np.concatenate(_parts(fn, 100, 30, s)).tolist()) for s in (1, 2, 3)
    ]
    if all(rows == set(range(90, 100)) for rows in left_out):
        raise Incorrect(
            "the same rows (the last ones) sit out every epoch, so they are never trained "
            "on: shuffle all n rows, then drop what is left over"
        )
    return "full batches in a fresh random order; a random few rows sit out each epoch."


q2 = Exercise(
    "Q2. Shuffled mini-batches, all full",
    """
    Write `batches(n, batch_size, rng)` returning one epoch's mini-batches as `tf.data`'s
    `.shuffle(n).batch(batch_size, drop_remainder=True)` makes them: a list of arrays of
    row indices, each of exactly `batch_size` rows, no row twice, in a random order drawn
    from the NumPy generator `rng`. The `n % batch_size` rows left over sit out this epoch:
    a random few, not always the same ones.
    """,
    checker=_check_batches,
    tolerance="exact: full batches, no row twice, a random order from rng",
    reference=_batches,
    hints=[
        "Shuffle all the row numbers first, then cut them into consecutive full pieces.",
        "rng.permutation(n) gives the row numbers in a random order; n // batch_size full "
        "batches fit.",
    ],
    solution="""
    def batches(n, batch_size, rng):
        order = rng.permutation(n)
        return [order[i * batch_size : (i + 1) * batch_size] for i in range(n // batch_size)]
    """,
    wrong_answers=[
        lambda n, b, rng: [rng.permutation(n)[s : s + b] for s in range(0, n, b)],  # keeps last
        lambda n, b, rng: [np.arange(n)[s : s + b] for s in range(0, n - b + 1, b)],  # no shuffle
        lambda n, b, rng: [rng.integers(0, n, size=b) for _ in range(n // b)],  # replacement
        lambda n, b, rng: np.split(rng.permutation(n - n % b), n // b),  # same rows sit out
        lambda n, b, rng: np.split(np.random.permutation(n)[: n - n % b], n // b),  # not rng
    ],
)


# ---- q3: how the noise shrinks ---------------------------------------------------------------
_N_TRAIN, _B_FROM, _B_TO = 12_384, 1_024, 4_096
_RTOL_NOISE = 5e-3


def _variance(batch_size: int) -> float:
    """Variance of a mini-batch gradient drawn without replacement, in units of sigma^2."""
    return (_N_TRAIN - batch_size) / (batch_size * (_N_TRAIN - 1))


_NOISE_RATIO = math.sqrt(_variance(_B_FROM) / _variance(_B_TO))


def _check_noise(answer: object) -> str:
    if isinstance(answer, bool) or not isinstance(answer, int | float | np.number):
        raise Incorrect(f"give the factor as a number; got {answer!r}")
    value = float(answer)
    if np.isclose(value, _NOISE_RATIO, rtol=_RTOL_NOISE):
        return (
            "the finite-population factor (n - B)/(n - 1) shrinks the larger batch's variance "
            "more, so the noise falls by more than 1/sqrt(B) alone predicts."
        )
    if value < 1:
        raise Incorrect("the noise gets smaller: give the factor it shrinks by, above 1")
    if np.isclose(value, math.sqrt(_B_TO / _B_FROM), rtol=1e-3):
        raise Incorrect(
            "that is 1/sqrt(B) alone; at B = 4,096, a third of the data, the factor "
            "(n - B)/(n - 1) of the formula matters too"
        )
    if np.isclose(value, _NOISE_RATIO**2, rtol=_RTOL_NOISE) or np.isclose(
        value, _B_TO / _B_FROM, rtol=1e-3
    ):
        raise Incorrect(
            "that is a ratio of variances (mean squared distances); the standard deviation "
            "is the square root of the variance"
        )
    raise Incorrect(
        "evaluate the formula's variance at both batch sizes, divide, then take the square root"
    )


q3 = Exercise(
    "Q3. Bigger batches, less noise",
    f"""
    On the {_N_TRAIN:,}-row training split, by what factor does the **standard deviation**
    of the mini-batch gradient (batches drawn without replacement, as in the formula of
    *The noise of a mini-batch gradient*) shrink when the batch size grows from {_B_FROM:,}
    to {_B_TO:,}? Set `noise_ratio` (a number above 1).
    """,
    checker=_check_noise,
    tolerance=tolerance_text(_RTOL_NOISE),
    reference=_NOISE_RATIO,
    hints=[
        "The variance is sigma^2 / B * (n - B) / (n - 1); sigma^2 and n - 1 cancel in a ratio.",
        "noise_ratio = sqrt(variance at 1,024 / variance at 4,096); the standard deviation is "
        "the square root of the variance.",
    ],
    solution=f"""
    n = {_N_TRAIN}


    def variance(B):  # in units of sigma^2
        return (n - B) / (B * (n - 1))


    noise_ratio = (variance({_B_FROM}) / variance({_B_TO})) ** 0.5
    """,
    wrong_answers=[2.0, _NOISE_RATIO**2, 4.0, 1 / _NOISE_RATIO],
)
