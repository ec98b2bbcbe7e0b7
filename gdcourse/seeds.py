"""One result over several seeds, printed as mean ± standard deviation.

The digits follow the spread: when the seeds agree within 1% the mean gets 3 significant
digits and ``±<1%``; otherwise mean and standard deviation are printed to the mean's second
significant digit. Two machines print a trained number a unit or two apart in its last digit
(the course's nbval comparison allows for that, see ``tests/nbval_numbers.py``), but a switch
of format, ``"3.35 ±<1%"`` here and ``"3.4 ± 0.03"`` there, is not a last-digit difference:
:func:`seed_spread` refuses to choose a format when the choice lies near its threshold, so
every printed table keeps its format on another machine.

    >>> seed_spread([2.16])
    '2.16'
    >>> seed_spread([3.351, 3.352, 3.350])
    '3.35 ±<1%'
    >>> seed_spread([8.0, 6.5, 10.9])
    '8.5 ± 2.2'
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from gdcourse._validate import as_float_array

__all__ = ["seed_spread"]

AGREE = 0.01
"""Seeds agree when their standard deviation is below this fraction of their mean."""

EDGE = 1.25
"""The format is refused when std / |mean| lies within this factor of ``AGREE``."""

DECADE_EDGE = 1.02
"""The digits are refused when |mean| lies within this factor of a power of ten (a trained
mean moves by a few parts in a thousand between two machines)."""


def seed_spread(values: Sequence[float] | np.ndarray) -> str:
    """``values`` (one result per seed) as text for a table.

    - one value: two decimals, ``"2.16"``;
    - std < 1% of |mean| (``AGREE``): the mean to 3 significant digits, ``"3.35 ±<1%"``;
    - otherwise mean and std to the decimal of the mean's second significant digit:
      ``"8.5 ± 2.2"``, ``"11 ± 5"``.

    Raises:
        ValueError: ``values`` is empty, not all finite or of mean 0; std / |mean| lies
            within a factor ``EDGE`` of 1%; or |mean| lies within a factor ``DECADE_EDGE`` of
            a power of ten (which sets the digits). Another machine might choose the other
            format there.
    """
    v = as_float_array("values", values).ravel()
    if v.size == 0 or not np.all(np.isfinite(v)):
        raise ValueError(
            f"`values` must be one or more finite numbers. Received: values={values!r}"
        )
    if v.size == 1:
        return f"{v[0]:.2f}"
    mean, std = float(v.mean()), float(v.std(ddof=1))
    if mean == 0:
        raise ValueError(f"`values` must have a mean other than 0. Received: values={values!r}")
    ratio = std / abs(mean)
    if AGREE / EDGE < ratio < AGREE * EDGE:
        raise ValueError(
            f"`values` spread by {100 * ratio:.2g}% of their mean, too near the {AGREE:.0%} "
            f"that chooses the format. Received: values={values!r}"
        )
    if ratio < AGREE:
        return f"{mean:#.3g} ±<1%"
    decade = np.log10(abs(mean))
    if abs(decade - round(decade)) < np.log10(DECADE_EDGE):
        raise ValueError(
            f"`values` have a mean of {mean:.3g}, too near a power of ten, which sets the "
            f"digits printed. Received: values={values!r}"
        )
    digits = max(0, 1 - int(np.floor(decade)))
    return f"{mean:.{digits}f} ± {std:.{digits}f}"
