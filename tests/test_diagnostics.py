"""gdcourse.diagnostics against the real thing: Keras fit and tf.GradientTape."""

from __future__ import annotations

import io

import numpy as np
import pytest

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

from gdcourse.data import FEATURES, TARGET, load_housing  # noqa: E402
from gdcourse.diagnostics import (  # noqa: E402
    CompactLog,
    GradientNormLogger,
    NaNGuard,
    find_learning_rate,
    format_number,
    per_batch_losses,
    smooth_losses,
    suggest_learning_rate,
)


@pytest.fixture(scope="module")
def housing():
    """200 standardised rows of the real California housing data."""
    frame = load_housing()
    X = frame[list(FEATURES)].to_numpy(dtype="float32")[:200]
    y = frame[TARGET].to_numpy(dtype="float32")[:200]
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X, y


def make_model(optimizer="sgd", lr=0.01, seed=0):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input(shape=(8,)),
            keras.layers.Dense(8, activation="relu", name="hidden"),
            keras.layers.Dense(1, name="out"),
        ]
    )
    opt = keras.optimizers.SGD(lr) if optimizer == "sgd" else keras.optimizers.Adam(lr)
    model.compile(optimizer=opt, loss="mse")
    return model


def direct_norms(model, x, y):
    """Per-layer gradient norms straight from a GradientTape and keras.losses.mse."""
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(keras.losses.mean_squared_error(y[:, None], model(x)))
    out = {}
    grads = tape.gradient(loss, model.trainable_weights)
    i = 0
    for layer in model.layers:
        k = len(layer.trainable_weights)
        out[layer.name] = float(np.sqrt(sum(float(np.sum(np.square(g))) for g in grads[i : i + k])))
        i += k
    return out


