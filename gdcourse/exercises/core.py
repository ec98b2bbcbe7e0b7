"""Self-checking exercises, in the manner of Kaggle's learntools.

An exercise is a declaration: a title and prompt, hints at increasing levels, a solution
(code, as text), a reference answer, and a checker. The learner passes an answer to
``check`` explicitly; the verdict is one of four :class:`Status` values:

- ``UNATTEMPTED``: the answer is (or contains, or a function uses) the placeholder ``____``;
- ``FAIL``: the answer is wrong; the message says how;
- ``ERROR``: the learner's code raised; the exception is shown, nothing crashes;
- ``PASS``: correct, within the stated tolerance (never exact float equality).

Kinds of exercise:

- :class:`ValueExercise`: compare a value (number, array, tuple of them) with ``expected``
  to ``rtol``/``atol``: ``|answer - expected| <= atol + rtol * |expected|``.
- :class:`FunctionExercise`: call the learner's function and the reference on test cases.
- :class:`StepExercise`: iterate the learner's update rule and the reference side by side
  (e.g. momentum: ``(w, v) -> (w', v')``) and report the first step where they part.
- :class:`Exercise` with ``checker=``: any other test; the checker raises :class:`Incorrect`.

``check`` prints one short line and returns the :class:`Status` (which displays as nothing
in a notebook, so the verdict is not shown twice).
"""

from __future__ import annotations

import enum
import math
import sys
import textwrap
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from gdcourse._validate import check_int, check_non_negative
from gdcourse.exercises.record import record_check


# ------------------------------------------------------------------------------ placeholder
class PlaceholderError(Exception):
    """Raised when the placeholder ``____`` is used in a computation."""


class _Placeholder:
    """The blank ``____`` that learners replace. Any arithmetic with it raises
    :class:`PlaceholderError`, so a half-finished function is "not attempted", not "wrong"."""

    _instance: _Placeholder | None = None

    def __new__(cls) -> _Placeholder:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise PlaceholderError("replace ____ with your code")

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _refuse
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __pow__ = __rpow__ = _refuse
    __matmul__ = __rmatmul__ = __mod__ = __rmod__ = __neg__ = __pos__ = __abs__ = _refuse
    __lt__ = __le__ = __gt__ = __ge__ = _refuse
    __float__ = __int__ = __index__ = __bool__ = __len__ = __iter__ = _refuse
    __getitem__ = __call__ = __array__ = _refuse

    def __reduce__(self) -> str:
        return "____"


#: The placeholder learners replace with their answer.
____ = _Placeholder()


def _contains_placeholder(value: Any, depth: int = 0) -> bool:
    if value is ____:
        return True
    if depth > 3:
        return False
    if isinstance(value, Mapping):
        return any(_contains_placeholder(v, depth + 1) for v in value.values())
    if isinstance(value, list | tuple | set):
        return any(_contains_placeholder(v, depth + 1) for v in value)
    if isinstance(value, np.ndarray) and value.dtype == object:
        return any(_contains_placeholder(v, depth + 1) for v in value.ravel())
    return False


def _code_uses_placeholder(code: types.CodeType) -> bool:
    if "____" in code.co_names:
        return True
    return any(isinstance(c, types.CodeType) and _code_uses_placeholder(c) for c in code.co_consts)


def uses_placeholder(answer: Any) -> bool:
    """True if ``answer`` is ``____``, holds it, or is a function whose code names it."""
    if _contains_placeholder(answer):
        return True
    code = getattr(answer, "__code__", None)
    return isinstance(code, types.CodeType) and _code_uses_placeholder(code)


def _caused_by_placeholder(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, PlaceholderError) or "____" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


# --------------------------------------------------------------------------------- verdicts
class Status(enum.Enum):
    """The outcome of :meth:`Exercise.check`."""

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    UNATTEMPTED = "unattempted"

    def __bool__(self) -> bool:
        return self is Status.PASS


def _display_nothing(self: Status) -> None:
    """check() has already printed the verdict; a status left as a cell's value shows nothing."""
    return None


# Enum reserves _sunder_ names inside the class body, so IPython's hook is attached here.
Status._ipython_display_ = _display_nothing  # type: ignore[attr-defined]

