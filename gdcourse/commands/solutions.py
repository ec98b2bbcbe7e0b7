"""The answer key: every published solution typed into its notebook's exercise cells and run.

``python -m gdcourse solutions [NN ...]`` writes ``build/solutions/NN_name.ipynb`` for each
notebook that has an exercise set (``gdcourse/exercises/nbNN.py``): the notebook's setup cell,
then its Exercises section (the cells from the ``## Exercises`` heading to the next heading of
level 1 or 2) and every later section headed ``Exercise ...`` (such as ``### Exercise 3
(optional): ...`` inside a ``## Going further`` section), with each check cell rewritten as a
learner who typed in the solution would have it: the cell's own imports, then the text
``qN.solution()`` prints, then the cell's ``qN.check(...)`` line. Only those cells run (in one
kernel, its namespace cleared before each notebook), so the whole key takes seconds, and so
every published solution must be self-contained (its own imports). The command fails,
naming the notebook and the exercise, when a check does not print PASS, when a cell raises, or
when an exercise of the set has no check cell in its notebook.

The kernels record their checks in a throw-away progress folder, never in the learner's.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import nbformat

from gdcourse._files import write_atomically
from gdcourse._validate import check_int, output_folder_problem, seconds_argument
from gdcourse.commands.runner import KERNEL_ENV, notebooks_dir
from gdcourse.exercises import all_exercise_sets, exercises_in
from gdcourse.exercises.core import Exercise
from gdcourse.exercises.record import PROGRESS_ENV

HEADING = re.compile(r"^\s{0,3}##\s+Exercises\b", re.MULTILINE)
ANY_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*)$", re.MULTILINE)
EXERCISE_TITLE = re.compile(r"Exercises?\b")
CHECK = re.compile(r"\b(q\d+)\.check\(")
PASS_MARK = "✓ Correct"


@dataclass
class KeyResult:
    """How one notebook's answer key went."""

    notebook: str
    seconds: float = 0.0
    passed: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (exercise, why)

    @property
    def ok(self) -> bool:
        return not self.failures


def _exercises_start(nb: nbformat.NotebookNode) -> int:
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and HEADING.search(cell.source):
            return index
    raise ValueError("no '## Exercises' heading")


def _key_cells(cells: list, start: int) -> list:
    """The cells of the Exercises section that opens at ``start`` (up to the next heading of
    its level or higher) and of every later section whose heading begins ``Exercise``, up to
    the next heading of that section's level or higher. Other sections after the exercises
    (``## Going further``) need the notebook's earlier cells, which the key does not run."""
    kept, keep, level = [], False, 2
    for cell in cells[start:]:
        if cell.cell_type == "markdown":
            for hashes, title in ANY_HEADING.findall(cell.source):
                if EXERCISE_TITLE.match(title):
                    if not keep or len(hashes) <= level:  # not a subsection of a kept one
                        keep, level = True, len(hashes)
                elif len(hashes) <= level:
                    keep = False
        if keep:
            kept.append(cell)
    return kept


def _setup_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode | None:
    for cell in nb.cells:
        if cell.cell_type == "code" and "gdcourse.setup(" in cell.source:
            return cell
    return None


def typed_in(source: str, solution: str) -> str:
    """``source`` (an exercise cell) as a learner who typed in ``solution`` has it: the cell's
    leading imports, the solution, then the statements that call ``qN.check``."""
    tree = ast.parse(source)
    head: list[str] = []
    checks: list[str] = []
    for stmt in tree.body:
        text = ast.get_source_segment(source, stmt) or ""
        if isinstance(stmt, ast.Import | ast.ImportFrom) and not checks:
            head.append(text)
        elif CHECK.search(text):
            checks.append(text)
    parts = ["\n".join(head)] if head else []
    parts += [solution.strip(), "\n".join(checks)]
    return "\n\n\n".join(parts) + "\n"


