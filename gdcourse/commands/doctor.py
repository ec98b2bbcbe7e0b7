"""`python -m gdcourse doctor`: is this machine ready for the course?

It reports the versions the course depends on, the compute device, where it runs (Colab,
Binder or a local machine) and where each dataset would come from, and returns a list of
problems: empty means ready. A TensorFlow, Keras or NumPy whose major.minor no verified stack
has (``gdcourse/commands/verified_stacks.json``, see :mod:`gdcourse.commands.verified`) is a
*warning*, with the nearest verified stack and what to do where the learner runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from dataclasses import dataclass, field
from pathlib import Path

from gdcourse._files import checkout_root
from gdcourse.commands.verified import STACK_PACKAGES, drift, installed_version, load

#: (label, distribution, minimum version or None, needed by the course?)
REQUIREMENTS: tuple[tuple[str, str, str | None, bool], ...] = (
    ("TensorFlow", "tensorflow", "2.16", True),
    ("Keras", "keras", "3.0", True),
    ("NumPy", "numpy", None, True),
    ("pandas", "pandas", "2.0", True),
    ("scikit-learn", "scikit-learn", None, True),
    ("matplotlib", "matplotlib", None, True),
    ("ipywidgets", "ipywidgets", "7.7", True),
    ("yfinance", "yfinance", None, True),
    ("JupyterLab", "jupyterlab", "4.0", False),
)


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def _installed(distribution: str) -> str | None:
    return installed_version(distribution)


def where_running() -> str:
    """ "Colab", "Binder" or "local machine"."""
    if "google.colab" in sys.modules or os.environ.get("COLAB_RELEASE_TAG"):
        return "Colab"
    if os.environ.get("BINDER_SERVICE_HOST") or os.environ.get("BINDER_REPO_URL"):
        return "Binder"
    return "local machine"


def device_summary() -> str:
    """ "CPU (no GPU)" or the GPUs TensorFlow sees."""
    from gdcourse._quiet import import_tensorflow_quietly

    import_tensorflow_quietly()
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    return f"GPU x{len(gpus)}" if gpus else "CPU (no GPU)"


def short_location(path_text: str) -> str:
    """A location without machine-specific prefixes: $GDCOURSE_MIRROR/..., data/..., ~/..."""
    path = Path(path_text)
    mirror = os.environ.get("GDCOURSE_MIRROR", "").strip()
    candidates = []
    if mirror:
        candidates.append((Path(mirror).expanduser().resolve(), "$GDCOURSE_MIRROR"))
    root = checkout_root()
    if root is not None:
        candidates.append((root, "."))
    candidates.append((Path.home(), "~"))
    for base, label in candidates:
        try:
            return f"{label}/{path.relative_to(base).as_posix()}"
        except ValueError:
            continue
    return path_text


@dataclass
class Report:
    """What the doctor found."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # worth knowing, not blocking

    def __str__(self) -> str:
        warned = ["Warnings:"] + [f"  - {w}" for w in self.warnings] if self.warnings else []
        verdict = (
            ["All set."]
            if not self.problems
            else ["Problems:"] + [f"  - {p}" for p in self.problems]
        )
        return "\n".join(self.lines + warned + verdict)


def stack_warnings(versions: dict[str, str | None], where: str) -> list[str]:
    """The drift warning for ``versions`` (labels as in ``gdcourse.commands.verified``), if any."""
    try:
        found = drift(versions, load())
    except ValueError as error:  # a damaged record: say so, do not stop the doctor
        return [f"{error}; reinstall the course to restore it."]
    return [found.advice(where)] if found else []


def diagnose(check_device: bool = True) -> Report:
    """Collect the report; ``problems`` lists what must be fixed, each with how."""
    report = Report()
    add = report.lines.append
    add("gdcourse doctor")
    add(f"  {'Python':<13} {platform.python_version():<10} ok")
    labels = {dist: label for label, dist in STACK_PACKAGES}
    versions: dict[str, str | None] = {}
    for label, dist, minimum, needed in REQUIREMENTS:
        version = _installed(dist)
        if dist in labels:
            versions[labels[dist]] = version
        if version is None:
            add(f"  {label:<13} {'missing':<10} " + ("NEEDED" if needed else "optional"))
            if needed:
                report.problems.append(
                    f"{label} is missing: run `python -m pip install -e .` in the course folder."
                )
            continue
        if minimum and _version_tuple(version) < _version_tuple(minimum):
            add(f"  {label:<13} {version:<10} too old (need >= {minimum})")
            if needed:
                report.problems.append(
                    f"{label} {version} is older than {minimum}: "
                    f"run `python -m pip install -U {dist}`."
                )
            continue
        add(f"  {label:<13} {version:<10} ok" + ("" if needed else " (optional)"))
    if check_device and _installed("tensorflow"):
        try:
            add(f"  {'Device':<13} {device_summary()}")
        except Exception as error:  # a broken TensorFlow install is a problem, not a crash
            add(f"  {'Device':<13} TensorFlow failed to start")
            report.problems.append(
                f"TensorFlow does not import: {type(error).__name__}: {error}. Reinstall it: "
                "python -m pip install --force-reinstall tensorflow (on Colab: Runtime > "
                "Restart session)"
            )
    where = where_running()
    add(f"  {'Running on':<13} {where}")
    report.warnings += stack_warnings(versions, where)
    add("Datasets (where each would come from):")
    from gdcourse.data import setting_problems, where_from

    report.problems += setting_problems()
    for item in where_from():
        location = item.location if item.source == "network" else short_location(item.location)
        add(f"  {item.dataset:<34} {item.source:<8} {location}")
        for where, why in item.skipped:
            if why not in ("not there", "GDCOURSE_MIRROR is not set"):
                add(f"    (skipped {where.split()[0]}: {why})")
    return report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``python -m gdcourse doctor``."""
    parser.add_argument("--no-device", action="store_true", help="skip starting TensorFlow")


def command(args: argparse.Namespace) -> int:
    """Print the report; 0 when ready, 1 when something must be fixed."""
    report = diagnose(check_device=not args.no_device)
    print(report)
    return 1 if report.problems else 0
