"""Run data-parallel training on one machine: logical CPU devices and a local worker cluster.

Synchronous data parallelism splits each global batch of ``B`` examples into ``R`` shards of
``B / R``, one per replica. Replica ``r`` computes the gradient of its shard's share of the
loss, an *all-reduce* adds the replicas' gradients, and every replica applies the same update:

    g = sum_r  (1 / B) * sum_{i in shard r} grad l_i(w)  =  (1 / B) * sum_{i=1..B} grad l_i(w)

which is exactly the mini-batch gradient of the global batch, so ``w <- w - lr * g`` is
mini-batch gradient descent with batch ``B`` (``tf.nn.compute_average_loss`` divides by the
*global* ``B``, which is what makes the sum come out right).

Two ways to get several replicas without a cluster:

- :func:`logical_devices` splits the CPU into ``n`` logical devices in this process, for
  ``tf.distribute.MirroredStrategy`` (one process, several devices).
- :func:`local_cluster` starts ``n`` worker *processes* on this machine, each with its own
  ``TF_CONFIG`` on free loopback ports, for ``tf.distribute.MultiWorkerMirroredStrategy``
  (several processes that talk over the network, as on a real cluster).

    >>> cpus = logical_devices(2)      # before TensorFlow runs any op  # doctest: +SKIP
    >>> results = local_cluster(2, train_one_worker, kwargs={"steps": 10})  # doctest: +SKIP

(Skipped as doctests: the first needs a process where TensorFlow has not started, the second
worker processes; ``tests/test_distributed.py`` runs both.)
"""

from __future__ import annotations

import inspect
import json
import os
import pickle
import queue
import re
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gdcourse._files import write_atomically
from gdcourse._quiet import NOISE, QUIET_TF_ENV, filtered_stderr, quiet_environment
from gdcourse._validate import check_int, check_picklable, check_positive

#: Lines of each worker's output kept for error messages.
TAIL_LINES = 15

#: Added to every worker's environment. Under TF 2.20 (Colab's stack) each worker's gRPC server
#: logged an INFO line at start-up ("I0000 ... grpc_server_lib.cc:...] Started server with
#: target: grpc://...") that ``TF_CPP_MIN_LOG_LEVEL`` did not stop (absl writes the lines it
#: gets before ``absl::InitializeLog`` straight to stderr); ``GRPC_VERBOSITY=ERROR`` quiets
#: gRPC's own logging at the source.
WORKER_QUIET_ENV = {"GRPC_VERBOSITY": "ERROR"}

#: An INFO line of TensorFlow's or gRPC's C++ runtime in absl's format
#: (``I1204 19:30:01.123456   4242 grpc_server_lib.cc:467] ...``): what still comes is
#: start-up chatter, left out of the streamed output like :data:`NOISE` (warnings ``W`` and
#: errors ``E`` are kept).
RUNTIME_INFO = re.compile(r"^I\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+\s+\S+:\d+\]")


def _is_noise(line: str) -> bool:
    """Whether a worker's output line is start-up chatter (:data:`NOISE`, :data:`RUNTIME_INFO`)."""
    return bool(NOISE.search(line) or RUNTIME_INFO.search(line))


#: Most workers :func:`local_cluster` starts: each is a TensorFlow process (a few hundred MB),
#: so a machine that could run more is not a laptop or a classroom computer.
MAX_WORKERS = 32

#: Open files each worker costs this process at its start (a pipe, a socket, spare), and how
#: many are left for everything else: :func:`max_workers` keeps within the system's limit.
FILES_PER_WORKER = 4
FILES_RESERVED = 64

#: What a worker prints when its port was taken between our check and its start.
PORT_IN_USE = ("address already in use", "failed to add port", "could not start grpc server")


