"""The Colab-stack check: does the course install and run on Colab's own versions?

1. A fresh virtual environment (build/colab-venv) holding exactly the packages pinned in
   .ci/colab-pins.txt, Colab's versions of everything the course needs, installed without
   dependency resolution (`--no-deps`), as Colab's image is a fixed set, not a resolution.
   Python: the one running this script, or COLAB_CHECK_PYTHON. Colab has 3.12, which Debian 12
   (CI's machine) does not package, so CI runs 3.11: the record states the deviation.
2. The notebooks' own install step: the `%pip install ...` line of the setup cell, with the
   repository's GitHub address replaced by this checkout (`gdcourse @ file:///...`): there is
   no network to GitHub here. Like Colab's, it is a plain (not editable) install.
3. `pip freeze` before and after that step: any upgrade, downgrade or removal of a package
   that was already there fails the check, and so does any added package except the course
   itself and those the pins file lists as not on Colab.
4. Every notebook executed headless, each in a fresh kernel, by the installed package
   (`python -m gdcourse run`, executed copies in build/colab-run/, never in place).
5. The record of verified stacks updated (`colab` entry) from that run, and README's block.

Exit status 0 when all of it passed; 1 otherwise (the record still says what failed).
Run it from anywhere: `python3 .ci/colab_check.py` (CI runs it from .ci/run).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PINS = REPO / ".ci" / "colab-pins.txt"
VENV = REPO / "build" / "colab-venv"
OUTPUT = REPO / "build" / "colab-run"
NOISE = "is ignored: it is neither a file nor a directory"  # this machine's pip config


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _run(cmd: list[str], *, echo: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """Run ``cmd``; pass its output through (stdout only with ``echo``) without this machine's
    pip-config noise."""
    done = subprocess.run(cmd, text=True, capture_output=True, **kwargs)
    streams = [(done.stdout, sys.stdout)] if echo else []
    for stream, sink in [*streams, (done.stderr, sys.stderr)]:
        text = "\n".join(line for line in stream.splitlines() if NOISE not in line)
        if text.strip():
            print(text, file=sink, flush=True)
    return done


def _freeze(python: Path) -> dict[str, str]:
    done = _run([str(python), "-m", "pip", "freeze", "--all"], echo=False)
    done.check_returncode()
    found = {}
    for line in done.stdout.splitlines():
        name, sep, version = line.partition("==")
        if not sep:  # "name @ url": a direct reference (the course itself)
            name, _, version = line.partition(" @ ")
        found[_norm(name)] = version.strip()
    return found


def pins() -> tuple[list[str], set[str]]:
    """The pinned requirements, and the packages the pins file says Colab lacks."""
    required, absent = [], set()
    for line in PINS.read_text(encoding="utf-8").splitlines():
        if line.startswith("# not on Colab"):
            absent.add(_norm(line.rsplit(":", 1)[1].strip()))
        requirement = line.split("#", 1)[0].strip()
        if requirement:
            required.append(requirement)
    return required, absent


def install_step() -> list[str]:
    """The setup cell's `%pip install` arguments, the GitHub address replaced by this checkout."""
    sys.path.insert(0, str(REPO))
    from gdcourse.about import REPO_URL

    notebook = json.loads((REPO / "notebooks" / "00_welcome.ipynb").read_text("utf-8"))
    setup = next(c for c in notebook["cells"] if c["cell_type"] == "code")
    line = next(x for x in "".join(setup["source"]).splitlines() if "%pip install" in x)
    args = shlex.split(line.split("%pip install", 1)[1])
    spec = f"gdcourse @ git+{REPO_URL}"
    if spec not in args:
        raise SystemExit(f"the setup cell does not install {spec!r}: {line.strip()}")
    return [f"gdcourse @ {REPO.as_uri()}" if a == spec else a for a in args]


