"""Execute course notebooks headless, each in a fresh kernel, and measure them.

``python -m gdcourse run`` is the course's main job: it runs every notebook in order, writes
the executed copies to ``build/`` (or back in place with ``--inplace``), shows a progress bar,
and closes with a table of each notebook's wall time and peak memory. Peak memory is the
kernel process's resident high-water mark (``VmHWM`` in ``/proc/<pid>/status`` on Linux;
elsewhere the largest resident size seen by polling every 50 ms).

A committed notebook is only ever replaced by a run that succeeded, and only with
``--inplace``: a failed run, or ``--output`` naming the notebooks' own folder, never touches
it. A failure names the cell as Jupyter shows it after *Run All*: ``code cell 3 (In [3])``,
the 1-based number among code cells, which is also its execution count. Ctrl-C stops the
run, shuts the kernel down and writes nothing.

Every run that finishes also leaves a record, ``build/last-run.json`` in the folder above the
notebooks' (the checkout's ``build/``), and a run with a failure also ``build/last-failure.json``:
versions, platform and each notebook's outcome, with a failed cell's index, execution count,
error and the end of its traceback (home folders written as ``~``). ``python -m gdcourse report``
and the record of verified stacks (``gdcourse.commands.verified``) read them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gdcourse._files import checkout_root, write_atomically
from gdcourse._quiet import QUIET_TF_ENV
from gdcourse._validate import seconds_argument

if TYPE_CHECKING:
    import nbformat

#: Kernel environment that keeps start-up noise out of outputs (see gdcourse/_quiet.py).
KERNEL_ENV = {
    **QUIET_TF_ENV,
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",  # debugpy's "frozen modules" warning on 3.11+
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
}


@dataclass(frozen=True)
class Failure:
    """Where and how a notebook failed, as Jupyter numbers its cells.

    ``execution_count`` is the ``[N]`` JupyterLab shows beside the cell after *Run All* (the
    N-th code cell); ``cell_index`` counts every cell, Markdown included, from 0 (nbformat's
    index). Both are None when the kernel failed outside any cell.
    """

    cell_index: int | None
    execution_count: int | None
    ename: str
    evalue: str
    traceback: str = ""  # the last lines, without colour codes, home folders as ~


@dataclass(frozen=True)
class RunResult:
    """How one notebook's run went."""

    notebook: str
    seconds: float
    peak_mb: float | None
    cells: int
    error: str | None = None  # "code cell N (In [N]): ExcName: message" when it failed
    failure: Failure | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _vm_hwm_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


