"""gdcourse.training: the shared housing recipe and seeds trained side by side."""

import keras
import numpy as np
import pytest

from gdcourse.training import dense_regressor, fit_regressor, fit_seeds, housing_splits


@pytest.fixture(scope="module")
def small():
    data = housing_splits(seed=0)
    from dataclasses import replace

    return replace(data, x_train=data.x_train[:256], y_train=data.y_train[:256])


def test_fit_seeds_copies_are_independent_runs(small):
    # full batch: the order of rows does not matter, so each copy must match a single run
    runs = fit_seeds(
        lambda: keras.optimizers.SGD(0.05, momentum=0.9), small, seeds=(3, 4), epochs=3,
        batch_size=256,
    )  # fmt: skip
    for k, seed in enumerate((3, 4)):
        single = fit_regressor(
            dense_regressor(seed=seed), keras.optimizers.SGD(0.05, momentum=0.9), small,
            epochs=3, batch_size=256,
        )  # fmt: skip
        np.testing.assert_allclose(runs.val_loss[:, k], single["val_loss"], rtol=1e-4)
    assert runs.final.values.shape == (2,)


def test_fit_seeds_marks_diverged_runs_nan(small):
    runs = fit_seeds(lambda: keras.optimizers.SGD(50.0), small, seeds=(0, 1, 2), epochs=2)
    assert np.isnan(runs.val_loss[-1]).all()


@pytest.mark.parametrize(("bad", "error"), [((), ValueError), (("a",), TypeError)])
def test_fit_seeds_rejects_bad_seeds(small, bad, error):
    with pytest.raises(error, match="seeds"):
        fit_seeds(lambda: keras.optimizers.SGD(0.1), small, seeds=bad)