def answer_key(path: Path, module: ModuleType) -> tuple[nbformat.NotebookNode, dict[int, str]]:
    """The answer-key notebook for ``path`` and ``{cell index: exercise name}`` of its checks.

    Raises ``ValueError`` naming the exercise when the notebook has no check cell for it.
    """
    source = nbformat.read(path, as_version=4)
    exercises: dict[str, Exercise] = exercises_in(module)
    start = _exercises_start(source)
    cells = [
        nbformat.v4.new_markdown_cell(
            f"# Answer key: `{path.name}`\n\nThe setup cell and the Exercises section, each "
            "published solution typed in (written by `python -m gdcourse solutions`)."
        )
    ]
    setup = _setup_cell(source)
    if setup is not None and source.cells.index(setup) < start:
        cells.append(nbformat.v4.new_code_cell(setup.source))
    checks: dict[int, str] = {}
    for cell in _key_cells(source.cells, start):
        if cell.cell_type != "code":
            cells.append(nbformat.v4.new_markdown_cell(cell.source))
            continue
        found = CHECK.findall(cell.source)
        text = cell.source
        if found:
            name = found[0]
            if name not in exercises:
                raise ValueError(
                    f"{path.name}: a cell checks {name}, which {module.__name__} lacks"
                )
            text = typed_in(cell.source, exercises[name].solution_code)
            checks[len(cells)] = name
        cells.append(nbformat.v4.new_code_cell(text))
    missing = sorted(set(exercises) - set(checks.values()))
    if missing:
        raise ValueError(f"{path.name}: no exercise cell checks {', '.join(missing)}")
    key = nbformat.v4.new_notebook(cells=cells, metadata=source.metadata)
    return key, checks


def _printed(cell: nbformat.NotebookNode) -> str:
    return "".join(
        out.get("text", "") for out in cell.get("outputs", []) if out.get("output_type") == "stream"
    )


def _verdicts(
    result: KeyResult, executed: nbformat.NotebookNode, checks: dict[int, str], errors: dict
) -> None:
    for index, name in checks.items():
        text = _printed(executed.cells[index])
        if text.startswith(PASS_MARK):
            result.passed.append(name)
        elif index in errors:
            result.failures.append((name, f"the cell raised {errors[index]}"))
        else:
            result.failures.append((name, text.strip() or "the check printed nothing"))
    for index, error in errors.items():
        if index not in checks:
            result.failures.append(("-", f"cell {index + 1} raised {error}"))


def notebooks_with_sets(folder: Path, names: Sequence[str] = ()) -> list[tuple[Path, ModuleType]]:
    """``(notebook, exercise set)`` pairs, in course order; ``names`` are numbers like ``03``
    (or notebook stems); none means every notebook that has a set."""
    sets = all_exercise_sets()
    pairs = []
    for set_name, module in sets.items():
        number = set_name.removeprefix("nb")
        found = sorted(folder.glob(f"{number}_*.ipynb"))
        if found:
            pairs.append((found[0], module))
    if not names:
        return pairs
    chosen = []
    for name in names:
        match = [
            p for p in pairs if p[0].stem == name or p[0].name == name or p[0].name[:2] == name
        ]
        if len(match) != 1:
            known = ", ".join(p[0].name[:2] for p in pairs)
            raise ValueError(f"`{name}` is not a notebook with exercises; those are: {known}")
        chosen.append(match[0])
    return chosen


def _needs_own_kernel(key: nbformat.NotebookNode) -> bool:
    """True when the key's setup cell must run before TensorFlow has started its devices."""
    return any(c.cell_type == "code" and "logical_devices(" in c.source for c in key.cells[:2])