def test_gradient_norm_logger_matches_gradient_tape(housing):
    X, y = housing
    model = make_model()
    logger = GradientNormLogger(X, y, every=2, batch_size=64)
    seen = []

    class Direct(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            seen.append(direct_norms(self.model, X[:64], y[:64]))

        def on_train_batch_end(self, batch, logs=None):
            if (batch + 1) % 2 == 0:
                seen.append(direct_norms(self.model, X[:64], y[:64]))

    model.fit(X, y, batch_size=20, epochs=1, shuffle=False, verbose=0, callbacks=[logger, Direct()])
    assert logger.steps == [0, 2, 4, 6, 8, 10]
    assert list(logger.norms) == ["hidden", "out"]
    for name in ("hidden", "out"):
        np.testing.assert_allclose(logger.norms[name], [s[name] for s in seen], rtol=1e-5)
    assert logger.norms["out"][0] > 0
    from gdcourse import plots

    fig = plots.gradient_norms(logger)
    assert [ln.get_label() for ln in fig.axes[0].get_lines()] == ["hidden", "out"]
    with pytest.raises(ValueError, match="`every` must be >= 1"):
        GradientNormLogger(X, y, every=0)


def test_per_batch_losses_undo_the_weighted_running_mean():
    losses = np.array([4.0, 2.0, 3.0, 1.0])
    sizes = np.array([32, 32, 32, 8])
    means = np.cumsum(losses * sizes) / np.cumsum(sizes)
    np.testing.assert_allclose(per_batch_losses(means, sizes), losses)
    with pytest.raises(ValueError, match="equal length"):
        per_batch_losses([1.0, 2.0], [3])


def test_smoothing_is_bias_corrected_ema():
    s = smooth_losses([2.0, 2.0, 2.0], beta=0.9)
    np.testing.assert_allclose(s, [2.0, 2.0, 2.0])
    s = smooth_losses([1.0, 3.0], beta=0.5)
    # a = [0.5, 0.25 + 1.5]; s = a / (1 - 0.5 ** k)
    np.testing.assert_allclose(s, [1.0, 1.75 / 0.75])


def test_suggestion_is_steepest_descent_before_minimum():
    rates = np.geomspace(1e-4, 1.0, 41)
    loss = 1.0 / (1.0 + np.exp((np.log10(rates) + 2.0) * 4))  # falls fastest at 1e-2
    loss[-5:] = 5.0
    assert suggest_learning_rate(rates, loss) == pytest.approx(1e-2, rel=0.3)


def test_find_learning_rate_restores_model_and_recovers_batch_losses(housing):
    X, y = housing
    model = make_model("adam", lr=0.003)
    model.fit(X, y, batch_size=50, epochs=1, verbose=0)  # non-zero Adam moments
    weights = [w.copy() for w in model.get_weights()]
    opt_vars = [keras.ops.convert_to_numpy(v) for v in model.optimizer.variables]
    direct = []

    class BatchLoss(keras.callbacks.Callback):
        """The loss of batch k at the weights it is computed with (shuffle=False)."""

        def on_train_batch_begin(self, batch, logs=None):
            xb, yb = X[batch * 32 : (batch + 1) * 32], y[batch * 32 : (batch + 1) * 32]
            pred = self.model(xb)
            direct.append(float(np.mean((pred.numpy()[:, 0] - yb) ** 2)))

    result = find_learning_rate(model, X, y, min_lr=1e-5, max_lr=10.0, batch_size=32,
                                shuffle=False, callbacks=[BatchLoss()])  # fmt: skip
    for before, after in zip(weights, model.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)
    for before, after in zip(opt_vars, model.optimizer.variables, strict=True):
        np.testing.assert_array_equal(before, keras.ops.convert_to_numpy(after))
    assert float(keras.ops.convert_to_numpy(model.optimizer.learning_rate)) == pytest.approx(0.003)
    n = len(result.raw_losses)
    assert 1 <= n <= 7  # 200 rows / 32 = 7 batches, the last of 8 rows
    np.testing.assert_allclose(result.raw_losses, direct[:n], rtol=1e-4)
    np.testing.assert_allclose(result.rates, 1e-5 * (1e6) ** (np.arange(n) / 6))
    assert 1e-5 <= result.suggested <= 10.0
    fig = result.plot()
    assert fig.axes[0].get_xscale() == "log"
    with pytest.raises(ValueError, match="`max_lr` must be > min_lr"):
        find_learning_rate(model, X, y, min_lr=1.0, max_lr=0.1)


def test_find_learning_rate_sweeps_and_stops_when_loss_explodes(housing):
    X, y = housing
    big_x = np.tile(X, (5, 1))
    big_y = np.tile(y, 5)
    model = make_model("sgd", lr=0.01)
    result = find_learning_rate(model, big_x, big_y, min_lr=1e-4, max_lr=10.0, batch_size=16)
    assert result.stopped_early
    assert len(result.rates) < int(np.ceil(1000 / 16))
    assert 1e-4 <= result.suggested <= 10.0
    assert result.suggested < result.rates[-1]


def test_nan_guard_stops_a_diverging_run_and_names_a_layer(housing, capsys):
    X, y = housing
    model = make_model("sgd", lr=1e6)
    guard = NaNGuard()
    history = model.fit(X, y, batch_size=20, epochs=5, verbose=0, callbacks=[guard])
    assert guard.bad_step is not None and guard.bad_step < 50
    assert len(history.history["loss"]) == guard.bad_epoch == 1
    assert guard.bad_layer in {"hidden", "out"}
    assert not np.isfinite(guard.bad_loss)
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("NaNGuard: loss is")
    assert f"step {guard.bad_step}" in out[0] and repr(guard.bad_layer) in out[0]


def test_format_number_four_significant_digits():
    assert format_number(0.41234) == "0.4123"
    assert format_number(0.4) == "0.4000"
    assert format_number(12.3) == "12.30"
    assert format_number(12345.6) == "1.235e+04"
    assert format_number(1234.0) == "1234"
    assert format_number(float("nan")) == "nan"


def test_compact_log_prints_exactly_every_k_epochs():
    buf = io.StringIO()
    log = CompactLog(every=10, file=buf)
    log.set_params({"epochs": 25})
    for epoch in range(25):
        log.on_epoch_end(epoch, {"loss": 1.0 / (epoch + 1), "val_loss": 2.0 / (epoch + 1)})
    log.on_train_end()
    assert buf.getvalue() == (
        "epoch 10  loss 0.1000  val_loss 0.2000\n"
        "epoch 20  loss 0.05000  val_loss 0.1000\n"
        "final epoch 25  loss 0.04000  val_loss 0.08000\n"
    )


def test_compact_log_in_a_real_fit(housing, capsys):
    X, y = housing
    model = make_model("sgd", lr=0.01)
    history = model.fit(X, y, validation_split=0.25, epochs=6, batch_size=50, verbose=0,
                        callbacks=[CompactLog(every=3, metrics=["loss", "val_loss"])])  # fmt: skip
    lines = capsys.readouterr().out.splitlines()
    h = history.history
    assert lines == [
        f"epoch 3  loss {format_number(h['loss'][2])}  val_loss {format_number(h['val_loss'][2])}",
        f"epoch 6  loss {format_number(h['loss'][5])}  val_loss {format_number(h['val_loss'][5])}",
        f"final epoch 6  loss {format_number(h['loss'][5])}  "
        f"val_loss {format_number(h['val_loss'][5])}",
    ]


def test_suggestion_skips_the_noisy_start_of_the_smoothed_curve():
    from gdcourse.diagnostics import suggest_learning_rate

    rates = np.logspace(-6, 0, 120)
    # a warm-up blip in the first points (EMA still batch noise), then the real descent
    # centred at 1e-3, then the blow-up
    real = 1.0 - 0.8 / (1 + np.exp(-4 * (np.log10(rates) + 3)))
    smoothed = real + np.where(np.arange(120) < 5, 3.0 * (5 - np.arange(120)) / 5, 0.0)
    smoothed[-10:] += np.linspace(0, 5, 10)
    assert suggest_learning_rate(rates, smoothed) < 1e-5  # fooled by the blip
    picked = suggest_learning_rate(rates, smoothed, skip_start=10)
    assert 3e-4 < picked < 3e-3
    with pytest.raises(ValueError, match="skip_start"):
        suggest_learning_rate(rates, smoothed, skip_start=-1)


# ---------------------------------------------------------------------- bad inputs
def test_smoothing_and_batch_losses_name_their_arguments():
    with pytest.raises(ValueError, match=r"`beta` must be in \[0, 1\)"):
        smooth_losses([1.0, 2.0], beta=1.0)
    with pytest.raises(ValueError, match="`losses` must be a non-empty"):
        smooth_losses([])
    with pytest.raises(TypeError, match="`losses` must be a 1-D sequence"):
        smooth_losses(["a"])
    with pytest.raises(ValueError, match="`batch_sizes` must be finite and > 0"):
        per_batch_losses([1.0, 2.0], [3, 0])
    with pytest.raises(ValueError, match="`running_means` must be a non-empty"):
        per_batch_losses([], [])
    with pytest.raises(ValueError, match="`rates` and `smoothed` must have equal length"):
        suggest_learning_rate([1e-3, 1e-2], [1.0])
    with pytest.raises(ValueError, match="`rates` must be finite and > 0"):
        suggest_learning_rate([0.0, 1e-2], [1.0, 0.5])
    with pytest.raises(TypeError, match="`value` must be a number"):
        format_number("abc")
    with pytest.raises(TypeError, match="`metrics` must be"):
        CompactLog(metrics=[1, 2])
    with pytest.raises(TypeError, match="`file` must be"):
        CompactLog(file="log.txt")


def test_find_learning_rate_names_bad_data(housing):
    X, y = housing
    model = make_model()
    bad = X.copy()
    bad[3, 2] = np.nan
    with pytest.raises(ValueError, match=r"`x` must be finite: it holds 1 NaN") as info:
        find_learning_rate(model, bad, y)
    assert "max_lr" not in str(info.value)
    with pytest.raises(ValueError, match="`y` must be finite"):
        find_learning_rate(model, X, np.where(np.arange(len(y)) == 0, np.inf, y))
    with pytest.raises(ValueError, match="`x` must hold at least one row"):
        find_learning_rate(model, X[:0], y[:0])
    with pytest.raises(ValueError, match="`x` and `y` must have the same number of rows"):
        find_learning_rate(model, X, y[:10])
    with pytest.raises(TypeError, match="`x` must be an array of numbers"):
        find_learning_rate(model, "data", y)
    with pytest.raises(TypeError, match="`model` must be a compiled keras.Model"):
        find_learning_rate("model", X, y)
    with pytest.raises(ValueError, match="`x` must be finite in the probe batch"):
        GradientNormLogger(bad, y, batch_size=8)
    with pytest.raises(TypeError, match="`x` must be an array of numbers"):
        GradientNormLogger(None, y)