_MARK = {
    Status.PASS: "✓ Correct",
    Status.FAIL: "✗ Incorrect",
    Status.ERROR: "⚠ Error in your code",
    Status.UNATTEMPTED: "… Not attempted",
}


class Incorrect(Exception):
    """Raised by a checker to reject an answer; its message is shown to the learner."""


def _short(value: Any, limit: int = 80) -> str:
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=5, threshold=8, separator=", ")
    elif isinstance(value, float | np.floating):
        text = f"{float(value):.6g}"
    elif isinstance(value, tuple):
        text = (
            "("
            + ", ".join(_short(v, limit) for v in value)
            + ("," if len(value) == 1 else "")
            + ")"
        )
    else:
        text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _as_text(value: Any, digits: int) -> str:
    if isinstance(value, np.ndarray) or (
        isinstance(value, list | tuple) and _numeric_array_like(value)
    ):
        arr = np.asarray(value, dtype=float)
        if arr.ndim == 0:
            return f"{float(arr):.{digits}g}"
        text = np.array2string(
            arr, precision=digits, threshold=8, separator=", ", floatmode="maxprec"
        )
        return " ".join(text.split())
    return f"{float(value):.{digits}g}"


def miss_text(expected: Any, answer: Any, rtol: float, atol: float) -> str:
    """How ``answer`` misses ``expected``, without giving ``expected`` away: ``"got A, too
    large (tolerance: ...)"`` for a number; for an array, how many entries miss and where the
    first one is, and whether it is too large or too small."""
    e, a = np.asarray(expected, dtype=float), np.asarray(answer, dtype=float)
    tolerance = f"tolerance: {tolerance_text(rtol, atol)}"
    with np.errstate(invalid="ignore"):
        bad = ~np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True) | (
            np.isfinite(a) != np.isfinite(e)
        )
    index = tuple(int(i) for i in np.argwhere(bad)[0]) if bad.any() else ()
    first_a, first_e = (a[index], e[index]) if bad.any() else (a.ravel()[0], e.ravel()[0])
    if not np.isfinite(first_a):
        side = "not finite"
    elif not np.isfinite(first_e):
        side = "finite where the reference is not"
    else:
        side = "too large" if first_a > first_e else "too small"
    if np.isfinite(first_a) and np.isfinite(first_e) and first_e != 0:
        relative = abs(first_a - first_e) / abs(first_e)
        if relative < 0.01:  # a precision slip, not a wrong formula: say how close
            side += f" by about {relative:.0e} relative, close but outside the tolerance"
    if a.ndim == 0:
        return f"got {_as_text(answer, 6)}, {side} ({tolerance})"
    where = ", ".join(map(str, index))
    return (
        f"{int(bad.sum())} of {bad.size} values are off; the first at index {where} is {side} "
        f"({tolerance})"
    )


def assert_close(
    answer: Any, expected: Any, rtol: float, atol: float, what: str = "answer"
) -> None:
    """Raise :class:`Incorrect` unless ``answer`` matches ``expected`` within tolerance.

    Numbers and arrays: same shape and ``|a - e| <= atol + rtol * |e|`` elementwise.
    Tuples/lists: element by element. Anything else: ``==``. ``None`` (a function that
    forgot ``return``) is named as such. The message says how the answer misses
    (:func:`miss_text`), never what the expected value is: the learner can ask for
    ``solution()``.
    """
    if answer is None and expected is not None:
        raise Incorrect(
            f"{what} is None: set it to a value, or, if a function made it, did it forget "
            "to `return` its result?"
        )
    if isinstance(expected, tuple | list) and not _numeric_array_like(expected):
        if not isinstance(answer, tuple | list) or len(answer) != len(expected):
            raise Incorrect(
                f"{what} should be a sequence of {len(expected)} values, got {_short(answer)}"
            )
        for i, (a, e) in enumerate(zip(answer, expected, strict=True)):
            assert_close(a, e, rtol, atol, f"{what}[{i}]")
        return
    if _numeric_array_like(expected):
        e = np.asarray(expected, dtype=float)
        if isinstance(answer, str | bytes) or _contains_strings(answer):
            raise Incorrect(f"{what} should be a number, not text: got {_short(answer)}")
        try:
            a = np.asarray(answer, dtype=float)
        except (TypeError, ValueError):
            raise Incorrect(f"{what} should be a number or array, got {_short(answer)}") from None
        if a.shape != e.shape:
            raise Incorrect(f"{what} should have shape {e.shape}, got shape {a.shape}")
        if not np.all(np.isfinite(a) == np.isfinite(e)) or not np.allclose(
            a, e, rtol=rtol, atol=atol, equal_nan=True
        ):
            raise Incorrect(f"{what} is off: {miss_text(e, a, rtol, atol)}")
        return
    if answer != expected:
        raise Incorrect(f"{what} is not the expected value: got {_short(answer)}")


