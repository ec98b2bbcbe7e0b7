"""Small Keras training helpers that several notebooks share.

The course's regression experiments all follow one recipe: split California housing into
train / validation / test, standardize with the *training* statistics, build a small dense
network from a fixed seed, and fit it with one optimizer. These helpers hold that recipe in one
place, so every notebook compares optimizers on the same footing and never on the test split.

    >>> import keras
    >>> from gdcourse.training import across_seeds, dense_regressor, fit_regressor, housing_splits
    >>> data = housing_splits(seed=42)          # train / validation / test, standardized
    >>> data
    HousingSplits(train=(12384, 8), val=(4128, 8), test=(4128, 8))
    >>> def final_val_loss(seed):
    ...     model = dense_regressor(hidden=(8,), seed=seed)
    ...     optimizer = keras.optimizers.Adam(1e-2)
    ...     history = fit_regressor(model, optimizer, data, epochs=2, batch_size=256, seed=seed)
    ...     return history["val_loss"][-1]
    >>> spread = across_seeds(final_val_loss, seeds=(0, 1))   # one number per seed
    >>> bool(spread.mean < 1.0)                # MSE in (100,000 $)^2; predicting the mean: 1.3
    True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from gdcourse._validate import (
    check_all_finite,
    check_float_dtype,
    check_in_range,
    check_int,
    check_int_sequence,
    check_seed,
)


@dataclass(frozen=True)
class HousingSplits:
    """California housing split three ways, features standardized with training statistics.

    ``x_* = (X_* - mean) / std`` where ``mean`` and ``std`` are computed on the training rows
    only. Targets are in units of $100,000 (scikit-learn's ``MedHouseVal``). Tune and compare
    on ``val``; look at ``test`` once, at the end.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    mean: np.ndarray
    std: np.ndarray

    def __repr__(self) -> str:
        return (
            f"HousingSplits(train={self.x_train.shape}, val={self.x_val.shape}, "
            f"test={self.x_test.shape})"
        )


def housing_splits(
    seed: int = 42,
    val_fraction: float = 0.2,
    test_fraction: float = 0.2,
    dtype: str = "float32",
) -> HousingSplits:
    """Split housing into train / validation / test (shuffled with ``seed``), standardized.

    The test split is carved first (``test_fraction`` of all rows), then ``val_fraction`` of
    all rows is taken from what remains for validation; the rest is training data.

    Args:
        seed: the shuffle's seed, an integer in ``[0, 2**32 - 1]`` (``None`` is refused: a
            split that changes on every call cannot be compared or checked).
        val_fraction, test_fraction: fractions of all rows, each in ``(0, 1)``, summing below 1.
        dtype: ``"float32"`` (Keras's default) or ``"float64"``; integer dtypes would truncate
            the targets and float16 cannot hold the features, so both are refused.
    """
    from sklearn.model_selection import train_test_split

    from gdcourse.data import load_housing, split_features

    seed = check_seed("seed", seed)
    dtype = check_float_dtype("dtype", dtype)
    for name, value in (("val_fraction", val_fraction), ("test_fraction", test_fraction)):
        check_in_range(name, value, 0.0, 1.0, low_inclusive=False)
    if val_fraction + test_fraction >= 1.0:
        raise ValueError(
            "`val_fraction + test_fraction` must be below 1. "
            f"Received: val_fraction={val_fraction}, test_fraction={test_fraction}"
        )
    X, y = split_features(load_housing())
    X, y = X.to_numpy(dtype), y.to_numpy(dtype)
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=test_fraction, random_state=seed
    )
    X_train, X_val, y_train, y_val = train_test_split(
        X_rest, y_rest, test_size=val_fraction / (1.0 - test_fraction), random_state=seed
    )
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    return HousingSplits(
        x_train=(X_train - mean) / std,
        y_train=y_train,
        x_val=(X_val - mean) / std,
        y_val=y_val,
        x_test=(X_test - mean) / std,
        y_test=y_test,
        mean=mean,
        std=std,
    )


def dense_regressor(
    hidden: Sequence[int] = (32,),
    n_features: int = 8,
    activation: str = "relu",
    seed: int | None = 42,
) -> Any:
    """A Keras ``Sequential`` regressor: ``Dense(h, activation)`` per entry of ``hidden``, then
    ``Dense(1)``. With ``seed`` set, the initial weights are the same on every call."""
    check_int("n_features", n_features, minimum=1)
    hidden = check_int_sequence("hidden", hidden, minimum=1, example="(32,) or (64, 32)")
    import keras  # after the checks: a slip is named without waiting for TensorFlow

    if seed is not None:
        keras.utils.set_random_seed(seed)
    layers = [keras.Input((n_features,))]
    layers += [keras.layers.Dense(width, activation=activation) for width in hidden]
    layers.append(keras.layers.Dense(1))
    return keras.Sequential(layers)


