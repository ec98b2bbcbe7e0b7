"""Exercises for notebook 02 (batch, stochastic and mini-batch gradient descent)."""

from __future__ import annotations

import math

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


# ---- q2: shuffled mini-batches -------------------------------------------------------------
def _batches(n: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Row indices of one epoch's mini-batches: a fresh permutation cut into pieces."""
    order = rng.permutation(n)
    return [order[start : start + batch_size] for start in range(0, n, batch_size)]


def _check_batches(fn: object) -> str:
    if not callable(fn):
        raise Incorrect(f"pass your function itself (without calling it); got {fn!r}")
    for n, size in [(10, 3), (100, 32), (64, 64), (5, 1)]:
        out = call_answer(fn, n, size, np.random.default_rng(0))
        try:
            parts = [np.asarray(b).ravel() for b in out]
        except TypeError:
            raise Incorrect(f"return a list of index arrays; got {out!r}") from None
        call = f"batches({n}, {size}, rng)"
        expected_sizes = [size] * (n // size) + ([n % size] if n % size else [])
        got_sizes = [len(b) for b in parts]
        seen = np.concatenate(parts) if parts else np.array([], dtype=int)
        if sorted(seen.tolist()) != list(range(n)):
            missing = sorted(set(range(n)) - set(seen.tolist()))
            if missing:
                raise Incorrect(
                    f"{call}: rows {missing[:5]} are never used; every row must appear once per "
                    "epoch (is the last, smaller batch missing, or did you sample with "
                    "replacement?)"
                )
            raise Incorrect(f"{call}: some rows appear twice; each row once per epoch")
        if got_sizes != expected_sizes:
            raise Incorrect(f"{call}: batch sizes should be {expected_sizes}, got {got_sizes}")
    first = np.concatenate(call_answer(fn, 100, 10, np.random.default_rng(1)))
    second = np.concatenate(call_answer(fn, 100, 10, np.random.default_rng(2)))
    if np.array_equal(first, np.arange(100)):
        raise Incorrect("the rows come out in their original order: shuffle them with rng first")
    if np.array_equal(first, second):
        raise Incorrect("two different generators gave the same order: shuffle with `rng`")
    again = np.concatenate(call_answer(fn, 100, 10, np.random.default_rng(1)))
    if not np.array_equal(first, again):
        raise Incorrect(
            "two generators with the same seed gave different orders, so the order does not "
            "come from `rng` (np.random.permutation and the random module ignore it): draw "
            "it with rng.permutation(n)"
        )
    return "every row once per epoch, in a fresh random order, in batches of the right size."


q2 = Exercise(
    "Q2. Shuffled mini-batches",
    """
    Write `batches(n, batch_size, rng)` returning one epoch's mini-batches: a list of arrays
    of row indices, every row exactly once, in a random order drawn from the NumPy generator
    `rng`, all of size `batch_size` except possibly the last.
    """,
    checker=_check_batches,
    tolerance="exact: every row once, batch sizes as stated",
    reference=_batches,
    hints=[
        "Shuffle the row numbers 0 .. n-1 first, then cut them into consecutive pieces.",
        "rng.permutation(n) gives the row numbers in a random order.",
    ],
    solution="""
    def batches(n, batch_size, rng):
        order = rng.permutation(n)
        return [order[start : start + batch_size] for start in range(0, n, batch_size)]
    """,
    wrong_answers=[
        lambda n, b, rng: [np.arange(n)[s : s + b] for s in range(0, n, b)],  # no shuffle
        lambda n, b, rng: [rng.integers(0, n, size=min(b, n - s)) for s in range(0, n, b)],
        lambda n, b, rng: [rng.permutation(n)[s : s + b] for s in range(0, n - b + 1, b)],
        lambda n, b, rng: np.array_split(np.random.permutation(n), range(b, n, b)),  # not rng
    ],
)


# ---- q3: how the noise shrinks ---------------------------------------------------------------
_RTOL_NOISE = 5e-3


def _check_noise(answer: object) -> str:
    if isinstance(answer, bool) or not isinstance(answer, int | float | np.number):
        raise Incorrect(f"give the factor as a number; got {answer!r}")
    if np.isclose(float(answer), 4.0, rtol=_RTOL_NOISE):
        return "16 times the batch: the variance falls 16-fold, its square root 4-fold."
    if np.isclose(float(answer), 16.0, rtol=1e-3):
        raise Incorrect(
            "16 is the factor for the mean squared distance (the variance); the standard "
            "deviation is its square root"
        )
    if np.isclose(float(answer), 0.25, rtol=1e-3) or np.isclose(float(answer), 1 / 16, rtol=1e-3):
        raise Incorrect("the noise gets smaller: give the factor it shrinks by, above 1")
    raise Incorrect("the variance falls like 1/B; how does its square root fall?")


q3 = Exercise(
    "Q3. Bigger batches, less noise",
    """
    With a very large training set, by what factor does the **standard deviation** of the
    mini-batch gradient shrink when the batch size grows from 16 to 256? Set `noise_ratio`
    (a number above 1).
    """,
    checker=_check_noise,
    tolerance=tolerance_text(_RTOL_NOISE),
    reference=4.0,
    hints=[
        "The mean squared distance (the variance) is proportional to 1/B.",
        "256 / 16 = 16 times the batch; the standard deviation is the square root of the variance.",
    ],
    solution="noise_ratio = (256 / 16) ** 0.5",
    wrong_answers=[16.0, 0.25, 2.0],
)