def call_answer(fn: Callable[..., Any], *args: Any, none_ok: bool = False, **kwargs: Any) -> Any:
    """Call the learner's function on copies of the arguments and vet what it returns.

    Raises :class:`PlaceholderError` when it returned ``____`` (not attempted), and
    :class:`Incorrect` when it returned ``None`` (a forgotten ``return``) unless ``none_ok``.
    """
    got = fn(*_copy(args), **_copy(kwargs))
    if uses_placeholder(got):
        raise PlaceholderError("the function returned ____")
    if got is None and not none_ok:
        name = getattr(fn, "__name__", "your function")
        raise Incorrect(f"{name} returned None: did it forget to `return` its result?")
    return got


def _contains_strings(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return any(_contains_strings(v) for v in value)
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "USO"
    return isinstance(value, str | bytes)


def _numeric_array_like(value: Any) -> bool:
    if isinstance(value, bool | str | bytes) or value is None:
        return False
    if isinstance(value, int | float | np.number | np.ndarray):
        return not (isinstance(value, np.ndarray) and value.dtype == object)
    if isinstance(value, list | tuple):
        try:
            arr = np.asarray(value)
        except ValueError:
            return False
        return arr.dtype != object and np.issubdtype(arr.dtype, np.number)
    return hasattr(value, "__array__") and not callable(value)


# -------------------------------------------------------------------------------- exercises
def tolerance_text(rtol: float, atol: float = 0.0) -> str:
    """How an answer is compared, in words for the prompt: ``"relative 0.5% (3 significant
    figures are enough)"``. ``rtol``/``atol`` as in :func:`assert_close`."""
    if rtol >= 1e-4:
        text = f"relative {rtol * 100:g}%"
    elif rtol > 0:
        text = f"relative {rtol:.0e}"
    else:
        text = ""
    if atol > 0:
        text += (", " if text else "") + f"absolute {atol:.0e}"
    text = text or "exact"
    if rtol > 0:
        # rounding to d significant figures moves a number by at most 0.5 * 10**(1 - d) of it
        digits = math.ceil(1 - math.log10(2 * rtol) - 1e-9)
        if digits <= 6:
            text += f" ({digits} significant figures are enough)"
    return text


class Exercise:
    """One exercise: prompt, hints, solution, reference answer, checker.

    Args:
        title: a short name ("Q1. The gradient of the MSE").
        prompt: what to do (Markdown).
        hints: hints from gentle to nearly-the-answer; ``hint(n)`` shows the n-th.
        solution: the solution as code text (shown by ``solution()``). It must pass when
            typed into the notebook's exercise cell (``python -m gdcourse solutions`` checks).
        reference: the reference answer (a value or a function) that must pass ``check``.
        checker: ``checker(answer)`` raising :class:`Incorrect` for a wrong answer; it may
            return a string to show on success. Subclasses implement :meth:`_check` instead.
        wrong_answers: known wrong answers, for the self-tests (each must FAIL).
        success: the message shown on success.
        tolerance: how numbers are compared, in words, shown under the prompt (the compared
            kinds below write it from their ``rtol``/``atol``).
    """

    def __init__(
        self,
        title: str,
        prompt: str = "",
        *,
        hints: Sequence[str] = (),
        solution: str = "",
        reference: Any = None,
        checker: Callable[[Any], Any] | None = None,
        wrong_answers: Sequence[Any] = (),
        success: str = "",
        tolerance: str = "",
    ) -> None:
        if not isinstance(title, str) or not title:
            raise TypeError(f"`title` must be a non-empty string. Received: title={title!r}")
        if isinstance(hints, str):
            hints = [hints]
        self.title = title
        self.prompt = textwrap.dedent(prompt).strip()
        self.hints = [textwrap.dedent(h).strip() for h in hints]
        self.solution_code = textwrap.dedent(solution).strip()
        self._reference = reference
        self._checker = checker
        self.wrong_answers = list(wrong_answers)
        self.success = success
        self.tolerance = tolerance
        self.last_status: Status | None = None
        self.last_message = ""
        self._where: tuple[str, str] | None = None

    @property
    def reference(self) -> Any:
        """The reference answer (read only: it is part of the declaration)."""
        return self._reference

    # -- the checker ------------------------------------------------------------------
    def _check(self, answer: Any) -> str | None:
        """Raise :class:`Incorrect` if ``answer`` is wrong; return an optional message."""
        if self._checker is None:
            raise NotImplementedError(f"{self.title!r} has no checker")
        return self._checker(answer)

    def evaluate(self, answer: Any) -> tuple[Status, str]:
        """``(status, message)`` for ``answer``, printing nothing."""
        if uses_placeholder(answer):
            return Status.UNATTEMPTED, "replace ____ with your answer, then run the cell again."
        try:
            note = self._check(answer)
        except Incorrect as exc:
            return Status.FAIL, str(exc)
        except Exception as exc:  # the learner's code raised (or returned something odd)
            if _caused_by_placeholder(exc):
                return Status.UNATTEMPTED, "your code still uses ____: replace it, then rerun."
            message = f"{type(exc).__name__}: {exc}"
            if isinstance(exc, NameError):
                message += " (after a kernel restart, run the cells above first: Run All Above)"
            return Status.ERROR, message
        return Status.PASS, note or self.success

    def check(self, answer: Any) -> Status:
        """Check ``answer``, print a one-line verdict, record it, and return its Status.

        The verdict goes to the local progress record (``gdcourse.progress()``); a record
        that cannot be written never stops the check.
        """
        status, message = self.evaluate(answer)
        self.last_status, self.last_message = status, message
        print(f"{_MARK[status]}" + (f": {message}" if message else ""))
        where = self.where
        if where is not None:
            record_check(where[0], where[1], status.value)
        return status

    @property
    def where(self) -> tuple[str, str] | None:
        """``(set, name)``, e.g. ``("nb01", "q2")``: where this exercise is published, found
        among the loaded modules of ``gdcourse.exercises``; ``None`` for one defined elsewhere.
        """
        if self._where is None:
            prefix = __name__.rsplit(".", 1)[0] + "."
            for module_name, module in list(sys.modules.items()):
                if not module_name.startswith(prefix) or module is None:
                    continue
                for name, value in list(vars(module).items()):
                    if value is self and not name.startswith("_"):
                        self._where = (module_name.rsplit(".", 1)[1], name)
                        return self._where
        return self._where

    # -- help -------------------------------------------------------------------------
    def hint(self, n: int = 1) -> None:
        """Print hint number ``n`` (1 = gentlest)."""
        n = check_int("n", n, minimum=1)
        if not self.hints:
            print("No hints for this one: look at the prompt again, or see solution().")
            return
        k = min(n, len(self.hints))
        more = f" (hint({k + 1}) for more)" if k < len(self.hints) else ""
        print(f"Hint {k}/{len(self.hints)}{more}: {self.hints[k - 1]}")

    def solution(self) -> None:
        """Print the solution code."""
        print(f"Solution:\n{self.solution_code}" if self.solution_code else "No solution text.")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.title!r}>"

    def _repr_markdown_(self) -> str:
        text = f"**{self.title}**\n\n{self.prompt}"
        if self.tolerance:
            text += f"\n\n*Tolerance: {self.tolerance}.*"
        return text