def _run_keys(
    keys: Sequence[tuple[Path, nbformat.NotebookNode, dict[int, str]]],
    output_dir: Path,
    env: dict[str, str],
    timeout: int,
) -> list[KeyResult]:
    """Run answer keys one after another in one kernel, its namespace cleared before each."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    results = []
    client = NotebookClient(
        nbformat.v4.new_notebook(),
        timeout=timeout,
        kernel_name="python3",
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        resources={"metadata": {"path": str(output_dir.resolve())}},
    )
    with client.setup_kernel(env=env):
        for path, key, checks in keys:
            started = time.perf_counter()
            client.nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("%reset -f")])
            client.execute_cell(client.nb.cells[0], 0)
            client.nb = key
            errors: dict[int, str] = {}
            count = 0
            for index, cell in enumerate(key.cells):
                if cell.cell_type != "code":
                    continue
                count += 1
                try:
                    client.execute_cell(cell, index, execution_count=count)
                except CellTimeoutError:
                    errors[index] = f"a timeout after {timeout} s"
                except CellExecutionError as failure:
                    errors[index] = f"{failure.ename}: {failure.evalue}"
            result = KeyResult(path.name)
            _verdicts(result, key, checks, errors)
            result.seconds = time.perf_counter() - started
            write_atomically(output_dir / path.name, nbformat.writes(key).encode("utf-8"))
            results.append(result)
    return results


def build_solutions(
    pairs: Sequence[tuple[Path, ModuleType]], output_dir: Path, *, timeout: int = 120
) -> list[KeyResult]:
    """Build, run and write every answer key; one result per notebook.

    One kernel runs them all, one notebook after another, its namespace cleared
    (``%reset -f``) before each: TensorFlow is imported once, which keeps the whole key to
    seconds. The kernel records its checks in a throw-away progress folder. ``timeout`` is
    in seconds per cell, a whole number >= 1 (as for ``gdcourse run``).
    """
    timeout = check_int("timeout", timeout, minimum=1)
    problem = output_folder_problem(output_dir)
    if problem:
        raise ValueError(f"`output_dir` {problem}")
    output_dir.mkdir(parents=True, exist_ok=True)
    results = []
    keys = []
    for path, module in pairs:
        try:
            keys.append((path, *answer_key(path, module)))
        except (ValueError, SyntaxError) as error:
            results.append(KeyResult(path.name, failures=[("-", str(error))]))
    if not keys:
        return results
    # A notebook whose setup must run before TensorFlow starts (notebook 10 splits the CPU into
    # logical devices) gets a kernel of its own; the others share one.
    shared = [k for k in keys if not _needs_own_kernel(k[1])]
    groups = [shared] if shared else []
    groups += [[k] for k in keys if _needs_own_kernel(k[1])]
    with tempfile.TemporaryDirectory(prefix="gdcourse-key-") as scratch:
        env = {**os.environ, **KERNEL_ENV, PROGRESS_ENV: scratch}
        env.update({k: os.environ[k] for k in KERNEL_ENV if k in os.environ})
        for group in groups:
            results += _run_keys(group, output_dir, env, timeout)
    order = {path.name: i for i, (path, _) in enumerate(pairs)}
    return sorted(results, key=lambda r: order.get(r.notebook, 0))


# ``python -m gdcourse solutions`` (registered in gdcourse.commands.cli.COMMANDS)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("notebooks", nargs="*", help="numbers like 03; default: all")
    parser.add_argument("--output", default="build/solutions", help="(build/solutions)")
    parser.add_argument("--dir", default=None, help="notebook folder (default: the course's)")
    parser.add_argument(
        "--timeout", type=seconds_argument, default=120, help="seconds per cell (120)"
    )


def command(args: argparse.Namespace) -> int:
    from gdcourse.commands.solutions import build_solutions, notebooks_with_sets

    folder = Path(args.dir) if args.dir else notebooks_dir()
    try:
        pairs = notebooks_with_sets(folder, args.notebooks)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not pairs:
        print(f"error: no notebook with an exercise set in {folder}", file=sys.stderr)
        return 2
    output = Path(args.output)
    problem = output_folder_problem(output)
    if problem:
        print(f"error: --output {problem}", file=sys.stderr)
        return 2
    print(f"Answer key for {len(pairs)} notebook(s): solutions typed in, run, in {output}/")
    started = time.perf_counter()
    results = build_solutions(pairs, output, timeout=args.timeout)
    for r in results:
        state = "ok" if r.ok else "FAILED"
        print(f"{r.notebook:<38} {len(r.passed)} PASS  {r.seconds:5.1f} s  {state}")
    print(f"total {time.perf_counter() - started:.1f} s")
    failed = [(r.notebook, name, why) for r in results for name, why in r.failures]
    for notebook, name, why in failed:
        print(f"FAILED {notebook[:2]} {name}: {why}", file=sys.stderr)
    return 1 if failed else 0