def compare(before: dict[str, str], after: dict[str, str], allowed: set[str]) -> list[str]:
    """What the course install changed that it must not: a version moved or a package gone
    (anything already installed), or an unexpected package added."""
    problems = []
    for name, version in sorted(before.items()):
        if name not in after:
            problems.append(f"removed {name} {version}")
        elif after[name] != version:
            problems.append(f"changed {name} {version} -> {after[name]}")
    for name in sorted(set(after) - set(before) - allowed - {"gdcourse"}):
        problems.append(
            f"added {name} {after[name]}: if Colab has it, pin Colab's version in "
            f"{PINS.name}; if not, list it there as not on Colab"
        )
    return problems


def main() -> int:
    started = time.monotonic()
    stages: list[tuple[str, float]] = []

    def stage(name: str, since: float) -> float:
        now = time.monotonic()
        stages.append((name, now - since))
        print(f"-- {name}: {now - since:.0f} s", flush=True)
        return now

    python = os.environ.get("COLAB_CHECK_PYTHON") or sys.executable
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    # a fresh Colab session: an empty data cache (filled from the mirror) and progress record
    env["GDCOURSE_DATA"] = str(REPO / "build" / "colab-data")
    env["GDCOURSE_PROGRESS_DIR"] = str(REPO / "build" / "colab-progress")
    for folder in (env["GDCOURSE_DATA"], env["GDCOURSE_PROGRESS_DIR"]):
        shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(VENV, ignore_errors=True)
    shutil.rmtree(OUTPUT, ignore_errors=True)
    subprocess.run([python, "-m", "venv", str(VENV)], check=True)
    vpy = VENV / "bin" / "python"
    required, absent = pins()
    installer = [r for r in required if _norm(r.split("==")[0]) in ("pip", "setuptools", "wheel")]
    pip = [str(vpy), "-m", "pip", "install", "-q"]
    if (
        _run([*pip, *installer], env=env).returncode
        or _run([*pip, "--no-deps", "-r", str(PINS)], env=env).returncode
    ):
        print("FAILED: Colab's pinned versions do not install", file=sys.stderr)
        return 1
    t = stage("Colab's pinned stack installed", started)

    before = _freeze(vpy)
    missing = [r for r in required if _norm(r.split("==")[0]) not in before]
    step = install_step()
    print("the notebooks' install step, from this checkout: pip install " + " ".join(step))
    if _run([str(vpy), "-m", "pip", "install", *step], env=env, cwd=REPO / "build").returncode:
        print("FAILED: the course does not install on Colab's stack", file=sys.stderr)
        return 1
    changed = compare(before, _freeze(vpy), absent) + [f"pin not installed: {m}" for m in missing]
    t = stage("course installed (pip freeze compared)", t)
    for line in changed:
        print(f"  {line}", file=sys.stderr)
    if changed:
        print("FAILED: installing the course changed Colab's packages", file=sys.stderr)

    (REPO / "build" / "last-run.json").unlink(missing_ok=True)  # only this run's may count
    run = _run(
        [str(vpy), "-m", "gdcourse", "run", "--output", str(OUTPUT), "--quiet"], env=env, cwd=REPO
    )
    t = stage("every notebook executed", t)
    record = subprocess.run(
        [
            str(vpy), "-m", "gdcourse.commands.verified", "record", "--stack", "colab",
            "--run", str(REPO / "build" / "last-run.json"), "--pins", str(PINS),
            "--record", str(REPO / "gdcourse" / "commands" / "verified_stacks.json"),
            "--readme", str(REPO / "README.md"),
        ],
        env=env, cwd=REPO,
    )  # fmt: skip
    stage("record written", t)
    total = time.monotonic() - started
    print("Colab-stack check: " + ", ".join(f"{n} {s:.0f} s" for n, s in stages))
    print(f"Colab-stack check took {total:.0f} s in all")
    ok = not changed and run.returncode == 0 and record.returncode == 0
    print("Colab-stack check " + ("passed" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