class _Compared(Exercise):
    """An exercise that compares the answer with a reference to ``rtol``/``atol``.

    ``variants`` are other references that are right too, each with a note shown on success
    (e.g. Keras's placement of epsilon in Adam). ``diagnoses`` are known mistakes, each with
    the message shown when the answer behaves like it (e.g. epsilon outside the square root).
    The prompt's tolerance line is written from ``rtol`` and ``atol``.
    """

    def __init__(
        self,
        title: str,
        prompt: str = "",
        *,
        rtol: float,
        atol: float,
        variants: Sequence[tuple[Any, str]] = (),
        diagnoses: Sequence[tuple[Any, str]] = (),
        **kwargs: Any,
    ) -> None:
        self.rtol = check_non_negative("rtol", rtol)
        self.atol = check_non_negative("atol", atol)
        self.variants = [(ref, str(note)) for ref, note in variants]
        self.diagnoses = [(ref, str(note)) for ref, note in diagnoses]
        kwargs.setdefault("tolerance", tolerance_text(self.rtol, self.atol))
        super().__init__(title, prompt, **kwargs)

    def _compare(self, answer: Any, reference: Any) -> str | None:
        raise NotImplementedError

    def _check(self, answer: Any) -> str | None:
        try:
            return self._compare(answer, self.reference)
        except Incorrect as first:
            for reference, note in self.variants:
                if self._matches(answer, reference):
                    return note
            for reference, message in self.diagnoses:
                if self._matches(answer, reference):
                    raise Incorrect(f"{first} - {message}") from None
            raise first from None

    def _matches(self, answer: Any, reference: Any) -> bool:
        try:
            self._compare(answer, reference)
        except Exception:  # noqa: BLE001  (any failure means "does not behave like it")
            return False
        return True


