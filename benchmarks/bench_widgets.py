"""Time the optimizer playground's redraw (compute paths + update artists + PNG).

    .venv/bin/python benchmarks/bench_widgets.py [--repeats 40]

The goal is < 100 ms per redraw on a 2-core machine, so sliding feels immediate. The time
covers the Python side only (what runs in the kernel); sending the PNG to the browser adds
a little on top.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402

from gdcourse import widgets as gw  # noqa: E402


def bench(name: str, explorer, control: str, values) -> np.ndarray:
    times = []
    for value in values:
        t0 = time.perf_counter()
        explorer.controls[control].value = value  # observe -> redraw()
        times.append((time.perf_counter() - t0) * 1e3)
    ms = np.array(times)
    print(
        f"{name:<42s} n={ms.size:3d}  median {np.median(ms):6.1f} ms  "
        f"p95 {np.percentile(ms, 95):6.1f} ms  max {ms.max():6.1f} ms  "
        f"png {len(explorer.image.value) / 1e3:.0f} KB"
    )
    return ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40)
    args = parser.parse_args()
    n = args.repeats
    rates = [float(v) for v in np.geomspace(1e-4, 2e-2, n)]

    pg = gw.optimizer_playground("rosenbrock", ("SGD", "Momentum", "Adam"), steps=200).explorer
    bench("playground: learning rate, 3 opt x 200 steps", pg, "learning_rate", rates)
    pg.controls["steps"].value = 1000
    bench("playground: learning rate, 3 opt x 1000 steps", pg, "learning_rate", rates[::-1])
    t0 = time.perf_counter()
    pg.controls["surface"].value = "himmelblau"
    label = "playground: change surface (re-draws contours)"
    print(f"{label:<42s} {1e3 * (time.perf_counter() - t0):.1f} ms")

    lr = gw.learning_rate_explorer().explorer
    bench("learning_rate_explorer: learning rate", lr, "learning_rate",
          [float(v) for v in np.geomspace(0.05, 2.5, n)])  # fmt: skip


if __name__ == "__main__":
    main()