# ------------------------------------------------------------------------ logical devices
def logical_devices(n: int) -> list[Any]:
    """Split the first physical CPU into ``n`` logical CPU devices and return them.

    ``tf.distribute.MirroredStrategy(devices)`` then runs one replica per logical device,
    which is how data parallelism over ``n`` devices can be tried on a laptop. TensorFlow
    fixes its device list when it runs its first operation, so call this before anything
    does (in a notebook: in the setup cell, before ``gdcourse.setup()``, which runs one).
    Calling it again with the same ``n`` returns the same devices.

    Raises:
        ValueError / TypeError: ``n`` is not an integer >= 1.
        RuntimeError: TensorFlow's devices are already initialised with another count; the
            message says to restart the kernel (the only way to change them).
    """
    n = check_int("n", n, minimum=1)
    quiet_environment()  # this may be TensorFlow's first import (it must precede setup())
    with filtered_stderr():  # TensorFlow's import prints CUDA-stub lines on CPU-only machines
        import tensorflow as tf

        physical = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(
            physical, [tf.config.LogicalDeviceConfiguration() for _ in range(n)]
        )
    except RuntimeError:
        existing = tf.config.list_logical_devices("CPU")
        if len(existing) == n:
            return existing
        raise RuntimeError(
            f"`logical_devices(n={n})`: TensorFlow has already initialised its devices "
            f"({len(existing)} logical CPU device(s)) and cannot split the CPU any more. "
            "Restart the kernel (Kernel > Restart), then call logical_devices(n) before "
            "anything runs a TensorFlow operation: before gdcourse.setup(), before building "
            "a model."
        ) from None
    return tf.config.list_logical_devices("CPU")


# ---------------------------------------------------------------------------- the cluster
class WorkerError(RuntimeError):
    """A worker of :func:`local_cluster` failed; ``worker`` is its index (0 = the chief)."""

    def __init__(self, message: str, worker: int, last_output: Sequence[str]) -> None:
        super().__init__(message)
        self.worker = worker
        self.last_output = list(last_output)


class ClusterTimeout(WorkerError, TimeoutError):
    """:func:`local_cluster` ran out of time; ``worker`` is the first one still running."""