class ValueExercise(_Compared):
    """Compare an answer with ``expected`` (the reference) within ``rtol``/``atol``.

    ``expected`` may be a zero-argument callable, evaluated the first time it is needed.
    """

    def __init__(
        self,
        title: str,
        prompt: str = "",
        *,
        expected: Any,
        rtol: float = 1e-6,
        atol: float = 1e-8,
        **kwargs: Any,
    ) -> None:
        if "reference" in kwargs:
            raise TypeError("ValueExercise takes `expected=`, which is also its reference")
        super().__init__(title, prompt, rtol=rtol, atol=atol, **kwargs)
        self._expected = expected

    @property
    def expected(self) -> Any:
        if callable(self._expected):
            self._expected = self._expected()
        return self._expected

    @property
    def reference(self) -> Any:  # the expected value is the reference answer
        return self.expected

    def _compare(self, answer: Any, reference: Any) -> str | None:
        if callable(answer) and not callable(reference):
            raise Incorrect("pass the value itself, not the function that computes it")
        assert_close(answer, reference, self.rtol, self.atol)
        return None


def _call_text(fn_name: str, args: tuple, kwargs: Mapping[str, Any]) -> str:
    parts = [_short(a, 40) for a in args] + [f"{k}={_short(v, 40)}" for k, v in kwargs.items()]
    return f"{fn_name}({', '.join(parts)})"


def _as_case(case: Any) -> tuple[tuple, dict]:
    if isinstance(case, dict):
        return (), dict(case)
    if isinstance(case, tuple) and len(case) == 2 and isinstance(case[1], dict):
        return tuple(case[0]), dict(case[1])
    if isinstance(case, tuple):
        return case, {}
    return (case,), {}


def _must_be_function(answer: Any) -> None:
    if not callable(answer):
        raise Incorrect(f"pass your function itself (without calling it), got {_short(answer)}")


