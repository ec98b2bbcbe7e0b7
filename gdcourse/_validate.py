"""Argument checks shared by every helper, so each error names the argument and its range.

Each check returns the validated value, so call sites read
``lr = check_positive("learning_rate", lr)``.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any


def _fmt(value: Any) -> str:
    return repr(value)


def check_real(name: str, value: Any) -> float:
    """Return ``value`` as a float, or raise ``TypeError`` naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"`{name}` must be a real number. Received: {name}={_fmt(value)}")
    return float(value)


def check_finite(name: str, value: Any) -> float:
    """A finite real number."""
    x = check_real(name, value)
    if not math.isfinite(x):
        raise ValueError(f"`{name}` must be finite. Received: {name}={_fmt(value)}")
    return x


def check_positive(name: str, value: Any) -> float:
    """A finite real number > 0."""
    x = check_finite(name, value)
    if x <= 0:
        raise ValueError(f"`{name}` must be > 0. Received: {name}={_fmt(value)}")
    return x


def check_non_negative(name: str, value: Any) -> float:
    """A finite real number >= 0."""
    x = check_finite(name, value)
    if x < 0:
        raise ValueError(f"`{name}` must be >= 0. Received: {name}={_fmt(value)}")
    return x


def check_in_range(
    name: str,
    value: Any,
    low: float,
    high: float,
    *,
    low_inclusive: bool = True,
    high_inclusive: bool = False,
) -> float:
    """A finite real number in the interval between ``low`` and ``high``.

    The interval is written in the error the way a mathematician would: ``[0, 1)``.
    """
    x = check_finite(name, value)
    above = x >= low if low_inclusive else x > low
    below = x <= high if high_inclusive else x < high
    if not (above and below):
        opening = "[" if low_inclusive else "("
        closing = "]" if high_inclusive else ")"
        interval = f"{opening}{low:g}, {high:g}{closing}"
        raise ValueError(f"`{name}` must be in {interval}. Received: {name}={_fmt(value)}")
    return x


def check_int(
    name: str,
    value: Any,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    why: str = "",
) -> int:
    """An integer (not a bool), optionally ``>= minimum`` and ``<= maximum`` (``why``, if
    given, says in the error where the maximum comes from)."""
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            import numpy as np

            if isinstance(value, np.integer):
                value = int(value)
            else:
                raise TypeError
        except TypeError:
            raise TypeError(
                f"`{name}` must be an integer. Received: {name}={_fmt(value)}"
            ) from None
    if minimum is not None and value < minimum:
        raise ValueError(f"`{name}` must be >= {minimum}. Received: {name}={_fmt(value)}")
    if maximum is not None and value > maximum:
        reason = f" ({why})" if why else ""
        raise ValueError(f"`{name}` must be <= {maximum}{reason}. Received: {name}={_fmt(value)}")
    return int(value)


def check_choice(name: str, value: Any, choices: tuple[Any, ...]) -> Any:
    """One of ``choices``."""
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"`{name}` must be one of {listed}. Received: {name}={_fmt(value)}")
    return value


def check_bool(name: str, value: Any) -> bool:
    """``True`` or ``False`` (NumPy's bools too), else ``TypeError``: a switch, not a number."""
    import numpy as np

    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"`{name}` must be True or False. Received: {name}={_fmt(value)}")
    return bool(value)


def _ragged_lengths(value: Any) -> list[int] | None:
    """The row lengths of a list of rows of different lengths, or None if it is not one."""
    try:
        lengths = [len(row) for row in value]
    except TypeError:
        return None
    return lengths if len(set(lengths)) > 1 else None


