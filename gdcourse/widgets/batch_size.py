"""The batch-size explorer: how noisy the mini-batch gradient is, against batch size."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as W
import numpy as np

from gdcourse._validate import check_int
from gdcourse.data import load_housing, split_features
from gdcourse.plots.common import plain_log_axis
from gdcourse.style import run_color
from gdcourse.theory import minibatch_gradient_noise
from gdcourse.widgets.base import SLIDER_STYLE, Explorer, make_box, new_figure

_WEIGHTS = ("w = 0 (start of training)", "least-squares optimum")


def _design_matrix(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """Standardised features with a bias column, and targets; checked."""
    try:
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise TypeError("`X` and `y` must be arrays of numbers (or DataFrame / Series)") from None
    if X.ndim != 2 or X.shape[0] != y.shape[0] or X.shape[0] < 4:
        raise ValueError(
            "`X` must be (n, d) and `y` (n,) with the same n >= 4. "
            f"Received shapes {X.shape} and {y.shape}"
        )
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
        raise ValueError("`X` and `y` must hold finite numbers only (they have NaN or inf)")
    std = X.std(axis=0)
    Xs = (X - X.mean(axis=0)) / np.where(std > 0, std, 1.0)
    return np.column_stack([np.ones(len(Xs)), Xs]), y


class BatchSizeExplorer(Explorer):
    """Mini-batch gradient noise against batch size; see :func:`batch_size_explorer`."""

    def __init__(self, X: Any, y: Any, batch_sizes: Sequence[int] | None) -> None:
        self.X, self.y = _design_matrix(X, y)
        self.w_opt = np.linalg.lstsq(self.X, self.y, rcond=None)[0]
        N = len(self.y)
        if batch_sizes is None:
            batch_sizes = [int(b) for b in 2 ** np.arange(0, 13) if b <= N // 2]
        elif isinstance(batch_sizes, str) or not isinstance(batch_sizes, Sequence | np.ndarray):
            raise TypeError(
                f"`batch_sizes` must be a list of integers in [1, {N}]. Received: {batch_sizes!r}"
            )
        sizes = [check_int("batch_sizes", b, minimum=1) for b in batch_sizes]
        if not sizes or max(sizes) > N:
            raise ValueError(
                f"`batch_sizes` must list integers in [1, {N}] (the number of rows). "
                f"Received: {list(batch_sizes)}"
            )
        self.batch_sizes = sorted(set(sizes))
        st = SLIDER_STYLE
        controls = {
            "weights": W.Dropdown(options=_WEIGHTS, value=_WEIGHTS[0], description="weights",
                                  **st),
            "n_batches": W.IntSlider(value=100, min=10, max=400, step=10,
                                     description="random batches", continuous_update=False, **st),
            "relative": W.Checkbox(value=False, description="relative to ‖full gradient‖"),
        }  # fmt: skip
        figure, (ax,) = new_figure((7.6, 4.4))
        self.ax = ax
        # the measurement is a run (coloured by the course's rule); the two predictions are
        # references: black and grey, told apart by line style
        (self.rms_line,) = ax.plot([], [], "o-", color=run_color("measured"), zorder=5,
                                   label="measured rms ‖g_B − g‖")  # fmt: skip
        (self.theory_line,) = ax.plot([], [], ":", color="black", lw=2, zorder=6,
                                      label="theory, sampling without replacement")  # fmt: skip
        (self.ref_line,) = ax.plot([], [], "--", color="0.5", label="∝ 1/√B")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        plain_log_axis(ax, "both")
        ax.set_xlabel("batch size B (examples, log scale)")
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
        super().__init__(controls, figure)

    def compute(self) -> dict[str, np.ndarray]:
        """:func:`gdcourse.theory.minibatch_gradient_noise` at the chosen weights."""
        at_opt = self.controls["weights"].value == _WEIGHTS[1]
        w = self.w_opt if at_opt else np.zeros(self.X.shape[1])
        return minibatch_gradient_noise(self.X, self.y, w, self.batch_sizes,
                                        int(self.controls["n_batches"].value))  # fmt: skip

    def update(self) -> None:
        self.result = r = self.compute()
        scale = float(r["full_norm"]) if self.controls["relative"].value else 1.0
        scale = scale if scale > 0 else 1.0
        B = r["batch_sizes"]
        self.rms_line.set_data(B, r["rms"] / scale)
        self.theory_line.set_data(B, r["theory"] / scale)
        self.ref_line.set_data(B, r["reference"] / scale)
        ys = np.concatenate([r["rms"], r["theory"], r["reference"]]) / scale
        ys = ys[ys > 0]
        self.ax.set_xlim(B.min() / 1.4, B.max() * 1.4)
        self.ax.set_ylim(ys.min() / 2, ys.max() * 2)
        self.ax.set_ylabel(
            "‖g_B − g‖ / ‖g‖ (log scale)" if self.controls["relative"].value
            else "gradient noise ‖g_B − g‖, rms (log scale)"
        )  # fmt: skip
        self.ax.set_title(
            f"MSE gradient noise, n = {len(self.y)} rows; ‖g‖ = {float(r['full_norm']):.3g}"
        )
        self.readout.value = (
            f"Batch size {B[0]}: noise {r['rms'][0] / scale:.3g}; batch size {B[-1]}: "
            f"{r['rms'][-1] / scale:.3g}. Quadrupling B halves the noise's rms (1/√B), "
            "more than halves it when B is a sizeable part of n."
        )


def batch_size_explorer(
    X: Any = None, y: Any = None, batch_sizes: Sequence[int] | None = None
) -> Any:
    """Noise of the mini-batch gradient against batch size, on real data.

    Linear regression with the mean squared error on standardised features plus a bias. At
    fixed weights (``w = 0`` or the least-squares optimum, where the full gradient is zero
    but batches still disagree) it draws many random batches of each size ``B`` and plots
    the rms of ``||g_B - g||`` against ``B`` on log axes, with the exact expectation and the
    ``1/sqrt(B)`` reference (see :func:`gdcourse.theory.minibatch_gradient_noise`).

    Args:
        X, y: features ``(n, d)`` and targets ``(n,)``, both or neither; neither means
            California housing (``gdcourse.data.load_housing()``).
        batch_sizes: integers in ``[1, n]``; default ``1, 2, 4, ...`` up to ``n / 2``.

    Returns:
        A ``VBox``; ``box.explorer`` is the :class:`BatchSizeExplorer`.
    """
    if (X is None) != (y is None):
        missing, given = ("X", "y") if X is None else ("y", "X")
        raise TypeError(
            f"`{missing}` is missing: pass both `X` and `y`, or neither (then California "
            f"housing is used). Received only `{given}`"
        )
    if X is None:
        X, y = split_features(load_housing())
    ex = BatchSizeExplorer(X, y, batch_sizes)
    c = ex.controls
    return make_box(ex, [W.HBox([c["weights"], c["n_batches"], c["relative"]])])
