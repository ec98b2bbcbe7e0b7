"""Exercises of notebook 10: scaling out (data parallelism, noise scale, ``TF_CONFIG``).

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


# ---- q1: one replica's share of the loss ----------------------------------------------------
def _average_loss(per_example_loss: Any, global_batch_size: int) -> float:
    return float(np.sum(per_example_loss)) / global_batch_size


def _loss_cases() -> list[tuple[np.ndarray, int]]:
    rng = np.random.default_rng(10)
    return [
        (np.array([1.0, 2.0, 3.0, 6.0]), 8),  # a shard of 4 in a global batch of 8
        (rng.gamma(2.0, size=16), 64),  # a shard of 16 of 4 replicas
        (rng.gamma(2.0, size=5), 10),
    ]


def _check_average_loss(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect("pass your function itself, my_average_loss, without calling it")
    for per_example, global_batch in _loss_cases():
        want = _average_loss(per_example, global_batch)
        got = _as_float(answer(per_example.copy(), global_batch), "replica's loss")
        if np.isclose(got, want, rtol=1e-6):
            continue
        shard = len(per_example)
        if np.isclose(got, float(np.mean(per_example)), rtol=1e-6):
            raise Incorrect(
                f"with a shard of {shard} examples in a global batch of {global_batch} you "
                f"returned the shard's mean, {got:.6g}: divide the shard's sum by the GLOBAL "
                f"batch size, which gives {want:.6g} (the replicas' losses must add up to the "
                "global mean)"
            )
        raise Incorrect(
            f"for a shard of {shard} losses summing to {float(np.sum(per_example)):.6g} and a "
            f"global batch of {global_batch}, the answer is {want:.6g}; got {got:.6g}"
        )
    # the point of it: the shares of all replicas add up to the mean over the global batch
    losses = np.random.default_rng(11).gamma(2.0, size=12)
    total = sum(_as_float(answer(s, 12), "replica's loss") for s in np.split(losses, 3))
    if not np.isclose(total, losses.mean(), rtol=1e-6):  # pragma: no cover - implied above
        raise Incorrect("the three replicas' shares should add up to the global mean")
    return "matches tf.nn.compute_average_loss; 3 replicas' shares add up to the global mean."


q1 = Exercise(
    "Q1. One replica's share of the loss",
    """
    Write `my_average_loss(per_example_loss, global_batch_size)`: what
    `tf.nn.compute_average_loss` returns on one replica, the sum of its shard's per-example
    losses divided by the global batch size (a number, to a relative 1e-6).
    """,
    checker=_check_average_loss,
    reference=_average_loss,
    tolerance="relative 1e-06",
    hints=[
        "The all-reduce ADDS the replicas' gradients. For the sum to be the mean over the "
        "global batch, each replica must divide by the global batch size, not its own.",
        "return np.sum(per_example_loss) / global_batch_size",
    ],
    solution="""
    def my_average_loss(per_example_loss, global_batch_size):
        return np.sum(per_example_loss) / global_batch_size
    """,
    wrong_answers=[
        lambda per_example_loss, global_batch_size: float(np.mean(per_example_loss)),
        lambda per_example_loss, global_batch_size: float(np.sum(per_example_loss)),
    ],
)


# ---- q2: the simple noise scale ------------------------------------------------------------
def _noise_scale(per_example_grads: Any) -> float:
    g = np.asarray(per_example_grads, dtype=float)
    mean = g.mean(axis=0)
    return float(np.sum((g - mean) ** 2) / len(g) / np.sum(mean**2))


def _grad_cases() -> list[np.ndarray]:
    rng = np.random.default_rng(12)
    return [
        rng.normal(loc=1.0, scale=1.0, size=(400, 3)),  # noise scale about 1
        rng.normal(loc=[0.2, -0.1, 0.0, 0.3], scale=1.5, size=(500, 4)),  # about 64
        rng.normal(loc=2.0, scale=0.5, size=(300, 6)),  # about 0.06
    ]


def _check_noise_scale(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect("pass your function itself, my_noise_scale, without calling it")
    for grads in _grad_cases():
        want = _noise_scale(grads)
        got = _as_float(answer(grads.copy()), "noise scale")
        if np.isclose(got, want, rtol=0.01):
            continue
        n, p = grads.shape
        mean = grads.mean(axis=0)
        raw = float(np.sum(grads**2) / n / np.sum(mean**2))
        if np.isclose(got, raw, rtol=0.01):
            raise Incorrect(
                f"for {n} gradients of {p} weights you got {got:.4g} = want + 1: sigma^2 is the "
                "mean squared distance of each gradient FROM THE MEAN gradient; subtract the "
                f"mean first (the answer is {want:.4g})"
            )
        if np.isclose(got, 1.0 / want, rtol=0.01):
            raise Incorrect(
                f"you got {got:.4g}, the inverse of the noise scale {want:.4g}: it is "
                "sigma^2 / |G|^2, the noise over the squared mean gradient"
            )
        raise Incorrect(
            f"for {n} per-example gradients of {p} weights the noise scale is {want:.4g}, "
            f"got {got:.4g} (tolerance 1%)"
        )
    return "matches sigma^2 / |G|^2 on all 3 test cases (within 1%)."


q2 = Exercise(
    "Q2. The simple noise scale",
    """
    Write `my_noise_scale(per_example_grads)`: for an `(N, P)` array of per-example gradients,
    return B_simple = sigma^2 / |G|^2, where G is their mean and sigma^2 the mean squared
    distance of a per-example gradient from G (to 1%, so either N or N - 1 as divisor passes).
    """,
    checker=_check_noise_scale,
    reference=_noise_scale,
    tolerance="relative 1% (N or N - 1 as the divisor both pass)",
    hints=[
        "G = per_example_grads.mean(axis=0); sigma^2 sums the squared differences over the "
        "weights and averages them over the examples, as in notebook 02.",
        "sigma2 = np.mean(np.sum((per_example_grads - G) ** 2, axis=1)); "
        "return sigma2 / np.sum(G ** 2)",
    ],
    solution="""
    def my_noise_scale(per_example_grads):
        G = per_example_grads.mean(axis=0)
        sigma2 = np.mean(np.sum((per_example_grads - G) ** 2, axis=1))
        return sigma2 / np.sum(G**2)
    """,
    wrong_answers=[
        lambda g: float(np.mean(np.sum(g**2, axis=1)) / np.sum(g.mean(axis=0) ** 2)),
        lambda g: float(1.0 / _noise_scale(g)),
    ],
)


# ---- q3: TF_CONFIG for real hosts -----------------------------------------------------------
def _tf_config(hosts: list[str], index: int) -> dict[str, Any]:
    return {"cluster": {"worker": list(hosts)}, "task": {"type": "worker", "index": index}}


def _config_cases() -> list[tuple[list[str], int]]:
    return [
        (["node-a:2222", "node-b:2222"], 1),
        (["10.0.0.5:12345", "10.0.0.6:12345", "10.0.0.7:12345"], 0),
        (["gpu01:5000", "gpu02:5000", "gpu03:5000", "gpu04:5000"], 3),
    ]


def _check_tf_config(answer: Any) -> str:
    if not callable(answer):
        raise Incorrect("pass your function itself, my_tf_config, without calling it")
    for hosts, index in _config_cases():
        want = _tf_config(hosts, index)
        got = answer(list(hosts), index)
        if got is None:
            raise Incorrect("your function returned None: `return` the dictionary")
        if isinstance(got, str):
            raise Incorrect(
                "return the dictionary itself; json.dumps(...) turns it into the text that goes "
                "into the environment variable"
            )
        if not isinstance(got, dict) or set(got) != {"cluster", "task"}:
            raise Incorrect(f"return a dict with the keys 'cluster' and 'task', got {got!r:.100}")
        try:  # what the workers read: a tuple of hosts becomes the same JSON list
            got = json.loads(json.dumps(got))
        except (TypeError, ValueError):
            raise Incorrect(
                "TF_CONFIG goes through json.dumps, which cannot write your dictionary: use "
                f"plain lists, strings and ints; got {got!r:.100}"
            ) from None
        if got["cluster"] != want["cluster"]:
            raise Incorrect(
                f"for hosts {hosts} the cluster is {want['cluster']}: every worker's address, "
                f"in the same order on every worker; got {got['cluster']!r:.100}"
            )
        if got["task"] != want["task"]:
            raise Incorrect(
                f"worker {index} of {hosts} has task {want['task']} (type 'worker', the index "
                f"of its own address in the list, an int); got {got['task']!r:.100}"
            )
    return "the cluster and task are right for 2, 3 and 4 hosts."


q3 = Exercise(
    "Q3. TF_CONFIG for a real cluster",
    """
    Write `my_tf_config(hosts, index)`: the `TF_CONFIG` dictionary (before `json.dumps`) of
    worker number `index` in a cluster whose workers listen at `hosts`, a list of
    `"host:port"` strings.
    """,
    checker=_check_tf_config,
    reference=_tf_config,
    tolerance="none: the dictionary must equal the expected one (no numbers are compared)",
    hints=[
        "Two keys: 'cluster' maps the job name 'worker' to the list of all addresses; 'task' "
        "says which of them this process is.",
        "return {'cluster': {'worker': hosts}, 'task': {'type': 'worker', 'index': index}}",
    ],
    solution="""
    def my_tf_config(hosts, index):
        return {"cluster": {"worker": hosts}, "task": {"type": "worker", "index": index}}
    """,
    wrong_answers=[
        lambda hosts, index: {"cluster": {"worker": hosts}, "task": {"type": "chief", "index": 0}},
        lambda hosts, index: {
            "cluster": {"worker": [hosts[index]]},
            "task": {"type": "worker", "index": index},
        },
    ],  # fmt: skip
)
