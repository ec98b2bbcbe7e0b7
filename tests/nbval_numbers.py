"""nbval compares a printed measurement to the precision it is printed at, give or take two
units of its last digit.

A network trained on another CPU (another instruction set: AVX2 against AVX-512) ends a few
parts in a thousand away: 0.472 here reads 0.473 there, 69% reads 70%. The printed precision
is the claim; the last digit or two is the platform's. So before nbval compares a cell's text,
:func:`align_numbers` replaces each number of the new output by the committed one when the
texts around the numbers are identical and the two numbers agree within

    2 units of the committed number's last printed digit

(0.472 against 0.470 to 0.474; 4.5% against 4.3% to 4.7%; 3.7e-01 against 3.5e-01 to
3.9e-01). Only numbers written with a decimal point, an exponent, a percent sign or a times
sign (``2.2x``) are measurements: a plain integer (an epoch, a step, a count) must match
exactly, as must every word around the numbers. A larger difference is left for nbval to
report. :func:`align_outputs` applies this to a cell's outputs; :func:`install`, called by the
repository's root ``conftest.py``, puts it in front of nbval's comparison.
"""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from typing import Any

NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?[%x]?(?![\w.])")
"""A number token: ``0.472``, ``+4.5%``, ``2.2x``, ``3.7e-01``, ``114.``, ``12``; not part of
a name."""

UNITS = 2
"""How many units of the last printed digit a measurement may move."""


def _is_measurement(token: str) -> bool:
    return any(mark in token for mark in ".eE%x")


def _unit(token: str) -> str:
    return token[-1] if token[-1] in "%x" else ""


def _last_digit_unit(token: str) -> Decimal:
    """The value of one unit in the last printed digit: 0.001 for ``0.472``, 0.1 for ``4.5%``
    (in percent), 0.01 for ``3.7e-01``, 1 for ``69%``."""
    number = Decimal(token.rstrip("%x"))
    return Decimal(1).scaleb(number.as_tuple().exponent)


def _close(committed: str, new: str) -> bool:
    if committed == new:
        return True
    if not (_is_measurement(committed) and _is_measurement(new)):
        return False
    if _unit(committed) != _unit(new):  # 0.5 is not 0.5%, nor 0.5x
        return False
    gap = abs(Decimal(committed.rstrip("%x")) - Decimal(new.rstrip("%x")))
    return gap <= UNITS * _last_digit_unit(committed)


def align_numbers(committed: str, new: str) -> str:
    """``new`` with each number that lies within :data:`UNITS` units of the last digit of the
    committed number in the same place replaced by the committed one; ``new`` unchanged when
    the words around the numbers differ.

    >>> align_numbers("MLP test RMSE 0.472, 69%", "MLP test RMSE 0.473, 70%")
    'MLP test RMSE 0.472, 69%'
    >>> align_numbers("NaN at step 3", "NaN at step 4")
    'NaN at step 4'
    """
    committed_parts, new_parts = NUMBER.split(committed), NUMBER.split(new)
    if committed_parts != new_parts:
        return new
    committed_numbers, new_numbers = NUMBER.findall(committed), NUMBER.findall(new)
    pieces = [new_parts[0]]
    for c, n, text in zip(committed_numbers, new_numbers, new_parts[1:], strict=True):
        pieces += [c if _close(c, n) else n, text]
    return "".join(pieces)


def align_outputs(new: list[Any], committed: list[Any]) -> list[Any]:
    """A copy of a cell's ``new`` outputs in which every stream text and ``text/plain`` is
    aligned (:func:`align_numbers`) with the committed output in the same place and of the
    same kind."""
    aligned = []
    for index, output in enumerate(new):
        output = copy.deepcopy(output)
        old = committed[index] if index < len(committed) else None
        if old is not None and output.get("output_type") == old.get("output_type"):
            if "text" in output and "text" in old and output.get("name") == old.get("name"):
                output["text"] = align_numbers(_joined(old["text"]), _joined(output["text"]))
            new_data, old_data = output.get("data", {}), old.get("data", {})
            if "text/plain" in new_data and "text/plain" in old_data:
                new_data["text/plain"] = align_numbers(
                    _joined(old_data["text/plain"]), _joined(new_data["text/plain"])
                )
        aligned.append(output)
    return aligned


def _joined(text: str | list[str]) -> str:
    return text if isinstance(text, str) else "".join(text)


def install() -> None:
    """Put :func:`align_outputs` in front of nbval's comparison of a cell's outputs (once)."""
    try:
        from nbval.plugin import IPyNbCell
    except ImportError:  # nbval not installed: no notebooks to compare
        return
    compare = IPyNbCell.compare_outputs
    if getattr(compare, "aligns_numbers", False):
        return

    def compare_outputs(
        self: Any, test: list[Any], ref: list[Any], skip_compare: Any = None
    ) -> bool:
        return compare(self, align_outputs(test, ref), ref, skip_compare)

    compare_outputs.aligns_numbers = True  # type: ignore[attr-defined]
    IPyNbCell.compare_outputs = compare_outputs