def fit_regressor(
    model: Any,
    optimizer: Any,
    data: HousingSplits,
    epochs: int = 10,
    batch_size: int = 32,
    callbacks: Iterable[Any] = (),
    seed: int | None = 42,
) -> dict[str, list[float]]:
    """Compile ``model`` with ``optimizer`` and the MSE loss, fit it on ``data``'s training split
    with ``data``'s validation split monitored, and return Keras's history dictionary
    (``loss``, ``val_loss`` per epoch, plus anything the callbacks log).

    With ``seed`` set, the batch order is the same on every call.
    """
    import keras

    check_int("epochs", epochs, minimum=1)
    check_int("batch_size", batch_size, minimum=1)
    optimizer = _keras_optimizer("optimizer", optimizer)
    arrays = _training_arrays(data)
    callbacks = _callback_list(callbacks)
    if seed is not None:
        keras.utils.set_random_seed(seed)
    model.compile(optimizer=optimizer, loss="mse")
    history = model.fit(
        arrays["x_train"],
        arrays["y_train"],
        epochs=epochs,
        batch_size=batch_size,
        validation_data=(arrays["x_val"], arrays["y_val"]),
        validation_batch_size=4096,
        verbose=0,
        callbacks=callbacks,
    )
    return history.history


def _training_arrays(data: Any) -> dict[str, np.ndarray]:
    """``data``'s train and validation arrays, each checked finite (a NaN would make every
    loss NaN without a word); a ``TypeError`` for anything that is not a :class:`HousingSplits`
    (or an object with the same four arrays)."""
    names = ("x_train", "y_train", "x_val", "y_val")
    if not all(hasattr(data, name) for name in names):
        what = (
            f"a {type(data).__name__} of {len(data)} items"
            if isinstance(data, (tuple, list))
            else f"{type(data).__name__}"
        )
        raise TypeError(
            "`data` must be the HousingSplits that housing_splits(seed=...) returns (an object "
            f"with x_train, y_train, x_val and y_val). Received: {what}"
        )
    out = {}
    for name in names:
        array = np.asarray(getattr(data, name))
        if np.issubdtype(array.dtype, np.floating):
            check_all_finite(f"data.{name}", array)
        out[name] = array
    return out


def _keras_optimizer(name: str, value: Any) -> Any:
    """A Keras optimizer (or the name of one, such as ``"adam"``), or a ``TypeError`` that
    says how to get one; a :mod:`gdcourse.optim` optimizer is told to call ``.to_keras()``."""
    import keras

    from gdcourse.optim import Optimizer

    if isinstance(value, keras.optimizers.Optimizer) or isinstance(value, str):
        return value
    if isinstance(value, Optimizer):
        raise TypeError(
            f"`{name}` must be a Keras optimizer; this is a gdcourse.optim one (NumPy, for the "
            "paths and widgets). Pass its Keras twin, which .to_keras() returns. Received: "
            f"{name}={value!r}"
        )
    if value is None:
        raise TypeError(
            f"`{name}` must be a Keras optimizer such as keras.optimizers.Adam(1e-3). Received: "
            f"{name}=None (a function that builds the optimizer must `return` it)"
        )
    raise TypeError(
        f"`{name}` must be a Keras optimizer such as keras.optimizers.Adam(1e-3). "
        f"Received: {name}={value!r}"
    )


def _callback_list(callbacks: Any) -> list[Any]:
    """``callbacks`` as a list of Keras callbacks; one callback alone gets a message that
    says to wrap it in a list."""
    import keras

    if isinstance(callbacks, keras.callbacks.Callback):
        name = type(callbacks).__name__
        raise TypeError(
            f"`callbacks` must be a list of callbacks; wrap the one you have in a list: "
            f"callbacks=[{name}(...)]. Received: callbacks={callbacks!r}"
        )
    if callbacks is None or isinstance(callbacks, (str, bytes, dict)):
        raise TypeError(f"`callbacks` must be a list of Keras callbacks. Received: {callbacks!r}")
    try:
        items = list(callbacks)
    except TypeError:
        raise TypeError(
            f"`callbacks` must be a list of Keras callbacks. Received: {callbacks!r}"
        ) from None
    for i, item in enumerate(items):
        if not isinstance(item, keras.callbacks.Callback):
            raise TypeError(
                f"`callbacks[{i}]` must be a Keras callback (keras.callbacks.Callback). "
                f"Received: {item!r}"
            )
    return items


@dataclass(frozen=True)
class SeedSpread:
    """One measurement repeated over several seeds: the values, their mean and spread."""

    seeds: tuple[int, ...]
    values: np.ndarray

    @property
    def mean(self) -> float:
        return float(np.mean(self.values))

    @property
    def std(self) -> float:
        """Sample standard deviation (``ddof=1``) across seeds."""
        return float(np.std(self.values, ddof=1)) if len(self.values) > 1 else 0.0

    def __str__(self) -> str:
        return f"{self.mean:.4g} ± {self.std:.2g} (n={len(self.values)} seeds)"

    def __repr__(self) -> str:
        return f"SeedSpread({self})"


