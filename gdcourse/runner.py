"""Execute course notebooks headless, each in a fresh kernel, and measure them.

``python -m gdcourse run`` is the course's main job: it runs every notebook in order, writes
the executed copies to ``build/`` (or back in place with ``--inplace``), shows a progress bar,
and closes with a table of each notebook's wall time and peak memory. Peak memory is the
kernel process's resident high-water mark (``VmHWM`` in ``/proc/<pid>/status`` on Linux;
elsewhere the largest resident size seen by polling every 50 ms).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat

from gdcourse._files import write_atomically
from gdcourse._quiet import QUIET_TF_ENV

#: Kernel environment that keeps start-up noise out of outputs (see gdcourse/__init__.py).
KERNEL_ENV = {
    **QUIET_TF_ENV,
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",  # debugpy's "frozen modules" warning on 3.11+
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
}


@dataclass(frozen=True)
class RunResult:
    """How one notebook's run went."""

    notebook: str
    seconds: float
    peak_mb: float | None
    cells: int
    error: str | None = None  # "cell N: ExcName: message" when it failed

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


def execute_notebook(
    path: Path,
    *,
    timeout: int = 600,
    progress: ProgressFn | None = None,
) -> tuple[nbformat.NotebookNode, RunResult]:
    """Run every cell of ``path`` in a fresh kernel started in the notebook's folder."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    nb = nbformat.read(path, as_version=4)
    os.environ.update({k: os.environ.get(k, v) for k, v in KERNEL_ENV.items()})
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
    done, error, peak = 0, None, None
    started = time.perf_counter()
    client.reset_execution_trackers()
    try:
        with client.setup_kernel():
            memory = _PeakMemory(client.km.provisioner.pid)
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                try:
                    client.execute_cell(cell, index, execution_count=done + 1)
                except CellTimeoutError:
                    error = f"cell {index}: timed out after {timeout} s"
                except CellExecutionError as failure:
                    error = f"cell {index}: {failure.ename}: {failure.evalue}"
                done += 1
                if progress is not None:
                    progress(path.name, done, code_cells, time.perf_counter() - started)
                if error:
                    break
            peak = memory.peak_mb()
            client.set_widgets_metadata()
    except Exception as failure:  # the kernel did not start, or died: report, don't crash
        error = error or f"kernel: {type(failure).__name__}: {failure}"
    seconds = time.perf_counter() - started
    return nb, RunResult(path.name, seconds, peak, done, error)


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
    ``inplace`` a notebook that ran without error also replaces its source file.
    """
    results = []
    for path in paths:
        nb, result = execute_notebook(path, timeout=timeout, progress=progress)
        write_atomically(output_dir / path.name, nbformat.writes(nb).encode("utf-8"))
        if inplace and result.ok:
            write_atomically(path, nbformat.writes(nb).encode("utf-8"))
        results.append(result)
    return results


def format_table(results: Sequence[RunResult]) -> str:
    """The closing table: one row per notebook, then the total."""
    width = max([len("notebook"), *(len(r.notebook) for r in results)])
    lines = [f"{'notebook':<{width}}  {'time (s)':>8}  {'peak memory (MB)':>16}  status"]
    for r in results:
        peak = f"{r.peak_mb:.0f}" if r.peak_mb is not None else "n/a"
        lines.append(
            f"{r.notebook:<{width}}  {r.seconds:>8.1f}  {peak:>16}  {'ok' if r.ok else 'FAILED'}"
        )
    total = sum(r.seconds for r in results)
    peaks = [r.peak_mb for r in results if r.peak_mb is not None]
    worst = f"{max(peaks):.0f}" if peaks else "n/a"
    lines.append(f"{'total':<{width}}  {total:>8.1f}  {'max ' + worst:>16}")
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
