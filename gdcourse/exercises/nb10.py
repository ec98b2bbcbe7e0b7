"""Exercises of notebook 10: scaling out (a replica's loss, where noise meets signal,
``TF_CONFIG`` for a chief and workers).

Every checker builds its own small inputs from fixed seeds, so checking an answer never draws
from the notebook's random generators, and the set runs without the notebook's variables.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from gdcourse.exercises.core import Exercise, Incorrect


def _as_float(value: Any, what: str) -> float:
    if value is None:
        raise Incorrect(f"your function returned None: `return` the {what}")
    try:
        return float(np.asarray(value))
    except (TypeError, ValueError):
        raise Incorrect(f"return one number (the {what}), got {value!r:.80}") from None


# ---- q1: one replica's loss, with a penalty on the weights ---------------------------------
def _replica_loss(
    per_example_loss: Any, global_batch_size: int, replicas: int, penalty: float
) -> float:
    # tf.nn.compute_average_loss(...) + tf.nn.scale_regularization_loss(penalty) under a strategy
    return float(np.sum(per_example_loss)) / global_batch_size + penalty / replicas


def _loss_cases() -> list[tuple[np.ndarray, int, int, float]]:
    rng = np.random.default_rng(10)
    return [
        (np.array([1.0, 2.0, 3.0, 6.0]), 8, 2, 0.5),  # a shard of 4 of 2 replicas
        (rng.gamma(2.0, size=16), 64, 4, 0.3),  # a shard of 16 of 4 replicas
        (rng.gamma(2.0, size=5), 40, 8, 1.2),  # a shard of 5 of 8 replicas
        (rng.gamma(2.0, size=2), 10, 4, 0.8),  # uneven: shards of 3, 3, 2, 2 (a last batch)
    ]


def _check_replica_loss(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect("pass your function itself, my_replica_loss, without calling it")
    for per_example, global_batch, replicas, penalty in _loss_cases():
        want = _replica_loss(per_example, global_batch, replicas, penalty)
        got = _as_float(answer(per_example.copy(), global_batch, replicas, penalty), "loss")
        if np.isclose(got, want, rtol=1e-6):
            continue
        shard = len(per_example)
        data_ok = [
            np.isclose(got - term, float(np.sum(per_example)) / global_batch, rtol=1e-6)
            for term in (penalty / replicas, penalty)
        ]
        shard_mean = [
            np.isclose(got - term, float(np.mean(per_example)), rtol=1e-6)
            for term in (penalty / replicas, penalty, 0.0)
        ]
        case = f"(a shard of {shard} in a global batch of {global_batch}, {replicas} replicas)"
        if data_ok[1]:
            raise Incorrect(
                f"the data term is right, but every replica adds the whole penalty, so the sum "
                f"over {replicas} replicas counts it {replicas} times {case}: each replica "
                "adds its share of the penalty"
            )
        if any(shard_mean):
            raise Incorrect(
                "your data term is the shard's own mean: the replicas' terms then add up to "
                f"{replicas} times the global mean {case}; divide the shard's sum by the "
                "GLOBAL batch size"
            )
        if np.isclose(got - penalty / replicas, np.mean(per_example) / replicas, rtol=1e-6):
            raise Incorrect(
                f"the shard's mean over the replicas equals the global share only when every "
                f"shard holds global_batch_size / replicas rows; here they do not {case}: "
                "divide the shard's sum by the GLOBAL batch size"
            )
        if np.isclose(got, float(np.sum(per_example)) / global_batch, rtol=1e-6):
            raise Incorrect(
                f"the data term is right; add the replica's share of the penalty {case}"
            )
        raise Incorrect(
            f"got {got:.6g} {case}: the data term is the shard's sum over the global batch "
            "size, and the replicas' penalty terms must add up to the penalty once"
        )
    # the point of it: 3 replicas' losses add up to the global mean plus the penalty, once
    losses, penalty = np.random.default_rng(11).gamma(2.0, size=11), 0.7  # shards 4, 4, 3
    total = sum(_as_float(answer(s, 11, 3, penalty), "loss") for s in np.array_split(losses, 3))
    if not np.isclose(total, losses.mean() + penalty, rtol=1e-6):  # pragma: no cover - implied
        raise Incorrect("the three replicas' losses should add up to the global mean + penalty")
    return "3 replicas' losses add up to the global batch's mean loss plus the penalty, once."


q1 = Exercise(
    "Q1. One replica's loss, with a penalty",
    """
    Write `my_replica_loss(per_example_loss, global_batch_size, replicas, penalty)`: one
    replica's loss, from its shard's per-example losses and a penalty that every replica
    computes alike, such that the sum over the replicas is the mean over the global batch plus
    the penalty once (to a relative 1e-6). Shards may differ in size (a last, smaller batch).
    """,
    checker=_check_replica_loss,
    reference=_replica_loss,
    tolerance="relative 1e-06",
    hints=[
        "The all-reduce ADDS the replicas' gradients, so it adds their losses' terms too: each "
        "term must be the replica's share. Data: the shard's sum over the GLOBAL batch size. "
        "Penalty: the same on every replica, so how many times does the sum count it?",
        "The penalty is counted once per replica: divide it by the number of replicas (under a "
        "strategy, tf.nn.scale_regularization_loss does that).",
    ],
    solution="""
    import numpy as np


    def my_replica_loss(per_example_loss, global_batch_size, replicas, penalty):
        return np.sum(per_example_loss) / global_batch_size + penalty / replicas
    """,
    wrong_answers=[
        lambda per_example_loss, global_batch_size, replicas, penalty: float(
            np.mean(per_example_loss) + penalty / replicas
        ),
        lambda per_example_loss, global_batch_size, replicas, penalty: float(
            np.sum(per_example_loss) / global_batch_size + penalty
        ),
    ],
)


# ---- q2: the batch size at which the noise equals the signal -----------------------------
def _parts(grads: np.ndarray) -> tuple[int, float, float]:
    # n, sigma^2 (the mean over the n examples) and the signal |G|^2
    n = len(grads)
    mean = grads.mean(axis=0)
    return n, float(np.sum((grads - mean) ** 2) / n), float(np.sum(mean**2))


def _noise_equals_signal(per_example_grads: Any) -> float:
    # sigma^2 / B * (n - B) / (n - 1) = |G|^2  <=>  B = n sigma^2 / (sigma^2 + (n - 1) |G|^2)
    n, sigma2, signal = _parts(np.asarray(per_example_grads, dtype=float))
    return n * sigma2 / (sigma2 + (n - 1) * signal)


def _crossing_cases() -> list[np.ndarray]:
    rng = np.random.default_rng(12)
    return [
        rng.normal(loc=[0.2, -0.1, 0.0, 0.3], scale=1.5, size=(40, 4)),  # B_noise above n/2
        rng.normal(loc=0.5, scale=2.0, size=(30, 3)),  # B_noise about n/2
        rng.normal(loc=0.5, scale=2.0, size=(200, 6)),  # B_noise far below n
    ]


def _check_noise_equals_signal(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect("pass your function itself, my_crossing_batch, without calling it")
    for grads in _crossing_cases():
        want = _noise_equals_signal(grads)
        got = _as_float(answer(grads.copy()), "batch size")
        if np.isclose(got, want, rtol=0.01):
            continue
        n, sigma2, signal = _parts(grads)
        case = f"({n} gradients of {grads.shape[1]} weights)"
        if np.isclose(got, sigma2 / signal, rtol=0.01):
            raise Incorrect(
                f"that is B_noise = sigma^2/|G|^2, where sigma^2/B meets |G|^2 {case}: the "
                "batch holds distinct examples, so the noise has the factor (n - B)/(n - 1); "
                "solve with it"
            )
        if np.isclose(got, signal / sigma2, rtol=0.01) or np.isclose(got * want, 1, rtol=0.01):
            raise Incorrect(f"your ratio is upside down {case}: the noise is sigma^2 over B")
        second_moment = sigma2 + signal  # the mean of |g_i|^2: sigma^2 before centring
        if np.isclose(got, n * second_moment / (second_moment + (n - 1) * signal), rtol=1e-3):
            raise Incorrect(
                f"your sigma^2 is the mean of |g_i|^2 {case}: measure each gradient's distance "
                "from the mean gradient G, the mean of |g_i - G|^2"
            )
        sigma2_ddof1 = sigma2 * n / (n - 1)
        if np.isclose(got, n * sigma2_ddof1 / (sigma2_ddof1 + (n - 1) * signal), rtol=1e-3):
            raise Incorrect(
                f"your sigma^2 divides by n - 1 {case}: here it is the mean over the n "
                "examples (or keep n - 1 and use the factor (n - B)/n)"
            )
        if not np.isfinite(got) or not 1 <= got <= n:
            raise Incorrect(f"got {got:.4g} {case}: a batch size lies between 1 and n = {n}")
        raise Incorrect(
            f"got {got:.4g} {case}, more than 1% from the B at which "
            "sigma^2/B (n - B)/(n - 1) = |G|^2"
        )
    return "noise and signal cross where you said, in all 3 cases (within 1%)."


q2 = Exercise(
    "Q2. Where the noise equals the signal",
    """
    Write `my_crossing_batch(per_example_grads)`: for an `(n, P)` array of per-example
    gradients, the batch size B (a real number, not rounded) at which the exact noise of a
    batch of B distinct examples, E|g_B - G|^2 = sigma^2/B (n - B)/(n - 1), equals the signal
    |G|^2 (to a relative 1%).
    """,
    checker=_check_noise_equals_signal,
    reference=_noise_equals_signal,
    tolerance="relative 1%",
    hints=[
        "Compute sigma^2 and |G|^2 as noise_scale does, then solve "
        "sigma^2/B (n - B)/(n - 1) = |G|^2 for B: multiply both sides by B (n - 1).",
        "sigma^2 (n - B) = |G|^2 B (n - 1), so B = n sigma^2 / (sigma^2 + (n - 1) |G|^2).",
    ],
    solution="""
    import numpy as np


    def my_crossing_batch(per_example_grads):
        n = len(per_example_grads)
        G = per_example_grads.mean(axis=0)
        sigma2 = np.mean(np.sum((per_example_grads - G) ** 2, axis=1))
        return n * sigma2 / (sigma2 + (n - 1) * np.sum(G**2))
    """,
    wrong_answers=[
        lambda g: float(
            np.mean(np.sum((g - g.mean(axis=0)) ** 2, axis=1)) / np.sum(g.mean(axis=0) ** 2)
        ),
        lambda g: float(len(g)),
    ],
)


# ---- q3: TF_CONFIG for a chief and workers --------------------------------------------------
def _tf_configs(chief: str, workers: list[str]) -> list[dict[str, Any]]:
    cluster = {"chief": [chief], "worker": list(workers)}
    tasks = [("chief", 0)] + [("worker", i) for i in range(len(workers))]
    return [{"cluster": cluster, "task": {"type": kind, "index": i}} for kind, i in tasks]


def _config_cases() -> list[tuple[str, list[str]]]:
    return [
        ("node-a:2222", ["node-b:2222"]),
        ("10.0.0.5:12345", ["10.0.0.6:12345", "10.0.0.7:12345"]),
        ("gpu01:5000", ["gpu02:5000", "gpu03:5000", "gpu04:5000"]),
    ]


def _check_one_config(got: Any, want: dict[str, Any], process: str) -> None:
    if got is None:
        raise Incorrect(f"the entry for {process} is None: one dictionary per process")
    if isinstance(got, str):
        raise Incorrect(
            "return the dictionaries themselves; json.dumps(...) turns each into the text that "
            "goes into the environment variable"
        )
    if not isinstance(got, dict) or set(got) != {"cluster", "task"}:
        raise Incorrect(
            f"each entry is a dict with the keys 'cluster' and 'task', got {got!r:.100}"
        )
    try:  # what the processes read: a tuple of hosts becomes the same JSON list
        got = json.loads(json.dumps(got))
    except (TypeError, ValueError):
        raise Incorrect(
            "TF_CONFIG goes through json.dumps, which cannot write your dictionary: use plain "
            f"lists, strings and ints; got {got!r:.100}"
        ) from None
    if got["cluster"] != want["cluster"]:
        if set(got["cluster"]) == {"worker"}:
            raise Incorrect(
                "the cluster needs two jobs: 'chief' (a list of its one address) and 'worker' "
                f"(the workers' addresses), the same for every process; got {got['cluster']!r:.100}"
            )
        raise Incorrect(
            f"the cluster of {process} is not the expected one: 'chief' maps to a list of its "
            "one address, 'worker' to the workers' addresses in order, the same for every "
            f"process; got {got['cluster']!r:.100}"
        )
    if got["task"] != want["task"]:
        kind, index = want["task"]["type"], want["task"]["index"]
        if got["task"].get("type") == kind and got["task"].get("index") == index + 1:
            raise Incorrect(
                f"{process}'s index continues after the chief's: each index counts from 0 "
                "within its own job"
            )
        raise Incorrect(
            f"the task of {process} names its job ('chief' or 'worker') and its position in "
            f"that job's list, an int; got {got['task']!r:.100}"
        )


def _check_tf_configs(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect("pass your function itself, my_tf_configs, without calling it")
    for chief, workers in _config_cases():
        want = _tf_configs(chief, workers)
        got = answer(chief, list(workers))
        if got is None:
            raise Incorrect("your function returned None: `return` the list of dictionaries")
        if isinstance(got, dict):
            raise Incorrect("return a list: one dictionary per process, the chief's first")
        got = list(got)
        if len(got) != len(want):
            raise Incorrect(
                f"a chief and {len(workers)} worker{'s' * (len(workers) > 1)} are {len(want)} "
                f"processes, each with its own TF_CONFIG; your list has {len(got)}"
            )
        names = ["the chief"] + [f"worker {i} ({host})" for i, host in enumerate(workers)]
        for entry, expected, process in zip(got, want, names, strict=True):
            _check_one_config(entry, expected, process)
    return "every process's cluster and task are right, for 1, 2 and 3 workers beside the chief."


q3 = Exercise(
    "Q3. TF_CONFIG for a chief and workers",
    """
    Write `my_tf_configs(chief, workers)`: the list of `TF_CONFIG` dictionaries (before
    `json.dumps`) of every process of a cluster with a separate chief at the address `chief`
    and workers at `workers` (a list of `"host:port"` strings): the chief's first, then the
    workers' in order.
    """,
    checker=_check_tf_configs,
    reference=_tf_configs,
    tolerance="none: the dictionaries must equal the expected ones (no numbers are compared)",
    hints=[
        "The cluster now has two jobs, 'chief' and 'worker', each a list of addresses, the same "
        "for every process; the task names the job and the position in that job's list.",
        "cluster = {'chief': [chief], 'worker': workers}; the chief's task is "
        "{'type': 'chief', 'index': 0}; worker i's is {'type': 'worker', 'index': i}, from 0.",
    ],
    solution="""
    def my_tf_configs(chief, workers):
        cluster = {"chief": [chief], "worker": workers}
        tasks = [{"type": "chief", "index": 0}]
        tasks += [{"type": "worker", "index": i} for i in range(len(workers))]
        return [{"cluster": cluster, "task": task} for task in tasks]
    """,
    wrong_answers=[
        lambda chief, workers: [  # indices continue after the chief's
            {"cluster": {"chief": [chief], "worker": workers}, "task": {"type": t, "index": i}}
            for i, t in enumerate(["chief"] + ["worker"] * len(workers))
        ],
        lambda chief, workers: [  # the chief as worker 0
            {"cluster": {"worker": [chief, *workers]}, "task": {"type": "worker", "index": i}}
            for i in range(len(workers) + 1)
        ],
    ],
)