class _PeakMemory:
    """Track a process's peak resident memory (exact on Linux, polled elsewhere)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._polled = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if _vm_hwm_mb(pid) is None:
            self._thread = threading.Thread(target=self._poll, daemon=True)
            self._thread.start()

    def _poll(self) -> None:
        import psutil

        try:
            process = psutil.Process(self.pid)
            while not self._stop.wait(0.05):
                self._polled = max(self._polled, process.memory_info().rss / 2**20)
        except psutil.Error:
            return

    def peak_mb(self) -> float | None:
        exact = _vm_hwm_mb(self.pid)
        if exact is not None:
            return exact
        self._stop.set()
        return self._polled or None


ProgressFn = Callable[[str, int, int, float], None]


def kernel_env() -> dict[str, str]:
    """The kernel's environment: this process's, plus :data:`KERNEL_ENV` where it is unset."""
    return {**KERNEL_ENV, **os.environ}


def execute_notebook(
    path: Path,
    *,
    timeout: int = 600,
    progress: ProgressFn | None = None,
) -> tuple[nbformat.NotebookNode, RunResult]:
    """Run every cell of ``path`` in a fresh kernel started in the notebook's folder.

    The kernel inherits this process's environment (``PYTHONPATH`` included) with
    :data:`KERNEL_ENV` added where unset; this process's ``os.environ`` is left as it was.
    """
    import nbformat  # heavy (jsonschema): imported when a notebook runs, not for `--help`
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        # ipykernel warns on every start that TCP is unencrypted; only errors reach the terminal
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    code_cells = sum(cell.cell_type == "code" for cell in nb.cells)
    done, error, peak, failed = 0, None, None, None
    running: tuple[int, int] | None = None  # (cell index, execution count) while a cell runs
    started = time.perf_counter()
    client.reset_execution_trackers()
    try:
        with client.setup_kernel(env=kernel_env()):
            memory = _PeakMemory(client.km.provisioner.pid)  # type: ignore[union-attr]
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                where = f"code cell {done + 1} (In [{done + 1}])"
                running = (index, done + 1)
                try:
                    client.execute_cell(cell, index, execution_count=done + 1)
                except CellTimeoutError:
                    error = f"{where}: timed out after {timeout} s"
                    failed = Failure(index, done + 1, "CellTimeoutError", f"after {timeout} s")
                except CellExecutionError as failure:
                    error = f"{where}: {failure.ename}: {failure.evalue}"
                    tail = traceback_tail(str(getattr(failure, "traceback", "") or ""))
                    failed = Failure(index, done + 1, failure.ename, failure.evalue, tail)
                running = None
                done += 1
                if progress is not None:
                    progress(path.name, done, code_cells, time.perf_counter() - started)
                if error:
                    break
            peak = memory.peak_mb()
            client.set_widgets_metadata()
    except Exception as failure:  # the kernel did not start, or died: report, don't crash
        if not error:
            error = f"kernel: {type(failure).__name__}: {failure}"
            at, count = running if running else (None, None)  # the cell running when it died
            failed = Failure(at, count, type(failure).__name__, home_as_tilde(str(failure)))
    seconds = time.perf_counter() - started
    return nb, RunResult(path.name, seconds, peak, done, error, failed)


def run_notebooks(
    paths: Sequence[Path],
    *,
    output_dir: Path,
    inplace: bool = False,
    timeout: int = 600,
    progress: ProgressFn | None = None,
) -> list[RunResult]:
    """Execute ``paths`` in order; write each executed copy; return one result each.

    Executed copies go to ``output_dir`` (always, even on failure, to help debugging); with
    ``inplace`` a notebook that ran without error also replaces its source file. A source
    file is never replaced otherwise, even when ``output_dir`` is its own folder.
    """
    import nbformat

    results = []
    for path in paths:
        try:
            nb, result = execute_notebook(path, timeout=timeout, progress=progress)
        except Exception as failure:  # unreadable: not JSON, not a notebook, gone
            first = (str(failure).strip().splitlines() or [""])[0][:200]
            error = f"cannot read the notebook: {type(failure).__name__}: {first}"
            why = Failure(None, None, type(failure).__name__, home_as_tilde(first))
            results.append(RunResult(path.name, 0.0, None, 0, error, why))
            continue
        text = nbformat.writes(nb).encode("utf-8")
        copy = output_dir / path.name
        if not _same_file(copy, path):
            write_atomically(copy, text)
        if inplace and result.ok:
            write_atomically(path, text)
        results.append(result)
    return results


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def home_as_tilde(text: str) -> str:
    """``text`` with the user's home folder written as ``~`` (the only personal thing a path
    or a traceback carries)."""
    home = str(Path.home())
    if len(home) <= 1:  # no home, or "/" (a service account): nothing to hide
        return text
    return re.sub(re.escape(home) + r"(?=[\\/]|$|\W)", "~", text)


def traceback_tail(text: str, lines: int = 12) -> str:
    """The last ``lines`` lines of a kernel traceback, without colour codes, home as ``~``."""
    plain = _ANSI.sub("", text).rstrip()
    # nbclient writes a heading, the cell's source between two lines of dashes, then the traceback
    plain = plain.split("\n------------------\n", 2)[-1].strip("\n")
    return home_as_tilde("\n".join(plain.splitlines()[-lines:]))


def run_record_dir(notebook_folder: Path) -> Path:
    """Where a run's record goes: ``build/`` beside the notebooks' folder."""
    return notebook_folder.resolve().parent / "build"


def run_record(results: Sequence[RunResult], notebook_folder: Path) -> dict:
    """What ``build/last-run.json`` holds: when, on what stack, and each notebook's outcome."""
    import platform

    from gdcourse.commands.verified import current_versions, platform_summary

    return {
        "schema": 1,
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
        "versions": current_versions(),
        "platform": platform_summary(),
        "python_implementation": platform.python_implementation(),
        "notebook_folder": home_as_tilde(str(notebook_folder.resolve())),
        "results": [
            {
                "notebook": r.notebook,
                "ok": r.ok,
                "seconds": round(r.seconds, 1),
                "peak_mb": None if r.peak_mb is None else round(r.peak_mb),
                "cells": r.cells,
                "error": _private(r.error),
                "failure": _private(asdict(r.failure)) if r.failure else None,
            }
            for r in results
        ],
    }


def _private(value: Any) -> Any:
    """``value`` (text, or a dict of them) with home folders as ``~``."""
    if isinstance(value, str):
        return home_as_tilde(value)
    if isinstance(value, dict):
        return {k: _private(v) for k, v in value.items()}
    return value


