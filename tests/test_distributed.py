"""gdcourse.distributed: data-parallel training equals single-device training, and the local
cluster always ends (worker failure, timeout, port collision) without leaving processes behind.

TensorFlow work runs in worker processes, so these tests never change the devices of the
pytest process itself."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psutil
import pytest

import gdcourse.distributed as dist
from gdcourse.distributed import ClusterTimeout, WorkerError, local_cluster, tf_config

# ------------------------------------------------------------------- functions the workers run
GLOBAL_BATCH, STEPS, LR = 64, 8, 0.05


def _data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(GLOBAL_BATCH * STEPS, 8)).astype("float32")
    y = (x @ rng.normal(size=(8, 1)) + 0.1 * rng.normal(size=(len(x), 1))).astype("float32")
    return x, y


def _model() -> object:
    import keras

    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)]
    )


def mirrored_vs_single() -> dict:
    """In a fresh process: 2 logical CPUs, fit with and without MirroredStrategy."""
    import keras
    import tensorflow as tf

    from gdcourse.distributed import logical_devices

    cpus = logical_devices(2)
    again = logical_devices(2)  # same count again: fine
    x, y = _data()
    single = _model()
    initial = single.get_weights()
    single.compile(keras.optimizers.SGD(LR), "mse")
    single.fit(x, y, batch_size=GLOBAL_BATCH, epochs=1, shuffle=False, verbose=0)
    strategy = tf.distribute.MirroredStrategy([d.name for d in cpus])
    with strategy.scope():
        mirrored = _model()
        mirrored.set_weights(initial)
        mirrored.compile(keras.optimizers.SGD(LR), "mse")
    mirrored.fit(x, y, batch_size=GLOBAL_BATCH, epochs=1, shuffle=False, verbose=0)
    try:
        logical_devices(3)
        error = ""
    except RuntimeError as exc:
        error = str(exc)
    return {
        "devices": len(cpus),
        "again": len(again),
        "replicas": strategy.num_replicas_in_sync,
        "single": single.get_weights(),
        "mirrored": mirrored.get_weights(),
        "error": error,
    }


def multi_worker() -> list[np.ndarray]:
    """One worker of a MultiWorkerMirroredStrategy cluster: a custom loop, STEPS steps."""
    import keras
    import tensorflow as tf

    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    x, y = _data()
    with strategy.scope():
        model = _model()
        optimizer = keras.optimizers.SGD(LR)
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    batches = tf.data.Dataset.from_tensor_slices((x, y)).batch(GLOBAL_BATCH).with_options(options)

    def step(xb: tf.Tensor, yb: tf.Tensor) -> tf.Tensor:
        with tf.GradientTape() as tape:
            per_example = tf.reduce_mean(tf.square(yb - model(xb, training=True)), axis=-1)
            loss = tf.nn.compute_average_loss(per_example, global_batch_size=GLOBAL_BATCH)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        return loss

    @tf.function
    def distributed_step(xb: tf.Tensor, yb: tf.Tensor) -> tf.Tensor:
        losses = strategy.run(step, args=(xb, yb))
        return strategy.reduce(tf.distribute.ReduceOp.SUM, losses, axis=None)

    for xb, yb in strategy.experimental_distribute_dataset(batches):
        distributed_step(xb, yb)
    return [np.asarray(w) for w in model.get_weights()]


def crash_or_hang(marker_dir: str) -> None:
    """Worker 1 fails at once; worker 0 starts a child process and waits forever."""
    index = json.loads(os.environ["TF_CONFIG"])["task"]["index"]
    if index == 1:
        print("worker 1 about to fail", flush=True)
        time.sleep(0.5)
        raise ValueError("boom: a deliberate failure")
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    Path(marker_dir, f"child_{index}").write_text(str(child.pid))
    print("worker 0 waiting for the others", flush=True)
    time.sleep(600)


def hang(marker_dir: str) -> None:
    index = json.loads(os.environ["TF_CONFIG"])["task"]["index"]
    Path(marker_dir, f"pid_{index}").write_text(str(os.getpid()))
    print(f"worker {index} is stuck", flush=True)
    time.sleep(120)


def my_port() -> int:
    config = json.loads(os.environ["TF_CONFIG"])
    return int(config["cluster"]["worker"][config["task"]["index"]].rsplit(":", 1)[1])


# ---------------------------------------------------------------------------------- helpers
def _max_gap(a: list, b: list) -> float:
    return max(float(np.abs(u - v).max()) for u, v in zip(a, b, strict=True))


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _children() -> set[int]:
    return {p.pid for p in psutil.Process().children(recursive=True) if _alive(p.pid)}


# -------------------------------------------------------------------------------- equality
@pytest.fixture(scope="module")
def mirrored() -> dict:
    (result,) = local_cluster(1, mirrored_vs_single, timeout=150, stream=False)
    return result


@pytest.mark.slow  # a local cluster of worker processes
def test_mirrored_strategy_fit_equals_one_device_with_the_global_batch(mirrored):
    result = mirrored
    assert result["devices"] == result["again"] == result["replicas"] == 2
    assert _max_gap(result["single"], result["mirrored"]) < 1e-6
    assert "restart the kernel" in result["error"].lower() and "n=3" in result["error"]


@pytest.mark.slow  # a local cluster of worker processes
def test_multi_worker_custom_loop_equals_one_device(mirrored):
    before = _children()
    workers = local_cluster(2, multi_worker, timeout=150, stream=False)
    assert _max_gap(workers[0], workers[1]) == 0.0  # every worker holds the same weights
    # the one-device fit of the same data, model and global batch, from the fixture's process
    assert _max_gap(workers[0], mirrored["single"]) < 1e-6
    assert _children() <= before


# ------------------------------------------------------------------------- failure, timeout
@pytest.mark.slow  # a local cluster of worker processes
def test_a_failing_worker_ends_the_run_names_it_and_leaves_no_process(tmp_path):
    before = _children()
    # worker 0 sleeps (600 s) past the timeout (120 s, only a guard against a hang): had the
    # run waited for it, it would end in ClusterTimeout; a WorkerError means the dead worker
    # ended it, however loaded the machine is
    with pytest.raises(WorkerError) as info:
        local_cluster(2, crash_or_hang, args=(str(tmp_path),), timeout=120, stream=False)
    assert not isinstance(info.value, ClusterTimeout)
    assert info.value.worker == 1
    message = str(info.value)
    assert "worker 1 of 2 exited with code 1" in message
    assert "boom: a deliberate failure" in message and "about to fail" in message
    grandchild = tmp_path / "child_0"
    if grandchild.exists():  # worker 0 had time to start its own child: it must be gone too
        assert not _alive(int(grandchild.read_text()))
    assert _children() <= before


@pytest.mark.slow  # a local cluster of worker processes
def test_a_hanging_cluster_stops_at_the_timeout(tmp_path):
    before = _children()
    start = time.monotonic()
    with pytest.raises(ClusterTimeout) as info:
        local_cluster(2, hang, args=(str(tmp_path),), timeout=3, stream=False)
    elapsed = time.monotonic() - start
    assert elapsed >= 3, elapsed  # it waited for the timeout (the workers would sleep 120 s)
    assert isinstance(info.value, TimeoutError) and info.value.worker == 0
    assert "timeout=3 s" in str(info.value) and "worker 0 is stuck" in str(info.value)
    for pid_file in tmp_path.glob("pid_*"):
        assert not _alive(int(pid_file.read_text()))
    assert _children() <= before


@pytest.mark.slow  # a local cluster of worker processes
def test_output_is_streamed_with_the_worker_prefix():
    lines: list[str] = []
    code = "import json, os\nresult = json.loads(os.environ['TF_CONFIG'])\nprint('hello')\n"
    configs = local_cluster(2, code, timeout=30, stream=lines.append)
    assert sorted(lines) == ["[worker 0] hello", "[worker 1] hello"]
    ports = [int(a.rsplit(":", 1)[1]) for a in configs[0]["cluster"]["worker"]]
    assert configs == [tf_config(ports, 0), tf_config(ports, 1)]
    assert all(a.startswith("127.0.0.1:") for a in configs[0]["cluster"]["worker"])


@pytest.mark.slow  # a local cluster of worker processes
def test_runtime_info_lines_stay_out_of_the_output_and_grpc_is_quieted():
    # what TF 2.20's workers printed at start-up: an absl INFO line from the gRPC server
    lines: list[str] = []
    code = (
        "import os, sys\n"
        "print('I1204 19:30:01.123456   4242 grpc_server_lib.cc:467] Started server with "
        "target: grpc://localhost:1234', file=sys.stderr, flush=True)\n"
        "print('W1204 19:30:01.123456   4242 some_file.cc:12] a warning', file=sys.stderr, "
        "flush=True)\n"
        "print('hello', flush=True)\n"
        "result = os.environ.get('GRPC_VERBOSITY')\n"
    )
    verbosity = local_cluster(2, code, timeout=30, stream=lines.append)
    assert verbosity == ["ERROR", "ERROR"]
    assert not [line for line in lines if "Started server" in line]
    assert sorted(line for line in lines if "hello" in line) == [
        "[worker 0] hello",
        "[worker 1] hello",
    ]
    assert len([line for line in lines if "a warning" in line]) == 2  # warnings are kept


@pytest.mark.slow  # a local cluster of worker processes
def test_a_script_file_reports_its_result(tmp_path):
    script = tmp_path / "job.py"
    script.write_text("result = sum(ARGS) * KWARGS['times']\n")
    assert local_cluster(2, script, args=(1, 2), kwargs={"times": 3}, stream=False) == [9, 9]


# --------------------------------------------------------------------------- port collision
@pytest.fixture
def busy_port(monkeypatch):
    """A loopback port held by a listening socket, offered first by ``dist.free_ports``.

    Yields ``(port, calls)``: ``calls`` lists the sizes ``free_ports`` was asked for.
    """
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        busy = held.getsockname()[1]
        real, calls = dist.free_ports, []

        def busy_first(n, host="127.0.0.1"):
            calls.append(n)
            return [busy, *real(n - 1)] if len(calls) == 1 else real(n)

        monkeypatch.setattr(dist, "free_ports", busy_first)
        yield busy, calls


@pytest.mark.slow  # a local cluster of worker processes
def test_a_port_already_taken_is_never_handed_out(busy_port):
    busy, calls = busy_port
    ports = local_cluster(2, my_port, timeout=30, stream=False)
    assert busy not in ports and len(set(ports)) == 2 and len(calls) >= 2


@pytest.mark.slow  # a local cluster of worker processes
def test_a_port_taken_after_the_check_is_retried_on_new_ports(monkeypatch, busy_port):
    # TensorFlow says "Could not start gRPC server" when its port is taken; this worker binds
    # its port with a plain socket and says what the OS says
    code = (
        "import json, os, socket\n"
        "c = json.loads(os.environ['TF_CONFIG'])\n"
        "port = int(c['cluster']['worker'][c['task']['index']].rsplit(':', 1)[1])\n"
        "s = socket.socket(); s.bind(('127.0.0.1', port))\n"
        "result = port\n"
    )
    busy, calls = busy_port
    monkeypatch.setattr(dist, "port_is_free", lambda port, host="127.0.0.1": True)
    ports = local_cluster(2, code, timeout=30, stream=False)
    assert busy not in ports
    calls.clear()
    with pytest.raises(WorkerError, match="(?i)address already in use"):
        local_cluster(2, code, timeout=30, stream=False, port_retries=0)


# ------------------------------------------------------------------------- argument errors
@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"n_workers": 0}, ValueError, "n_workers"),
        ({"n_workers": 1.5}, TypeError, "n_workers"),
        ({"timeout": 0}, ValueError, "timeout"),
        ({"script_or_function": lambda: 1}, TypeError, "script_or_function"),
        ({"script_or_function": 42}, TypeError, "script_or_function"),
        ({"script_or_function": "missing.py"}, ValueError, "script_or_function"),
        ({"stream": "yes"}, TypeError, "stream"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, name):
    call = {"n_workers": 1, "script_or_function": my_port, **kwargs}
    with pytest.raises(error, match=name):
        local_cluster(**call)


def test_logical_devices_checks_its_argument():
    from gdcourse.distributed import logical_devices

    with pytest.raises(ValueError, match="`n`"):
        logical_devices(0)
    with pytest.raises(TypeError, match="`n`"):
        logical_devices("2")
