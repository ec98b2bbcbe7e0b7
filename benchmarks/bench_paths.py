"""How long does ``gdcourse.surfaces.run`` take for a 1,000-step path?

Prints a table, optimizer x surface -> median milliseconds over repeats. The target is
under 10 ms per 1,000-step 2-D path, so widgets can redraw paths as a slider moves.
A benchmark, not a test: it asserts nothing.

    .venv/bin/python benchmarks/bench_paths.py [--steps 1000] [--repeats 15]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

from gdcourse import optim
from gdcourse.surfaces import get_surface, run

SURFACES = ["quadratic", "rosenbrock", "beale", "himmelblau", "saddle", "plateau", "parabola"]
OPTIMIZERS = {  # small learning rates, so that no run stops early
    "SGD": lambda: optim.SGD(1e-4),
    "SGD momentum": lambda: optim.SGD(1e-4, momentum=0.9),
    "SGD nesterov": lambda: optim.SGD(1e-4, momentum=0.9, nesterov=True),
    "RMSprop": lambda: optim.RMSprop(1e-3),
    "RMSprop centered": lambda: optim.RMSprop(1e-3, centered=True, momentum=0.5),
    "Adagrad": lambda: optim.Adagrad(1e-2),
    "Adam": lambda: optim.Adam(1e-3),
    "AMSGrad": lambda: optim.Adam(1e-3, amsgrad=True),
    "AdamW": lambda: optim.AdamW(1e-3),
    "Adam + clipnorm": lambda: optim.Adam(1e-3, clipnorm=1.0),
}
TARGET_MS = 10.0


def time_path(surface_name: str, make, steps: int, repeats: int) -> tuple[float, bool]:
    surface, opt = get_surface(surface_name), make()
    run(surface, opt, surface.start, steps)  # warm up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        path = run(surface, opt, surface.start, steps)
        times.append(time.perf_counter() - t0)
    return 1e3 * statistics.median(times), path.steps_taken == steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()

    print(
        f"run() on {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    print(
        f"median ms for {args.steps} steps over {args.repeats} repeats; target < {TARGET_MS:g} ms"
    )
    print("(* = the run stopped early, so it is not a full path)\n")
    width = max(len(n) for n in OPTIMIZERS)
    print(" " * width + "".join(f"{s:>12}" for s in SURFACES))
    worst = 0.0
    for name, make in OPTIMIZERS.items():
        cells = []
        for surface_name in SURFACES:
            ms, full = time_path(surface_name, make, args.steps, args.repeats)
            worst = max(worst, ms)
            cells.append(f"{ms:>11.2f}{' ' if full else '*'}")
        print(f"{name:<{width}}" + "".join(cells))
    verdict = "meets" if worst < TARGET_MS else "MISSES"
    print(f"\nslowest: {worst:.2f} ms, {verdict} the {TARGET_MS:g} ms target")


if __name__ == "__main__":
    main()