def tf_config(ports: Sequence[int], index: int, host: str = "127.0.0.1") -> dict[str, Any]:
    """The ``TF_CONFIG`` of worker ``index`` in a cluster of workers at ``host:port``.

    Every worker gets the same ``cluster`` (the address of every worker, in order) and its
    own ``task``; worker 0 is the chief, which by convention writes logs and checkpoints.
    """
    if not 0 <= index < len(ports):
        raise ValueError(f"`index` must be in [0, {len(ports)}). Received: index={index!r}")
    return {
        "cluster": {"worker": [f"{host}:{port}" for port in ports]},
        "task": {"type": "worker", "index": index},
    }


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a TCP server could bind ``host:port`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_ports(n: int, host: str = "127.0.0.1") -> list[int]:
    """``n`` distinct TCP ports on ``host`` that are free now (the OS picks them).

    The sockets are held open together while the ports are chosen, so the ports differ;
    they are closed before returning, so another program *could* take one before a worker
    binds it: :func:`local_cluster` detects that and retries with new ports.
    """
    n = check_int("n", n, minimum=1)
    sockets = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind((host, 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def max_workers() -> tuple[int, str]:
    """The most workers :func:`local_cluster` accepts here, and why: :data:`MAX_WORKERS`, or
    fewer when this process may not open enough files for them (``ulimit -n``)."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
        unlimited = soft == resource.RLIM_INFINITY
    except (ImportError, OSError, ValueError):  # pragma: no cover - Windows
        soft, unlimited = -1, True
    if not unlimited and soft >= 0:
        by_files = max(1, (soft - FILES_RESERVED) // FILES_PER_WORKER)
        if by_files < MAX_WORKERS:
            return by_files, (
                f"this process may open only {soft} files (ulimit -n), and each worker needs "
                f"{FILES_PER_WORKER}"
            )
    return MAX_WORKERS, "each worker is a TensorFlow process of a few hundred MB"


def _check_env(env: Any) -> dict[str, str]:
    """``env`` as a dict of environment variables: names and values strings, no ``=`` in a
    name, no NUL character anywhere (what the operating system can take)."""
    if env is None:
        return {}
    if not isinstance(env, Mapping):
        raise TypeError(
            "`env` must be a dict of environment variables, name -> value (both strings). "
            f"Received: env={env!r}"
        )
    out = {}
    for name, value in env.items():
        if not isinstance(name, str):
            raise TypeError(
                f"`env` names must be strings. Received: the name {name!r} ({type(name).__name__})"
            )
        if not name or "=" in name or "\0" in name:
            raise ValueError(
                f"`env` name {name!r} cannot be an environment variable: it must be non-empty, "
                "without '=' or a null character"
            )
        if not isinstance(value, str):
            raise TypeError(
                f"`env` values must be strings (the environment holds only text). Received: "
                f"env[{name!r}]={value!r} ({type(value).__name__}); pass str({value!r})"
            )
        if "\0" in value:
            raise ValueError(
                f"`env[{name!r}]` must not contain a null character. Received: {value!r}"
            )
        out[name] = value
    return out


def _choose_ports(n: int, attempts: int = 20) -> list[int]:
    """``n`` distinct free ports, checked once more just before the workers start."""
    for _ in range(attempts):
        ports = free_ports(n)
        if len(set(ports)) == n and all(port_is_free(p) for p in ports):
            return ports
    raise RuntimeError(f"found no {n} free TCP ports on 127.0.0.1 in {attempts} attempts")


@dataclass(frozen=True)
class _Job:
    """What every worker runs: a callable (by reference or source), a script or code."""

    kind: str  # "reference", "source", "script" or "code"
    payload: tuple[str, ...]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


def _job_for(target: Any, args: Sequence[Any], kwargs: Mapping[str, Any]) -> _Job:
    if callable(target):
        module, qualname = getattr(target, "__module__", None), getattr(target, "__qualname__", "")
        if module and module != "__main__" and "<" not in qualname:
            return _Job("reference", (module, qualname), tuple(args), dict(kwargs))
        try:
            source = textwrap.dedent(inspect.getsource(target))
        except (OSError, TypeError):
            raise TypeError(
                "`script_or_function` must be importable or have its source available (a "
                f"function defined with `def`, not a lambda). Received: {target!r}"
            ) from None
        if "<" in qualname or source.lstrip().startswith("lambda") or "lambda" in qualname:
            raise TypeError(
                "`script_or_function` must be defined with `def` at the top level of a module "
                f"or notebook cell. Received: {target!r}"
            )
        return _Job("source", (source, target.__name__), tuple(args), dict(kwargs))
    if isinstance(target, Path) or (
        isinstance(target, str) and target.endswith(".py") and "\n" not in target
    ):
        path = Path(target)
        if not path.is_file():
            raise ValueError(f"`script_or_function` names no file. Received: {str(target)!r}")
        return _Job("script", (str(path.resolve()),), tuple(args), dict(kwargs))
    if isinstance(target, str) and target.strip():
        return _Job("code", (textwrap.dedent(target),), tuple(args), dict(kwargs))
    raise TypeError(
        "`script_or_function` must be a function, a path to a .py file or Python source "
        f"text. Received: {target!r}"
    )


#: The program each worker process runs: ``python -c BOOTSTRAP job.pkl result.pkl``.
#: A script or code sees ``ARGS`` and ``KWARGS`` and reports its result in ``result``.
BOOTSTRAP = """
import importlib, logging, os, pickle, runpy, sys, warnings
warnings.filterwarnings("ignore")
for name in ("tensorflow", "absl", "h5py"):
    logging.getLogger(name).setLevel(logging.ERROR)
with open(sys.argv[1], "rb") as handle:
    job = pickle.load(handle)
if job.kind == "reference":
    target = importlib.import_module(job.payload[0])
    for part in job.payload[1].split("."):
        target = getattr(target, part)
    result = target(*job.args, **job.kwargs)
elif job.kind == "source":
    namespace = {"__name__": "__worker__"}
    exec(compile(job.payload[0], "<worker function>", "exec"), namespace)
    result = namespace[job.payload[1]](*job.args, **job.kwargs)
else:
    init = {"ARGS": job.args, "KWARGS": job.kwargs}
    if job.kind == "script":
        namespace = runpy.run_path(job.payload[0], init_globals=init, run_name="__main__")
    else:
        namespace = dict(init, __name__="__main__")
        exec(compile(job.payload[0], "<worker code>", "exec"), namespace)
    result = namespace.get("result")
tmp = sys.argv[2] + ".tmp"
with open(tmp, "wb") as handle:
    pickle.dump(result, handle)
os.replace(tmp, sys.argv[2])
"""


def _read_lines(index: int, stream: Any, sink: queue.Queue) -> None:
    for raw in iter(stream.readline, b""):
        sink.put((index, raw.decode("utf-8", errors="replace").rstrip("\n")))
    stream.close()


def _stop(processes: Sequence[subprocess.Popen], grace: float = 3.0) -> None:
    """Terminate every worker and its children (one process group each), then reap them."""
    for process in processes:
        if process.poll() is None:
            _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
            process.wait()
    for process in processes:  # grandchildren left in a group whose leader already exited
        _signal_group(process, signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, sig)
        else:  # pragma: no cover - Windows
            process.terminate()
    except (ProcessLookupError, PermissionError):
        pass


def _tail(lines: deque) -> str:
    shown = [line for line in lines if not _is_noise(line)] or list(lines)
    return "\n".join(f"    {line}" for line in shown) if shown else "    (no output)"


def _run_once(
    n_workers: int,
    job_path: Path,
    workdir: Path,
    ports: list[int],
    timeout: float,
    stream: bool | Callable[[str], None],
    env: Mapping[str, str],
    stated_timeout: float,
) -> list[Any]:
    sink: queue.Queue = queue.Queue()
    tails: list[deque[str]] = [deque(maxlen=TAIL_LINES) for _ in range(n_workers)]
    processes: list[subprocess.Popen] = []
    readers: list[threading.Thread] = []
    results = [workdir / f"result_{i}.pkl" for i in range(n_workers)]
    start = time.monotonic()

    def emit(index: int, line: str) -> None:
        tails[index].append(line)
        if _is_noise(line) or not stream:
            return
        text = f"[worker {index}] {line}"
        if callable(stream):
            stream(text)
        else:
            print(text, flush=True)

    def drain(wait: float) -> None:
        try:
            emit(*sink.get(timeout=wait))
            while True:
                emit(*sink.get_nowait())
        except queue.Empty:
            pass

    try:
        for index in range(n_workers):
            worker_env = dict(os.environ)
            worker_env.update(QUIET_TF_ENV)
            worker_env.update(WORKER_QUIET_ENV)
            worker_env.update(env)
            worker_env["TF_CONFIG"] = json.dumps(tf_config(ports, index))
            worker_env["PYTHONUNBUFFERED"] = "1"
            # the caller's import path, so a function is importable in the worker as here
            worker_env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
            process = subprocess.Popen(
                [sys.executable, "-c", BOOTSTRAP, str(job_path), str(results[index])],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=worker_env,
                start_new_session=True,  # its own process group: we can stop its children too
            )
            processes.append(process)
            reader = threading.Thread(
                target=_read_lines, args=(index, process.stdout, sink), daemon=True
            )
            reader.start()
            readers.append(reader)
        while True:
            drain(0.05)
            codes = [p.poll() for p in processes]
            failed = next((i for i, c in enumerate(codes) if c not in (None, 0)), None)
            if failed is not None:
                readers[failed].join(timeout=1.0)  # its last lines
                drain(0.0)
                elapsed = time.monotonic() - start
                raise WorkerError(
                    f"worker {failed} of {n_workers} exited with code {codes[failed]} after "
                    f"{elapsed:.1f} s; the others were stopped. Its last output:\n"
                    + _tail(tails[failed]),
                    failed,
                    tails[failed],
                )
            if all(c == 0 for c in codes):
                break
            if time.monotonic() - start > timeout:
                drain(0.0)
                running = [i for i, c in enumerate(codes) if c is None]
                names = ", ".join(f"worker {i}" for i in running)
                raise ClusterTimeout(
                    f"the cluster did not finish within timeout={stated_timeout:g} s: "
                    f"{names} still running, now stopped. Last output of worker {running[0]}:\n"
                    + _tail(tails[running[0]]),
                    running[0],
                    tails[running[0]],
                )
        for reader in readers:
            reader.join(timeout=5.0)
        drain(0.0)
        out = []
        for index, path in enumerate(results):
            if not path.is_file():
                raise WorkerError(
                    f"worker {index} exited without reporting a result. Its last output:\n"
                    + _tail(tails[index]),
                    index,
                    tails[index],
                )
            out.append(pickle.loads(path.read_bytes()))
        return out
    finally:
        _stop(processes)


def local_cluster(
    n_workers: int,
    script_or_function: Callable[..., Any] | str | Path,
    args: Sequence[Any] = (),
    kwargs: Mapping[str, Any] | None = None,
    *,
    timeout: float = 120.0,
    stream: bool | Callable[[str], None] = True,
    env: Mapping[str, str] | None = None,
    port_retries: int = 2,
) -> list[Any]:
    """Run ``script_or_function`` in ``n_workers`` processes that form one TensorFlow cluster.

    Worker ``i`` gets ``TF_CONFIG = {"cluster": {"worker": ["127.0.0.1:p0", ...]},
    "task": {"type": "worker", "index": i}}`` on free loopback ports, which is all
    ``tf.distribute.MultiWorkerMirroredStrategy()`` needs to find the others. Each worker's
    output (stdout and stderr) is printed as it comes, prefixed ``[worker i]``, minus
    TensorFlow's start-up noise.

    Args:
        n_workers: number of worker processes, in ``[1, MAX_WORKERS]`` (fewer when the
            open-file limit, ``ulimit -n``, cannot serve that many: see :func:`max_workers`).
        script_or_function: what each worker runs. A function is called as
            ``f(*args, **kwargs)`` and its return value (picklable) is the worker's result;
            one defined in a notebook is sent as source, so it must import what it uses.
            A path to a ``.py`` file or a string of Python code runs with ``ARGS`` and
            ``KWARGS`` defined; its variable ``result`` is the worker's result.
        args, kwargs: passed to every worker (pickled: one that cannot be is named in a
            ``TypeError`` before any worker starts). A worker tells itself apart by
            ``json.loads(os.environ["TF_CONFIG"])["task"]["index"]``.
        timeout: seconds for the whole run, start-up included (> 0). When a worker dies the
            run ends at once; when the time is up every worker is stopped.
        stream: print the workers' lines (``True``), print nothing (``False``), or a
            function that receives each prefixed line.
        env: extra environment variables for the workers, names and values strings.
        port_retries: how many times to start again on new ports when a worker reports its
            port already in use (another program took it after we chose it).

    Returns:
        The workers' results, worker 0 first.

    Raises:
        WorkerError: a worker exited with an error; the message names it and shows its last
            output lines, and every other worker has been stopped.
        ClusterTimeout: ``timeout`` passed; every worker has been stopped.

    Every worker runs in its own process group, and the group is terminated (then killed)
    on success, error, timeout or ``KeyboardInterrupt``, so no process outlives the call.
    """
    most, why = max_workers()
    n_workers = check_int("n_workers", n_workers, minimum=1, maximum=most, why=why)
    timeout = check_positive("timeout", timeout)
    port_retries = check_int("port_retries", port_retries, minimum=0)
    if not (isinstance(stream, bool) or callable(stream)):
        raise TypeError(f"`stream` must be a bool or a function. Received: stream={stream!r}")
    worker_env = _check_env(env)
    if isinstance(args, (str, bytes)) or not isinstance(args, Sequence):
        raise TypeError(f"`args` must be a tuple or list of arguments. Received: args={args!r}")
    if kwargs is not None and not isinstance(kwargs, Mapping):
        raise TypeError(f"`kwargs` must be a dict of keyword arguments. Received: {kwargs!r}")
    for i, arg in enumerate(args):
        check_picklable(f"args[{i}]", arg)
    for key, value in (kwargs or {}).items():
        check_picklable(f"kwargs[{key!r}]", value)
    job = _job_for(script_or_function, args, dict(kwargs or {}))
    check_picklable("script_or_function", job)
    deadline = time.monotonic() + timeout
    with tempfile.TemporaryDirectory(prefix="gdcourse-cluster-") as tmp:
        workdir = Path(tmp)
        job_path = workdir / "job.pkl"
        write_atomically(job_path, pickle.dumps(job))
        for attempt in range(port_retries + 1):
            ports = _choose_ports(n_workers)
            try:
                return _run_once(
                    n_workers,
                    job_path,
                    workdir,
                    ports,
                    max(0.1, deadline - time.monotonic()),
                    stream,
                    worker_env,
                    timeout,
                )
            except ClusterTimeout:
                raise
            except WorkerError as error:
                said = "\n".join(error.last_output).lower()
                if attempt == port_retries or not any(s in said for s in PORT_IN_USE):
                    raise
                for path in workdir.glob("result_*.pkl"):
                    path.unlink()
    raise AssertionError("unreachable")  # pragma: no cover
