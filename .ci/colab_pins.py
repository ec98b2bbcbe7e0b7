"""Write .ci/colab-pins.txt from one of Colab's published `pip freeze` files.

The pins are what `pip install gdcourse` resolves to, each at the version Colab ships: the
course's dependency closure, so that the Colab-stack check (.ci/colab-check) starts from the
packages Colab already has and nothing else. Run it when Colab moves:

    git -C backend-info show COMMIT:pip-freeze.txt > /tmp/freeze.txt
    python .ci/colab_pins.py /tmp/freeze.txt COMMIT DATE PYTHON > .ci/colab-pins.txt

(backend-info is Colab's repository of its runtime's package lists; DATE is the commit's date,
PYTHON the version in its os-info.txt.) It asks pip for a resolution without installing
anything (`pip install --dry-run --report`), constrained to the freeze's versions, and looks
each resolved package up in the freeze.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

#: The course's own requirements, as pyproject.toml lists them (names only).
REPO = Path(__file__).resolve().parents[1]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def main(freeze: str, commit: str, date: str, python: str) -> int:
    colab: dict[str, tuple[str, str]] = {}
    for line in Path(freeze).read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)$", line.strip())
        if match:
            colab[_norm(match[1])] = (match[1], match[2])
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        constraints = Path(tmp) / "colab.txt"  # resolve as Colab would: at its versions
        constraints.write_text("".join(f"{n}=={v}\n" for n, v in colab.values()), "utf-8")
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--dry-run", "--ignore-installed",
             "-c", str(constraints), "--report", str(report), str(REPO)],
            check=True,
        )  # fmt: skip
        resolved = json.loads(report.read_text(encoding="utf-8"))["install"]
    pins, absent = ["pip", "setuptools", "wheel"], []  # Colab's installer, for its behaviour
    for item in resolved:
        name = _norm(item["metadata"]["name"])
        if name in ("gdcourse", *pins):
            continue
        (pins if name in colab else absent).append(name)
    short = commit[:7]
    print("# Colab's runtime, pinned: every package `pip install gdcourse` resolves to, at the")
    print("# version Colab ships. Written by .ci/colab_pins.py; used by .ci/colab_check.py.")
    print("# Source of every pin (the comment on each line): Colab's published `pip freeze`,")
    print(f"#   https://github.com/googlecolab/backend-info/blob/{commit}/pip-freeze.txt")
    print(f"#   ({date}), whose os-info.txt at the same commit gives Colab's Python.")
    print("# Deviation: Colab's Python is 3.12 (below); CI's Debian 12 packages no python3.12, so")
    print("# the check runs on CI's Python 3.11 (COLAB_CHECK_PYTHON overrides); the record says")
    print("# which Python ran.")
    print(f"# colab-python: {python}")
    print(f"# colab-source: googlecolab/backend-info@{short} ({date})")
    for name in absent:
        print(f"# not on Colab (the course install may add it): {name}")
    for name in sorted(pins):
        spelled, version = colab[name]
        print(f"{spelled + '==' + version:<40} # freeze@{short}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