def write_run_record(results: Sequence[RunResult], notebook_folder: Path) -> Path | None:
    """Write ``last-run.json`` (and, when a notebook failed, ``last-failure.json``) atomically
    into :func:`run_record_dir`; return the folder, or None when it could not be written (the
    run's own outcome does not depend on it)."""
    folder = run_record_dir(notebook_folder)
    record = run_record(results, notebook_folder)
    text = (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    try:
        write_atomically(folder / "last-run.json", text)
        if any(not r.ok for r in results):
            write_atomically(folder / "last-failure.json", text)
    except OSError as error:
        print(f"warning: the run's record was not written to {folder}: {error}", file=sys.stderr)
        return None
    return folder


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def format_table(results: Sequence[RunResult]) -> str:
    """The closing table: one row per notebook, then the total."""
    width = max([len("notebook"), *(len(r.notebook) for r in results)])
    memory = "peak memory (MiB)"
    m = len(memory)  # the memory column is as wide as its heading
    lines = [f"{'notebook':<{width}}  {'time (s)':>8}  {memory}  status"]
    for r in results:
        peak = f"{r.peak_mb:.0f}" if r.peak_mb is not None else "n/a"
        lines.append(
            f"{r.notebook:<{width}}  {r.seconds:>8.1f}  {peak:>{m}}  {'ok' if r.ok else 'FAILED'}"
        )
    total = sum(r.seconds for r in results)
    peaks = [r.peak_mb for r in results if r.peak_mb is not None]
    worst = f"{max(peaks):.0f}" if peaks else "n/a"
    lines.append(f"{'total':<{width}}  {total:>8.1f}  {'max ' + worst:>{m}}")
    return "\n".join(lines)


class ProgressBar:
    """A one-line progress bar on a terminal; one line per finished notebook elsewhere."""

    def __init__(self, stream=None, width: int = 24) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def __call__(self, name: str, done: int, total: int, seconds: float) -> None:
        if self.tty:
            filled = int(self.width * done / max(total, 1))
            bar = "#" * filled + "-" * (self.width - filled)
            end = "\n" if done == total else ""
            line = f"\r{name:<36} [{bar}] {done:>3}/{total} cells {seconds:6.1f} s"
            self.stream.write(line + end)
        elif done == total:
            self.stream.write(f"{name}: {total} cells in {seconds:.1f} s\n")
        self.stream.flush()


# --- `python -m gdcourse run` ------------------------------------------------------------------


def notebooks_dir() -> Path:
    """The course's notebook folder: ``notebooks/`` of the checkout, else of the current folder."""
    root = checkout_root()
    return root / "notebooks" if root is not None else Path.cwd() / "notebooks"


def resolve_notebooks(names: Sequence[str], folder: Path) -> list[Path]:
    """Notebook paths for ``names`` (paths, file names, stems or number prefixes like ``03``).

    With no names, every ``NN_*.ipynb`` in ``folder`` in name order (the course order).

    Raises:
        ValueError: a name matches no notebook, or several; the message lists what exists.
    """
    if not folder.is_dir():
        raise ValueError(f"the notebook folder {folder} does not exist")
    available = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    if not names:
        if not available:
            raise ValueError(f"no notebooks (NN_name.ipynb) found in {folder}")
        return available
    chosen = []
    for name in names:
        path = Path(name)
        if path.suffix == ".ipynb" and path.is_file():
            chosen.append(path.resolve())
            continue
        matches = [p for p in available if p.stem == name or p.name == name]
        matches = matches or [p for p in available if p.name.startswith(name)]
        if len(matches) != 1:
            listed = ", ".join(p.stem for p in available) or "none"
            raise ValueError(
                f"`{name}` names {len(matches)} notebooks (no such file, and the prefix or "
                f"name must match exactly one in {folder}); available: {listed}"
            )
        chosen.append(matches[0])
    return chosen


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``python -m gdcourse run``."""
    parser.add_argument("notebooks", nargs="*", help="names, prefixes (03) or paths; default: all")
    parser.add_argument("--inplace", action="store_true", help="refresh the committed copies")
    parser.add_argument("--output", default="build", help="folder for executed copies (build)")
    parser.add_argument("--dir", default=None, help="notebook folder (default: the course's)")
    parser.add_argument(
        "--timeout", type=seconds_argument, default=600, help="seconds per cell (600)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def command(args: argparse.Namespace) -> int:
    """Run the notebooks; 0 when all succeeded, 1 when one failed, 2 for a usage error."""
    try:
        paths = resolve_notebooks(args.notebooks, Path(args.dir) if args.dir else notebooks_dir())
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    output = Path(args.output)
    if output.exists() and not output.is_dir():
        print(f"error: --output {output} is a file, not a folder", file=sys.stderr)
        return 2
    own = [p for p in paths if _same_file(output / p.name, p)]
    if own and not args.inplace:
        print(
            f"error: --output {output} is the notebooks' own folder, so the executed copies would "
            "replace the committed ones; use --inplace to refresh them (only successful runs "
            "are written), or another --output folder",
            file=sys.stderr,
        )
        return 2
    folder = Path(args.dir) if args.dir else notebooks_dir()
    print(f"Running {len(paths)} notebook(s), each in a fresh kernel; executed copies in {output}/")
    results = run_notebooks(
        paths,
        output_dir=output,
        inplace=args.inplace,
        timeout=args.timeout,
        progress=None if args.quiet else ProgressBar(),
    )
    print()
    print(format_table(results))
    write_run_record(results, folder)
    failed = [r for r in results if not r.ok]
    for r in failed:
        print(f"FAILED {r.notebook}, {r.error}", file=sys.stderr)
    if failed:
        print(
            "To report it: `python -m gdcourse report` prints what an issue needs.",
            file=sys.stderr,
        )
    return 1 if failed else 0