def across_seeds(measure: Callable[[int], float], seeds: Sequence[int] = (0, 1, 2)) -> SeedSpread:
    """Run ``measure(seed)`` for each seed and collect the results as a :class:`SeedSpread`."""
    if not callable(measure):
        raise TypeError(f"`measure` must be a function of the seed. Received: {measure!r}")
    seeds = check_int_sequence("seeds", seeds, distinct=True)
    return SeedSpread(seeds, np.array([float(measure(s)) for s in seeds]))


@dataclass(frozen=True)
class SeedRuns:
    """Several seeds of one training recipe, trained side by side (see :func:`fit_seeds`).

    ``val_loss[e, k]`` is the validation MSE of seed ``seeds[k]`` after epoch ``e + 1``
    (``nan`` once that run has diverged).
    """

    seeds: tuple[int, ...]
    val_loss: np.ndarray
    history: dict[str, list[float]]

    @property
    def final(self) -> SeedSpread:
        """The last epoch's validation MSE of every seed, with mean and spread."""
        return SeedSpread(self.seeds, self.val_loss[-1].copy())

    def __repr__(self) -> str:
        return f"SeedRuns(seeds={self.seeds}, epochs={len(self.val_loss)}, final={self.final})"


def fit_seeds(
    make_optimizer: Callable[[], Any],
    data: HousingSplits,
    seeds: Sequence[int] = (0, 1, 2),
    hidden: Sequence[int] = (32,),
    epochs: int = 1,
    batch_size: int = 32,
    callbacks: Iterable[Any] = (),
) -> SeedRuns:
    """Train one :func:`dense_regressor` per seed, all in a single Keras ``fit``, and return
    each seed's validation MSE per epoch.

    Copy ``k`` starts from ``dense_regressor(hidden, seed=seeds[k])``'s weights and sees the
    training rows in its own random order (a permutation drawn from ``seeds[k]``), so the
    copies are independent runs: the training loss is the *sum* of the copies' mean squared
    errors, ``L = sum_k mean_i (y_ik - f_k(x_ik))^2``, whose gradient with respect to copy
    ``k``'s weights is that copy's own gradient. (This holds for every optimizer that acts on
    each variable separately, i.e. all Keras optimizers unless ``global_clipnorm`` is set.)
    One ``fit`` instead of ``len(seeds)`` saves Keras's per-run and per-epoch overhead.
    """
    import keras

    if not callable(make_optimizer):
        raise TypeError(
            "`make_optimizer` must be a function returning an optimizer. "
            f"Received: {make_optimizer!r}"
        )
    seeds = check_int_sequence("seeds", seeds, distinct=True)
    check_int("epochs", epochs, minimum=1)
    check_int("batch_size", batch_size, minimum=1)
    _training_arrays(data)  # the four arrays are there and finite
    callbacks = _callback_list(callbacks)
    n, d = len(seeds), data.x_train.shape[1]
    singles = [dense_regressor(hidden, n_features=d, seed=int(s)) for s in seeds]
    inputs = keras.Input((n * d,))
    outputs = []
    for k, single in enumerate(singles):
        h = inputs[:, k * d : (k + 1) * d]
        for layer in single.layers:
            h = layer(h)  # reuse the seeded layers: copy k starts exactly as dense_regressor
        outputs.append(h)
    model = keras.Model(inputs, keras.layers.Concatenate()(outputs))
    orders = [np.random.default_rng(int(s)).permutation(len(data.x_train)) for s in seeds]
    x = np.concatenate([data.x_train[o] for o in orders], axis=1)
    y = np.stack([data.y_train[o] for o in orders], axis=1)
    x_val = np.tile(data.x_val, (1, n))

    def summed_mse(y_true: Any, y_pred: Any) -> Any:
        return n * keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)

    val_losses: list[np.ndarray] = []

    class _PerSeedValidation(keras.callbacks.Callback):
        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            pred = keras.ops.convert_to_numpy(model(x_val, training=False))
            with np.errstate(over="ignore", invalid="ignore"):
                mse = np.mean((pred - data.y_val[:, None]) ** 2, axis=0)
            val_losses.append(np.where(np.isfinite(mse), mse, np.nan))

    keras.utils.set_random_seed(int(seeds[0]))
    optimizer = make_optimizer()
    if optimizer is None:
        raise TypeError(
            "`make_optimizer` returned None: it must build and `return` a new Keras optimizer, "
            "e.g. `lambda: keras.optimizers.SGD(0.01)` or a `def` that ends with "
            f"`return keras.optimizers.SGD(0.01)`. Received: make_optimizer={make_optimizer!r}"
        )
    model.compile(optimizer=_keras_optimizer("make_optimizer()", optimizer), loss=summed_mse)
    history = model.fit(
        x,
        y,
        epochs=epochs,
        batch_size=batch_size,
        verbose=0,
        callbacks=[_PerSeedValidation(), *callbacks],
    )
    return SeedRuns(seeds, np.array(val_losses), history.history)