def as_float_array(name: str, value: Any, expected: str = "an array of numbers") -> Any:
    """``value`` as a float64 NumPy array, or an error saying what ``name`` must be.

    ``TypeError`` for something that holds no numbers (``None``, text, objects);
    ``ValueError`` for rows of different lengths (a ragged list), naming their lengths.
    """
    import numpy as np

    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"`{name}` must be {expected}. Received: {name}={_fmt(value)}")
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        lengths = _ragged_lengths(value)
        if lengths is not None:
            raise ValueError(
                f"`{name}` must have rows of one length (a rectangular array). "
                f"Received rows of lengths {lengths[:10]}{'...' if len(lengths) > 10 else ''}"
            ) from None
        raise TypeError(
            f"`{name}` must be {expected}. Received: {name}={_fmt_short(value)}"
        ) from None


def _fmt_short(value: Any, limit: int = 120) -> str:
    text = _fmt(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def real_array(name: str, value: Any) -> Any:
    """``value`` as a NumPy array of real numbers, keeping a float dtype (float32 stays float32);
    integers become float64. ``TypeError`` for anything else (text, bools, complex, objects).
    """
    import numpy as np

    a = np.asarray(value)
    if not np.issubdtype(a.dtype, np.floating):
        if not np.issubdtype(a.dtype, np.number) or np.issubdtype(a.dtype, np.complexfloating):
            raise TypeError(f"`{name}` must hold real numbers. Received: dtype {a.dtype}")
        a = a.astype(np.float64)
    return a


def check_all_finite(name: str, array: Any) -> Any:
    """``array`` (a NumPy float array) unchanged, or a ``ValueError`` saying how many NaN and
    infinite entries ``name`` holds and where the first one is."""
    import numpy as np

    if math.isfinite(array.sum()):  # one pass, no mask: NaN and inf make the sum non-finite
        return array
    finite = np.isfinite(array)
    if finite.all():  # finite entries whose sum overflowed
        return array
    nan = int(np.isnan(array).sum())
    inf = int(array.size - finite.sum()) - nan
    counts = " and ".join(
        f"{count} {kind}" for count, kind in ((nan, "NaN"), (inf, "inf")) if count
    )
    first = tuple(int(i) for i in np.argwhere(~finite)[0])
    where = first[0] if len(first) == 1 else first
    raise ValueError(
        f"`{name}` must hold finite numbers only. Received {counts} among its "
        f"{array.size} entries (shape {array.shape}), the first at index {where}"
    )


def finite_array(name: str, value: Any, ndim: int, expected: str | None = None) -> Any:
    """``value`` as a non-empty float64 array of ``ndim`` dimensions (``ndim=1`` flattens),
    all finite; each failure names ``name``, and a NaN's count and first index."""
    arr = as_float_array(name, value, expected or f"a {ndim}-D array of numbers")
    if ndim == 1:
        arr = arr.reshape(-1)
    if arr.ndim != ndim or arr.size == 0:
        raise ValueError(f"`{name}` must be a non-empty {ndim}-D array. Received shape {arr.shape}")
    return check_all_finite(name, arr)


def matrix(name: str, value: Any) -> Any:
    """``value`` as a non-empty 2-D float64 array (rows x features); NaN allowed."""
    arr = as_float_array(name, value, "a 2-D array of numbers (rows x features)")
    if arr.ndim != 2 or arr.shape[0] == 0:
        raise ValueError(
            f"`{name}` must be a non-empty 2-D array (rows x features). Received shape {arr.shape}"
        )
    return arr


#: Seeds NumPy and scikit-learn accept: ``0 <= seed < 2**32``.
SEED_MAX = 2**32 - 1


def check_seed(name: str, value: Any) -> int:
    """A seed: an integer in ``[0, 2**32 - 1]``. ``None`` (a fresh random draw each call) is
    refused, since a result that cannot be reproduced cannot be checked or compared."""
    if value is None:
        raise TypeError(
            f"`{name}` must be an integer in [0, {SEED_MAX}] so the result is reproducible "
            f"(None would draw a new random split on every call). Received: {name}=None"
        )
    seed = check_int(name, value)
    if not 0 <= seed <= SEED_MAX:
        raise ValueError(f"`{name}` must be in [0, {SEED_MAX}]. Received: {name}={_fmt(value)}")
    return seed


def check_int_sequence(
    name: str,
    value: Any,
    *,
    minimum: int | None = None,
    distinct: bool = False,
    example: str = "(0, 1, 2)",
) -> tuple[int, ...]:
    """A non-empty sequence (tuple, list, range, array) of integers, each ``>= minimum``,
    all different when ``distinct``. A bare integer gets a message showing ``example``."""
    import numpy as np

    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        hint = f"range({int(value)}) or " if distinct and int(value) > 0 else ""
        raise TypeError(
            f"`{name}` must be a sequence of integers, not one number: pass e.g. "
            f"{hint}{example}. Received: {name}={_fmt(value)}"
        )
    if value is None or isinstance(value, (str, bytes, dict, set, frozenset, float)):
        raise TypeError(
            f"`{name}` must be a sequence of integers such as {example}. "
            f"Received: {name}={_fmt_short(value)}"
        )
    try:
        items = tuple(value)
    except TypeError:
        raise TypeError(
            f"`{name}` must be a sequence of integers such as {example}. "
            f"Received: {name}={_fmt_short(value)}"
        ) from None
    if not items:
        raise ValueError(f"`{name}` must hold at least one integer, e.g. {example}. Received: ()")
    out = []
    for i, item in enumerate(items):
        if isinstance(item, bool) or not isinstance(item, (int, np.integer)):
            raise TypeError(
                f"`{name}` must hold integers only, e.g. {example}. "
                f"Received: {name}[{i}]={_fmt_short(item)}"
            )
        if minimum is not None and item < minimum:
            raise ValueError(
                f"`{name}` entries must be >= {minimum}. Received: {name}[{i}]={_fmt(item)}"
            )
        out.append(int(item))
    if distinct and len(set(out)) < len(out):
        repeated = sorted({s for s in out if out.count(s) > 1})
        listed = ", ".join(f"{s} ({out.count(s)} times)" for s in repeated)
        raise ValueError(
            f"`{name}` must be distinct: each repeat would count one run twice. "
            f"Repeated: {listed}. Received: {name}={_fmt_short(value)}"
        )
    return tuple(out)


def check_float_dtype(name: str, value: Any) -> str:
    """``'float32'`` or ``'float64'`` (a name or a NumPy dtype). Narrower floats lose data
    (float16 overflows to inf, then zero, for the housing features) and integers truncate."""
    import numpy as np

    accepted = ("float32", "float64")
    try:
        canonical = np.dtype(value).name
    except (TypeError, ValueError):
        canonical = None
    if canonical not in accepted:
        raise ValueError(
            f"`{name}` must be 'float32' or 'float64' (integers would truncate the values, "
            f"float16 cannot hold them). Received: {name}={_fmt(value)}"
        )
    return str(canonical)


def seconds_argument(text: str) -> int:
    """``argparse`` type for a ``--timeout``: a whole number of seconds > 0 (one rule for every
    command; 0 is refused, not read as "no limit")."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a whole number of seconds > 0, got {text!r}")
    return value


def check_picklable(name: str, value: Any) -> Any:
    """``value`` unchanged if :mod:`pickle` can send it to another process; otherwise a
    ``TypeError`` naming ``name`` (and what pickle said)."""
    import pickle

    try:
        pickle.dumps(value)
    except Exception as error:  # PicklingError, TypeError, AttributeError (a local object)
        raise TypeError(
            f"`{name}` cannot be sent to another process: pickle cannot copy it "
            f"({type(error).__name__}: {error}). Pass plain data (numbers, strings, lists, "
            f"dicts, arrays) or a top-level function. Received: {name}={_fmt_short(value)}"
        ) from None
    return value


def output_folder_problem(path: Any) -> str | None:
    """Why ``path`` cannot be (or become) an output folder, or ``None``: it is a file, or a
    folder above it is a file. Reads only; creates nothing."""
    from pathlib import Path

    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        return f"{folder} is a file, not a folder"
    for above in folder.parents:
        if above.exists():
            if not above.is_dir():
                return f"{folder} is inside {above}, which is a file, not a folder"
            break
    return None
