"""How long does a 1,000-step path take, through ``gdcourse.paths.run`` and through Keras?

Prints a table, optimizer x surface -> median milliseconds of CPU time over repeats (CPU
time of this thread, so other programs on a shared machine inflate it less than wall time),
then, for each optimizer, the same path on Rosenbrock through ``keras.optimizers`` (a
float64 ``keras.Variable`` and ``apply_gradients``, once) and the ratio Keras / ours. The
target is under 10 ms per 1,000-step 2-D path, so widgets can redraw paths as a slider
moves. A benchmark, not a test: it asserts nothing.

The optimizers are the entries of ``gdcourse.optim.REGISTRY`` (each at its ``bench_lr``, small
enough that no run stops early), plus Adam with clipping. ``--numpy-path`` times the same
paths with the stepper's Python-float path for tiny vectors turned off (NumPy only), to show
what that path buys.

    .venv/bin/python benchmarks/bench_paths.py [--steps 1000] [--repeats 15] [--no-keras]
                                               [--numpy-path]
"""

from __future__ import annotations

import argparse
import functools
import platform
import statistics
import time

import numpy as np

import gdcourse.optim._base as optim_base
from gdcourse import optim
from gdcourse.paths import run
from gdcourse.surfaces import get_surface

SURFACES = ["quadratic", "rosenbrock", "beale", "himmelblau", "saddle", "plateau", "parabola"]
OPTIMIZERS = {e.name: functools.partial(e.build, e.bench_lr) for e in optim.REGISTRY}
OPTIMIZERS["Adam + clipnorm"] = lambda: optim.Adam(1e-3, clipnorm=1.0)
TARGET_MS = 10.0
KERAS_SURFACE = "rosenbrock"


def time_path(surface_name: str, make, steps: int, repeats: int) -> tuple[float, bool]:
    """Median CPU milliseconds of ``run`` and whether the path took every step."""
    surface, opt = get_surface(surface_name), make()
    run(surface, opt, surface.start, steps)  # warm up
    times = []
    for _ in range(repeats):
        t0 = time.thread_time()
        path = run(surface, opt, surface.start, steps)
        times.append(time.thread_time() - t0)
    return 1e3 * statistics.median(times), path.steps_taken == steps


def keras_path(surface_name: str, make, steps: int) -> tuple[float, float]:
    """CPU milliseconds of the same path through Keras, and its largest distance from ours.

    Keras keeps the learning rate in float32, so ours gets the float32-rounded rate too.
    """
    from gdcourse._quiet import import_tensorflow_quietly

    import_tensorflow_quietly()  # TensorFlow's start-up log lines stay out of the table
    import keras

    surface, made = get_surface(surface_name), make()
    config = made.get_config()
    config["learning_rate"] = float(np.float32(config["learning_rate"]))
    ours = type(made)(**config)
    theirs = ours.to_keras()
    x = keras.Variable(surface.start, dtype="float64")
    points = np.empty((steps + 1, surface.dim))
    points[0] = surface.start
    t0 = time.thread_time()
    for k in range(1, steps + 1):
        g = keras.ops.convert_to_tensor(surface.gradient(points[k - 1]))
        theirs.apply_gradients([(g, x)])
        points[k] = keras.ops.convert_to_numpy(x)
    ms = 1e3 * (time.thread_time() - t0)
    path = run(surface, ours, surface.start, steps, max_value=np.inf)
    return ms, float(np.abs(path.points - points[: len(path.points)]).max())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--no-keras", action="store_true", help="skip the Keras comparison")
    parser.add_argument(
        "--numpy-path", action="store_true", help="turn the Python-float path off: NumPy only"
    )
    args = parser.parse_args()
    if args.numpy_path:
        optim_base.FLOAT_PATH_MAX_SIZE = 0

    print(
        f"run() on {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    path_kind = "NumPy only (--numpy-path)" if args.numpy_path else "Python floats for <= 2-D"
    print(
        f"median CPU ms for {args.steps} steps over {args.repeats} repeats; "
        f"target < {TARGET_MS:g} ms; stepper: {path_kind}"
    )
    print("(* = the run stopped early, so it is not a full path)\n")
    width = max(len(n) for n in OPTIMIZERS)
    print(" " * width + "".join(f"{s:>12}" for s in SURFACES))
    worst, ours_on_keras_surface = 0.0, {}
    for name, make in OPTIMIZERS.items():
        cells = []
        for surface_name in SURFACES:
            ms, full = time_path(surface_name, make, args.steps, args.repeats)
            worst = max(worst, ms)
            if surface_name == KERAS_SURFACE:
                ours_on_keras_surface[name] = ms
            cells.append(f"{ms:>11.2f}{' ' if full else '*'}")
        print(f"{name:<{width}}" + "".join(cells))
    verdict = "meets" if worst < TARGET_MS else "MISSES"
    print(f"\nslowest: {worst:.2f} ms, {verdict} the {TARGET_MS:g} ms target")
    if args.no_keras:
        return

    print(f"\nthe same {args.steps}-step path on {KERAS_SURFACE} through keras.optimizers (once)")
    print(f"{'':<{width}}{'Keras ms':>12}{'ours ms':>12}{'Keras/ours':>12}{'max |diff|':>12}")
    for name, make in OPTIMIZERS.items():
        keras_ms, diff = keras_path(KERAS_SURFACE, make, args.steps)
        ours = ours_on_keras_surface[name]
        ratio = keras_ms / ours
        print(f"{name:<{width}}{keras_ms:>12.1f}{ours:>12.2f}{ratio:>11.0f}x{diff:>12.1e}")


if __name__ == "__main__":
    main()