class FunctionExercise(_Compared):
    """Run the learner's function and ``reference`` on each test case; compare the results.

    Args:
        reference: the reference function.
        cases: test inputs; each an argument tuple, a kwargs dict, or ``(args, kwargs)``
            (a single non-tuple value means one positional argument). May be a zero-argument
            callable returning them.
        rtol, atol: tolerances for the results.
    """

    def __init__(
        self,
        title: str,
        prompt: str = "",
        *,
        reference: Callable[..., Any],
        cases: Sequence[Any] | Callable[[], Sequence[Any]],
        rtol: float = 1e-6,
        atol: float = 1e-8,
        **kwargs: Any,
    ) -> None:
        if not callable(reference):
            raise TypeError(f"`reference` must be a function. Received: {reference!r}")
        super().__init__(title, prompt, reference=reference, rtol=rtol, atol=atol, **kwargs)
        self._cases = cases

    @property
    def cases(self) -> list[tuple[tuple, dict]]:
        raw = self._cases() if callable(self._cases) else self._cases
        return [_as_case(c) for c in raw]

    def _compare(self, answer: Any, reference: Any) -> str | None:
        _must_be_function(answer)
        name = getattr(answer, "__name__", "your function")
        cases = self.cases
        for args, kwargs in cases:
            expected = reference(*args, **kwargs)
            got = call_answer(answer, *args, none_ok=expected is None, **kwargs)
            try:
                assert_close(got, expected, self.rtol, self.atol, what="the result")
            except Incorrect as exc:
                raise Incorrect(f"{_call_text(name, args, kwargs)}: {exc}") from None
        return f"{name} matches the reference on all {len(cases)} test cases."


def _copy(value: Any) -> Any:
    """Copies of arrays, so a learner's in-place update cannot change the test inputs."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, tuple):
        return tuple(_copy(v) for v in value)
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value


class StepExercise(_Compared):
    """Compare an update rule with the reference over several steps.

    Both functions are called as ``fn(*state, *extra)`` and return the new state (a tuple,
    or a single value for a one-element state). Each is iterated from ``initial`` on its
    own outputs for ``steps`` steps; the first step whose states differ is reported.

    Args:
        reference: the reference update, e.g. ``momentum_step(w, v, g, lr, beta)``.
        initial: the starting state, e.g. ``(w0, v0)``.
        extra: the other arguments of every step: a tuple, or ``extra(k, state)`` returning
            one (e.g. the gradient at the current ``w``). ``k`` counts from 1.
        steps: number of steps.
        names: names of the state entries, for messages (``("w", "v")``).
    """

    def __init__(
        self,
        title: str,
        prompt: str = "",
        *,
        reference: Callable[..., Any],
        initial: Any,
        extra: tuple | Callable[[int, tuple], tuple] = (),
        steps: int = 5,
        names: Sequence[str] | None = None,
        rtol: float = 1e-6,
        atol: float = 1e-8,
        **kwargs: Any,
    ) -> None:
        if not callable(reference):
            raise TypeError(f"`reference` must be a function. Received: {reference!r}")
        super().__init__(title, prompt, reference=reference, rtol=rtol, atol=atol, **kwargs)
        self.single = not isinstance(initial, tuple)
        self.initial = (initial,) if self.single else tuple(initial)
        self.extra = extra
        self.steps = check_int("steps", steps, minimum=1)
        self.names = list(names) if names else [f"state[{i}]" for i in range(len(self.initial))]

    def _extra(self, k: int, state: tuple) -> tuple:
        e = self.extra(k, state) if callable(self.extra) else self.extra
        return e if isinstance(e, tuple) else (e,)

    def _states(self, fn: Callable[..., Any]) -> Iterator[tuple]:
        """The states ``fn`` produces from ``initial``, one step at a time (the one loop)."""
        state = _copy(self.initial)
        for k in range(1, self.steps + 1):
            new = call_answer(fn, *state, *self._extra(k, state))
            got = (new,) if self.single else tuple(new) if isinstance(new, tuple | list) else new
            if not isinstance(got, tuple) or len(got) != len(self.initial):
                raise Incorrect(
                    f"step {k}: return {len(self.initial)} values ({', '.join(self.names)}), "
                    f"got {_short(new)}"
                )
            yield got
            state = got

    def trajectory(self, fn: Callable[..., Any]) -> list[tuple]:
        """The states ``fn`` produces from ``initial``: a list of ``steps`` tuples."""
        return list(self._states(fn))

    def _compare(self, answer: Any, reference: Any) -> str | None:
        _must_be_function(answer)
        expected = self.trajectory(reference)
        for k, (got, want) in enumerate(zip(self._states(answer), expected, strict=False), start=1):
            for name, g, e in zip(self.names, got, want, strict=True):
                try:
                    assert_close(g, e, self.rtol, self.atol, what=name)
                except Incorrect as exc:
                    raise Incorrect(f"step {k} of {self.steps} differs: {exc}") from None
        return f"all {self.steps} steps match the reference."
