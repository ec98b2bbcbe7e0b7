"""One place for the repository's address (gdcourse.about.REPO_URL): every copy agrees with
it, and `python -m gdcourse.commands.fork` moves them all to a fork."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from gdcourse import about
from gdcourse.commands import fork

REPO = Path(__file__).resolve().parents[1]
OWN_PATH = about.REPO_URL.removeprefix("https://github.com/")
NAME = OWN_PATH.split("/")[1]
LINKS = re.compile(
    r"(?:github\.com/|colab\.research\.google\.com/github/|mybinder\.org/v2/gh/)"
    r"([\w.-]+/[\w.-]+)"
)


def _carriers(root: Path) -> list[Path]:
    files = {p for pattern in fork.TEXT_FILES for p in root.glob(pattern) if p.is_file()}
    return sorted(files | set((root / "notebooks").glob("[0-9][0-9]_*.ipynb")))


def test_pyproject_homepage_is_repo_url():
    assert fork.previous_url(REPO) == about.REPO_URL


def test_every_copy_of_the_address_is_repo_url():
    assert _carriers(REPO), "nothing carries the address?"
    for path in _carriers(REPO):
        text = path.read_text(encoding="utf-8")
        for match in LINKS.finditer(text):
            whole, repo = match.group(0), match.group(1)
            if whole.startswith("github.com/") and repo.split("/")[1] != NAME:
                continue  # another project (nbval, ...)
            assert repo == OWN_PATH, f"{path.relative_to(REPO)}: {whole} is not {about.REPO_URL}"


def test_colab_and_binder_links_derive_from_repo_url():
    assert about.colab_url("x.ipynb").startswith(
        f"https://colab.research.google.com/github/{OWN_PATH}/blob/main/notebooks/"
    )
    assert about.binder_url("x.ipynb").startswith(f"https://mybinder.org/v2/gh/{OWN_PATH}/HEAD")


@pytest.mark.parametrize(
    "bad", ["", "github.com/a/b", "https://gitlab.com/a/b", "https://github.com/a", 3]
)
def test_a_bad_address_names_the_argument(bad):
    with pytest.raises(ValueError, match=r"`url` must be a GitHub repository's address"):
        fork.github_path(bad)


def test_rewrite_leaves_longer_names_and_other_projects():
    text = (
        f"https://github.com/{OWN_PATH} https://github.com/{OWN_PATH}-extras "
        f"https://github.com/computationalmodelling/nbval "
        f"https://mybinder.org/v2/gh/{OWN_PATH}/HEAD"
    )
    assert fork.rewrite_text(text, OWN_PATH, "me/course") == (
        f"https://github.com/me/course https://github.com/{OWN_PATH}-extras "
        "https://github.com/computationalmodelling/nbval "
        "https://mybinder.org/v2/gh/me/course/HEAD"
    )


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A copy of the files that carry the address."""
    for path in [*_carriers(REPO), REPO / "gdcourse" / "about.py"]:
        target = tmp_path / path.relative_to(REPO)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return tmp_path


def test_fork_moves_every_copy_and_keeps_notebook_outputs(checkout, monkeypatch):
    before = {p: p.read_text(encoding="utf-8") for p in _carriers(checkout)}
    changed = fork.fork("https://github.com/someone/gd-fork", root=checkout)
    assert checkout / "gdcourse" / "about.py" in changed
    assert 'REPO_URL = "https://github.com/someone/gd-fork"' in (
        checkout / "gdcourse" / "about.py"
    ).read_text(encoding="utf-8")
    for path, old in before.items():
        new = path.read_text(encoding="utf-8")
        assert f"/{OWN_PATH}/" not in new and f'/{OWN_PATH}"' not in new, path.name
        if path.suffix == ".ipynb":
            old_nb, new_nb = json.loads(old), json.loads(new)
            setup = next(i for i, c in enumerate(old_nb["cells"]) if c["cell_type"] == "code")
            for i, (a, b) in enumerate(zip(old_nb["cells"], new_nb["cells"], strict=True)):
                assert a.get("outputs") == b.get("outputs"), f"{path.name}: outputs kept"
                assert (a == b) == (i != setup), f"{path.name}: only the setup cell changes"
            assert len(new.splitlines()) == len(old.splitlines()), "formatting kept"
    monkeypatch.setattr(about, "REPO_URL", "https://github.com/someone/gd-fork")
    assert about.readme_table() in (checkout / "README.md").read_text(encoding="utf-8")
    assert fork.previous_url(checkout) == "https://github.com/someone/gd-fork"
    assert fork.fork(root=checkout) == [], "a second run has nothing left to do"


def test_fork_after_editing_the_one_line(checkout):
    about_py = checkout / "gdcourse" / "about.py"
    text = about_py.read_text(encoding="utf-8")
    about_py.write_text(text.replace(about.REPO_URL, "https://github.com/me/course"), "utf-8")
    changed = fork.fork(root=checkout)
    assert about_py not in changed
    assert checkout / "pyproject.toml" in changed
    assert fork.previous_url(checkout) == "https://github.com/me/course"
