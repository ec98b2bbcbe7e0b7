"""Facts about the course that live in exactly one place."""

from __future__ import annotations

from importlib import metadata

from gdcourse.pacing import Estimate
from gdcourse.pacing import estimate_minutes as estimate_minutes  # re-exported

#: The course repository. Notebooks install from it on Colab, the README links to it;
#: ``tests/test_notebook_hygiene.py`` checks that every notebook's setup cell uses this URL.
REPO_URL = "https://github.com/gdcourse/gdcourse"

try:
    __version__ = metadata.version("gdcourse")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"


#: The course, in order: (notebook file, title, learner time). The time is the honest estimate
#: of :func:`gdcourse.pacing.estimate_minutes` (core and optional minutes, each rounded up to 5;
#: prose, code, outputs, figures and exercises at rates calibrated against readers). README.md's
#: table, the welcome notebook, each notebook's first cell, the site and the instructor guide
#: all follow this list; ``tests/test_notebook_hygiene.py`` keeps the README and the notebooks
#: folder in step with it and every time at or above the estimate.
COURSE: tuple[tuple[str, str, Estimate], ...] = (
    ("00_welcome.ipynb", "Welcome: how the course works, and a check of your setup", Estimate(25)),
    ("01_update_rule.ipynb", "The update rule: gradient descent by hand", Estimate(45, 35)),
    (
        "02_batch_variants.ipynb",
        "Batch, stochastic and mini-batch gradient descent",
        Estimate(45, 30),
    ),
    ("03_momentum.ipynb", "Momentum: heavy ball and Nesterov", Estimate(45, 55)),
    ("04_adam.ipynb", "Adaptive learning rates: AdaGrad, RMSProp and Adam", Estimate(45, 60)),
    ("05_schedules.ipynb", "Learning-rate schedules", Estimate(45, 25)),
    (
        "06_troubleshooting.ipynb",
        "Troubleshooting lab: when gradient descent goes wrong",
        Estimate(45, 35),
    ),
    (
        "07_custom_training_loop.ipynb",
        "Your own training loop: `tf.GradientTape` and `tf.function`",
        Estimate(45, 25),
    ),
    (
        "08_project_california_housing.ipynb",
        "Project: California housing, end to end",
        Estimate(45, 30),
    ),
    (
        "09_project_aapl_lstm.ipynb",
        "Project: an LSTM on Apple's stock price, honestly",
        Estimate(45, 30),
    ),
    (
        "10_scaling_out.ipynb",
        "Scaling out: data-parallel gradient descent with `tf.distribute`",
        Estimate(45, 40),
    ),
)


def colab_url(notebook: str) -> str:
    """The "Open in Colab" address of a notebook of this repository."""
    path = REPO_URL.removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{path}/blob/main/notebooks/{notebook}"


def binder_url(notebook: str) -> str:
    """The mybinder.org address that opens a notebook of this repository in JupyterLab."""
    path = REPO_URL.removeprefix("https://github.com/")
    return f"https://mybinder.org/v2/gh/{path}/HEAD?urlpath=lab/tree/notebooks/{notebook}"


def course_minutes() -> Estimate:
    """The whole course's learner time: the sum of every notebook's core and optional minutes."""
    return Estimate(sum(t.core for _, _, t in COURSE), sum(t.optional for _, _, t in COURSE))


def hours(minutes: int) -> str:
    """``"7 h 55 min"`` for 475 minutes."""
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _total_row(columns_after: int) -> str:
    total = course_minutes()
    time = f"core {total.core} min ({hours(total.core)}), optional {total.optional} min"
    return "| | **total** | | **" + time + "** |" + " |" * columns_after


def course_table() -> str:
    """The course as a Markdown table (notebook, topic, time), with the total on the last row."""
    rows = ["| # | Notebook | Topic | Time |", "|---|---|---|---|"]
    for notebook, title, time in COURSE:
        rows.append(f"| {notebook[:2]} | `{notebook}` | {title} | {time} |")
    rows.append(_total_row(0))
    return "\n".join(rows)


def readme_table() -> str:
    """The notebook table of README.md, with Colab and Binder buttons (a test keeps it in step)."""
    colab = "https://colab.research.google.com/assets/colab-badge.svg"
    binder = "https://mybinder.org/badge_logo.svg"
    rows = ["| # | Notebook | Topic | Time | Open |", "|---|---|---|---|---|"]
    for notebook, title, time in COURSE:
        buttons = f"[![Colab]({colab})]({colab_url(notebook)}) "
        buttons += f"[![Binder]({binder})]({binder_url(notebook)})"
        rows.append(f"| {notebook[:2]} | `{notebook}` | {title} | {time} | {buttons} |")
    rows.append(_total_row(1))
    return "\n".join(rows)
