"""`python -m gdcourse report`: a problem report to paste into an issue.

It prints, as Markdown: the versions of the stack (those of the record of verified stacks,
:mod:`gdcourse.commands.verified`) and how they compare with it, the platform, CPU or GPU, where the
course runs, where each dataset would come from (read-only, :func:`gdcourse.data.where_from`),
and the last failed ``python -m gdcourse run``: the notebook, the cell as Jupyter numbers it
and the error, read from ``build/last-failure.json`` (written by :mod:`gdcourse.commands.runner`).

Privacy: home folders are written as ``~``; no user or host name, environment variable or
file content is included, and the report says so.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from pathlib import Path
from typing import Any

from gdcourse.about import REPO_URL, __version__
from gdcourse.commands.doctor import device_summary, short_location, stack_warnings, where_running
from gdcourse.commands.runner import home_as_tilde, notebooks_dir, run_record_dir
from gdcourse.commands.verified import (
    DRIFT_PACKAGES,
    current_versions,
    load,
    major_minor,
    verified_stacks,
)

PRIVACY = (
    "Home folders are shown as `~`; nothing else personal is included (no user or host "
    "name, no environment variables, no file contents). Read it before you paste it."
)


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("results"), list) else None


def cell_words(failure: dict[str, Any]) -> str:
    """A failed cell as Jupyter numbers it: its execution count ``In [N]`` (what JupyterLab
    shows beside it after *Run All*: the N-th code cell) and its position among all cells."""
    count, index = failure.get("execution_count"), failure.get("cell_index")
    if count is None:
        return "none (the kernel failed outside any cell)"
    words = f"In [{count}] (the execution count JupyterLab shows after Run All: code cell {count})"
    if index is not None:
        words += f"; cell {index + 1} counting every cell from 1, Markdown included"
    return words


def error_words(result: dict[str, Any]) -> str:
    failure = result.get("failure") or {}
    if failure.get("ename"):
        return f"{failure['ename']}: {failure.get('evalue', '')}"
    return str(result.get("error"))


def failure_section(build: Path) -> list[str]:
    """The last failed run, from ``build/last-failure.json``, and whether a later run passed."""
    failed = _read(build / "last-failure.json")
    if failed is None:
        return ["No failed `python -m gdcourse run` is recorded here."]
    lines = [f"Recorded by `python -m gdcourse run` at {failed.get('finished_at', '?')}."]
    latest = _read(build / "last-run.json") or {}
    passed_later = {
        r["notebook"]
        for r in latest.get("results", [])
        if r.get("ok") and latest.get("finished_at", "") > failed.get("finished_at", "")
    }
    for result in failed["results"]:
        if result.get("ok"):
            continue
        failure = result.get("failure") or {}
        lines += [
            "",
            f"- Notebook: `{result['notebook']}`",
            f"- Cell: {cell_words(failure)}",
            f"- Error: {home_as_tilde(error_words(result))}",
        ]
        if failure.get("traceback"):
            lines += ["- Traceback (last lines):", "", "```", failure["traceback"], "```"]
        if result["notebook"] in passed_later:
            lines.append(f"- A later run ({latest['finished_at']}) of this notebook succeeded.")
    return lines


def stack_words(versions: dict[str, str | None], where: str) -> str:
    """How TensorFlow, Keras and NumPy compare with the record of verified stacks."""
    try:
        stacks = verified_stacks(load())
    except ValueError as error:
        return str(error)
    if not stacks:
        return "no verified stack is recorded"
    warned = stack_warnings(versions, where)
    if warned:
        return warned[0]
    same = [
        name
        for name, stack in stacks.items()
        if all(
            major_minor(stack["versions"].get(p)) == major_minor(versions.get(p))
            for p in DRIFT_PACKAGES
        )
    ]
    return (
        f"{', '.join(DRIFT_PACKAGES)} as in the verified stack {', '.join(same)}"
        if same
        else f"each of {', '.join(DRIFT_PACKAGES)} is a verified major.minor"
    )


def gpu_details() -> list[str]:
    """Each GPU TensorFlow sees, by name, and the CUDA and cuDNN it was built with (empty on
    a CPU)."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return []
    names = [
        tf.config.experimental.get_device_details(gpu).get("device_name", gpu.name) for gpu in gpus
    ]
    build = tf.sysconfig.get_build_info()
    cuda = f"CUDA {build.get('cuda_version', '?')}, cuDNN {build.get('cudnn_version', '?')}"
    return [f"{', '.join(names)} ({cuda})"]


def make_report(*, check_device: bool = True, build: Path | None = None) -> str:
    """The report as Markdown."""
    build = build or run_record_dir(notebooks_dir())
    versions = current_versions()
    where = where_running()
    lines = [
        "## gdcourse problem report",
        "",
        f"_{PRIVACY}_",
        "",
        "### Stack",
        "",
        f"- gdcourse {__version__}",
        f"- Python {versions['Python']} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.release()} {platform.machine()}",
        f"- Running on: {where}",
    ]
    if check_device:
        try:
            lines.append(f"- Device: {device_summary()}")
            lines += [f"- GPU: {line}" for line in gpu_details()]
        except Exception as error:  # a broken TensorFlow is worth reporting, not a crash
            lines.append(f"- Device: TensorFlow failed to start ({type(error).__name__})")
    else:
        lines.append("- Device: not checked (--no-device)")
    lines.append(
        "- " + ", ".join(f"{k} {v or 'missing'}" for k, v in versions.items() if k != "Python")
    )
    lines.append(f"- Against the verified stacks: {stack_words(versions, where)}")
    lines += ["", "### Datasets (where each would come from)", ""]
    from gdcourse.data import where_from

    for item in where_from():
        location = item.location if item.source == "network" else short_location(item.location)
        lines.append(f"- {item.dataset}: {item.source}, {home_as_tilde(location)}")
    lines += ["", "### Last failed run", ""] + failure_section(build)
    return "\n".join(lines) + "\n"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``python -m gdcourse report``."""
    parser.add_argument("--no-device", action="store_true", help="skip starting TensorFlow")
    parser.add_argument(
        "--build", default=None, help="folder of the run records (default: the course's build/)"
    )


def command(args: argparse.Namespace) -> int:
    """Print the report (always 0: a report is made even when things are broken)."""
    build = Path(args.build) if args.build else None
    print(make_report(check_device=not args.no_device, build=build), end="")
    print(f"Paste it into a new issue: {REPO_URL}/issues/new/choose", file=sys.stderr)
    return 0
