"""The library never imports the machinery.

The library is everything in ``gdcourse/`` that a notebook may import; the machinery that runs
the course (the commands, the runner, the site, the answer key, ...) lives in
``gdcourse/commands/`` and only ever imports the library. Two checks, both strict:

- statically, with ``ast``: no import statement anywhere in a library file (module level or
  inside a function) and no ``importlib.import_module``/``__import__`` call names the
  machinery;
- dynamically, in a fresh interpreter: importing every library module leaves no machinery
  module in ``sys.modules`` (once for the whole library, and once per library sub-package).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "gdcourse"
MACHINERY = "gdcourse.commands"
#: Names the machinery had before it moved under ``gdcourse.commands``; no library file may
#: name them either (they would fail at run time, or come back as a second home).
FORMER = ("gdcourse.cli", "gdcourse.kit", "gdcourse.site", "gdcourse.runner", "gdcourse.doctor")
FORBIDDEN = (MACHINERY, *FORMER)
#: What is not library: the machinery and ``python -m gdcourse``'s entry point.
NOT_LIBRARY = (PACKAGE / "commands", PACKAGE / "__main__.py")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def library_files() -> list[Path]:
    files = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if any(path == p or p in path.parents for p in NOT_LIBRARY):
            continue
        files.append(path)
    return files


LIBRARY_MODULES = [_module_name(p) for p in library_files()]
SUBPACKAGES = sorted(
    _module_name(p.parent) for p in PACKAGE.glob("*/__init__.py") if p.parent.name != "commands"
)


def _forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN)


def imported_names(path: Path, module: str | None = None) -> list[tuple[int, str]]:
    """Every module an import in ``path`` names (relative imports resolved), with its line.

    ``module`` is the file's dotted name (derived from its place under the checkout if omitted).
    """
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    module = module or _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.append((node.lineno, base))
            names += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("import_module", "__import__") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    names.append((node.lineno, first.value))
    return names


def test_the_library_is_what_we_think_it_is():
    # a sanity check on the walk itself, so the checks below cannot pass by finding nothing
    assert {"gdcourse", "gdcourse.session", "gdcourse.exercises.record"} <= set(LIBRARY_MODULES)
    assert {"gdcourse.data", "gdcourse.exercises", "gdcourse.optim"} <= set(SUBPACKAGES)
    assert not [m for m in LIBRARY_MODULES if m.startswith(MACHINERY)]


def test_the_static_check_sees_imports_inside_functions(tmp_path: Path):
    probe = tmp_path / "probe.py"
    code = """
        import importlib

        def late():
            from gdcourse.commands.doctor import diagnose
            from .commands import cli
            return importlib.import_module("gdcourse.commands.runner"), diagnose, cli
    """
    probe.write_text(textwrap.dedent(code), "utf-8")
    found = [name for _, name in imported_names(probe, "gdcourse.probe") if _forbidden(name)]
    assert sorted(found) == [
        "gdcourse.commands",
        "gdcourse.commands.cli",
        "gdcourse.commands.doctor",
        "gdcourse.commands.doctor.diagnose",
        "gdcourse.commands.runner",
    ]


@pytest.mark.parametrize("path", library_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_library_file_imports_the_machinery(path: Path):
    bad = [f"line {line}: {name}" for line, name in imported_names(path) if _forbidden(name)]
    assert not bad, f"{path.relative_to(REPO)} imports the machinery: {bad}"


def _fresh_import(modules: list[str]) -> None:
    code = textwrap.dedent(
        f"""
        import importlib, sys
        for name in {modules!r}:
            importlib.import_module(name)
        machinery = sorted(m for m in sys.modules if m == {MACHINERY!r}
                           or m.startswith({MACHINERY!r} + "."))
        assert not machinery, f"importing the library imported the machinery: {{machinery}}"
        """
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env["MPLBACKEND"] = "Agg"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.mark.slow
def test_importing_the_whole_library_imports_no_machinery():
    _fresh_import(LIBRARY_MODULES)


@pytest.mark.slow
@pytest.mark.parametrize("subpackage", SUBPACKAGES)
def test_importing_a_library_subpackage_imports_no_machinery(subpackage: str):
    _fresh_import([m for m in LIBRARY_MODULES if m == subpackage or m.startswith(subpackage + ".")])
