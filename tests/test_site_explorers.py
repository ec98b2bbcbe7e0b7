"""The explorers as the site shows them: Plotly figures whose states are the widgets' own."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("plotly")

from gdcourse.commands.site.explorers import (  # noqa: E402
    DIGITS,
    explorer_call,
    explorer_html,
    learning_rate,
    playground,
)
from gdcourse.optim.presets import make_optimizer  # noqa: E402
from gdcourse.paths import run  # noqa: E402
from gdcourse.surfaces import get_surface  # noqa: E402
from gdcourse.theory import lr_regime  # noqa: E402


def test_the_cell_call_is_read_with_its_literal_arguments():
    src = 'from x import y\n\noptimizer_playground(\n    "quadratic", learning_rate=0.02, steps=9)'
    assert explorer_call(src) == ("optimizer_playground", ("quadratic",), {
        "learning_rate": 0.02, "steps": 9})  # fmt: skip
    assert explorer_call("box") is None and explorer_call("learning_rate_explorer(lr)") is None


def test_every_playground_state_is_the_path_gdcourse_computes():
    fig = playground("quadratic", ("SGD", "Momentum"), learning_rate=0.02, steps=30)
    slider = fig.layout.sliders[0]
    assert slider.steps[slider.active].label == "0.02"
    names = [trace.name for trace in fig.data]
    s = get_surface("quadratic")
    for step in (slider.steps[0], slider.steps[slider.active], slider.steps[-1]):
        lr = float(step.label)
        data, _, traces = step.args
        for xs, ys, index in zip(data["x"], data["y"], traces, strict=True):
            name = names[index]
            preset, _, momentum = name.partition(", momentum ")
            opt = make_optimizer(preset, lr, momentum=float(momentum or 0.9))
            path = run(s, opt, s.start, 30).points
            np.testing.assert_allclose(xs, path[:, 0], atol=10.0**-DIGITS)
            np.testing.assert_allclose(ys, path[:, 1], atol=10.0**-DIGITS)
    shown = [t.name for t in fig.data if t.visible is True or t.visible is None]
    assert "SGD" in shown and "Momentum, momentum 0.9" in shown and "Adam" not in shown


def test_learning_rate_states_name_the_regime():
    fig = learning_rate(curvature=2.0, learning_rate=0.3)
    steps = fig.layout.sliders[0].steps
    assert len(steps) > 30
    for step in steps[:: len(steps) // 5]:
        lr = float(step.label)
        assert step.args[1]["title.text"].startswith(f"η = {lr:.3g}: {lr_regime(lr, 2.0)}.")


def test_the_html_needs_no_network_and_names_itself():
    html = explorer_html("learning_rate_explorer(curvature=2.0)", 'the "explorer"')
    assert 'aria-label="the &quot;explorer&quot;"' in html and "Plotly.newPlot" in html
    assert "https://" not in html.split("Plotly.newPlot")[0]
