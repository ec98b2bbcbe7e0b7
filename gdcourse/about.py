"""Facts about the course that live in exactly one place."""

from __future__ import annotations

from importlib import metadata

#: The course repository. Notebooks install from it on Colab, the README links to it;
#: ``tests/test_notebook_hygiene.py`` checks that every notebook's setup cell uses this URL.
REPO_URL = "https://github.com/gdcourse/gdcourse"

try:
    __version__ = metadata.version("gdcourse")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"


#: The course, in order: (notebook file, title, estimated minutes). README.md's table, the
#: welcome notebook and ``python -m gdcourse run`` all follow this list; a test keeps the
#: README and the notebooks folder in step with it.
COURSE: tuple[tuple[str, str, int], ...] = (
    ("00_welcome.ipynb", "Welcome: how the course works, and a check of your setup", 10),
    ("01_update_rule.ipynb", "The update rule: gradient descent by hand", 45),
    ("02_batch_variants.ipynb", "Batch, stochastic and mini-batch gradient descent", 40),
    ("03_momentum.ipynb", "Momentum: heavy ball and Nesterov", 45),
    ("04_adam.ipynb", "Adaptive learning rates: AdaGrad, RMSProp and Adam", 55),
    ("05_schedules.ipynb", "Learning-rate schedules", 40),
    ("06_troubleshooting.ipynb", "Troubleshooting lab: when gradient descent goes wrong", 45),
    (
        "07_custom_training_loop.ipynb",
        "Your own training loop: `tf.GradientTape` and `tf.function`",
        40,
    ),
    ("08_project_california_housing.ipynb", "Project: California housing, end to end", 45),
    ("09_project_aapl_lstm.ipynb", "Project: an LSTM on Apple's stock price, honestly", 45),
    (
        "10_scaling_out.ipynb",
        "Scaling out: data-parallel gradient descent with `tf.distribute`",
        45,
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


def course_table() -> str:
    """The course as a Markdown table (notebook, topic, time)."""
    rows = ["| # | Notebook | Topic | Time |", "|---|---|---|---|"]
    for notebook, title, minutes in COURSE:
        rows.append(f"| {notebook[:2]} | `{notebook}` | {title} | {minutes} min |")
    return "\n".join(rows)


def readme_table() -> str:
    """The notebook table of README.md, with Colab and Binder buttons (a test keeps it in step)."""
    colab = "https://colab.research.google.com/assets/colab-badge.svg"
    binder = "https://mybinder.org/badge_logo.svg"
    rows = ["| # | Notebook | Topic | Time | Open |", "|---|---|---|---|---|"]
    for notebook, title, minutes in COURSE:
        buttons = f"[![Colab]({colab})]({colab_url(notebook)}) "
        buttons += f"[![Binder]({binder})]({binder_url(notebook)})"
        rows.append(f"| {notebook[:2]} | `{notebook}` | {title} | {minutes} min | {buttons} |")
    return "\n".join(rows)
