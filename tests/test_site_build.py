"""The site build never loses what a learner wrote (issue 17): it replaces only a folder an
earlier build made, refuses ``.``, the checkout and a file before building anything, and a kill
(SIGKILL, in a real child process) at any step of the swap leaves a complete site at
``out_dir``; the next build removes only the leftovers its own marker proves it made.

One tiny real Sphinx build (one notebook) checks the whole path; the kill tests swap folders
made by the same functions the build uses, without Sphinx.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from fault_tools import kill_at

from gdcourse import about
from gdcourse.commands.site import build_site
from gdcourse.commands.site.build import (
    MARKER,
    SiteOutputError,
    check_out_dir,
    clear_leftovers,
    install_site,
    new_site_folder,
    write_manifest,
)
from gdcourse.pacing import Estimate


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def tiny_course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout with one short notebook (and the course list naming only it)."""
    root = tmp_path / "course"
    (root / "notebooks").mkdir(parents=True)
    (root / "README.md").write_text("# A tiny course\n\nOne notebook.\n", encoding="utf-8")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 00 · Welcome\n\nA page."),
        nbformat.v4.new_code_cell("1 + 1"),
    ]
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["kernelspec"] = kernel
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.write(nb, root / "notebooks" / "00_welcome.ipynb")
    monkeypatch.setattr(about, "COURSE", (("00_welcome.ipynb", "Welcome", Estimate(5)),))
    return root


def learner_folder(folder: Path) -> dict[str, bytes]:
    folder.mkdir(parents=True)
    (folder / "notes.md").write_text("# my notes\n", encoding="utf-8")
    (folder / "index.html").write_text("<p>my page</p>", encoding="utf-8")
    return tree(folder)


def test_a_folder_holding_a_learners_notes_is_refused_before_building(tiny_course: Path):
    out = tiny_course.parent / "mysite"
    before = learner_folder(out)
    with pytest.raises(SiteOutputError, match=r"`out_dir` holds files an earlier site build.*"):
        build_site(root=tiny_course, out_dir=out)
    assert tree(out) == before
    assert not (tiny_course / "build").exists()  # refused up front: nothing was built
    with pytest.raises(ValueError, match="notes.md"):  # a ValueError naming what it found
        check_out_dir(out, tiny_course)


@pytest.mark.parametrize("name", [".", "checkout", "a file", "a link"])
def test_the_current_folder_the_checkout_and_a_file_are_refused_up_front(
    tiny_course: Path, monkeypatch: pytest.MonkeyPatch, name: str
):
    monkeypatch.chdir(tiny_course.parent)
    target = {
        ".": Path("."),
        "checkout": tiny_course,
        "a file": tiny_course.parent / "site.html",
        "a link": tiny_course.parent / "link",
    }[name]
    if name == "a file":
        target.write_text("mine")
    if name == "a link":
        (tiny_course.parent / "real").mkdir()
        target.symlink_to(tiny_course.parent / "real")
    why = {
        ".": "is the current folder",
        "checkout": "is the course checkout",
        "a file": "names a file",
        "a link": "is a symbolic link",
    }[name]
    with pytest.raises(SiteOutputError, match=f"`out_dir` {why}.*Received: out_dir="):
        build_site(root=tiny_course, out_dir=target)
    assert not (tiny_course / "build").exists()
    if name == "a file":
        assert target.read_text() == "mine"


def test_a_real_build_replaces_only_its_own_folder(tiny_course: Path):
    out = tiny_course.parent / "site"
    out.mkdir()  # an empty folder is accepted
    first = build_site(root=tiny_course, out_dir=out)
    assert first.out_dir == out and (out / "notebooks" / "00_welcome.html").is_file()
    marker = json.loads((out / MARKER).read_text())
    assert marker["complete"] and "index.html" in marker["files"]
    (out / "index.html").write_text("stale")  # a file it made: replaced by the next build
    build_site(root=tiny_course, out_dir=out)
    assert "stale" not in (out / "index.html").read_text()
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".site.")] == []
    (out / "notes.md").write_text("mine")  # a file added later: the next build refuses
    with pytest.raises(SiteOutputError, match=r"added after the last site build \(notes.md\)"):
        build_site(root=tiny_course, out_dir=out)
    assert (out / "notes.md").read_text() == "mine"


def make_site(out: Path, which: str) -> Path:
    """A complete marked site folder beside ``out`` (as a build leaves it before the swap)."""
    folder = new_site_folder(out)
    (folder / "index.html").write_text(which)
    (folder / "notebooks").mkdir()
    for i in range(20):
        (folder / "notebooks" / f"{i:02d}.html").write_text(which * 100)
    write_manifest(folder)
    return folder


def assert_complete(out: Path, which: set[str]) -> str:
    assert out.is_dir(), f"{out} is gone"
    got = (out / "index.html").read_text()
    assert got in which
    assert len(list((out / "notebooks").iterdir())) == 20
    assert json.loads((out / MARKER).read_text())["complete"]
    return got


INSTALL = """
from pathlib import Path
from gdcourse.commands.site import build
{patch}
build.install_site(Path({new!r}), Path({out!r}))
"""


@pytest.mark.parametrize("step", ["swapping", "exchanged", "done"])
def test_a_build_killed_at_any_step_of_the_swap_leaves_a_complete_site(tmp_path: Path, step: str):
    out = tmp_path / "build" / "site"
    install_site(make_site(out, "old"), out)
    new = make_site(out, "new")
    kill_at(
        "gdcourse.commands.site.build", step, INSTALL.format(patch="", new=str(new), out=str(out))
    )
    assert_complete(out, {"old", "new"})
    foreign = out.parent / ".site.new-mine"  # not the build's: never touched
    foreign.mkdir()
    (foreign / "notes.md").write_text("mine")
    clear_leftovers(out)
    assert assert_complete(out, {"old", "new"}) == ("old" if step == "swapping" else "new")
    assert sorted(p.name for p in out.parent.iterdir()) == [".site.new-mine", "site"]
    assert (foreign / "notes.md").read_text() == "mine"


NO_EXCHANGE = "build._exchange = lambda a, b: False"


@pytest.mark.parametrize("step", ["swapping", "moved aside", "installed"])
def test_without_an_atomic_exchange_the_next_build_puts_the_old_site_back(
    tmp_path: Path, step: str
):
    out = tmp_path / "build" / "site"
    install_site(make_site(out, "old"), out)
    new = make_site(out, "new")
    code = INSTALL.format(patch=NO_EXCHANGE, new=str(new), out=str(out))
    kill_at("gdcourse.commands.site.build", step, code)
    clear_leftovers(out)  # what the next build does first
    assert assert_complete(out, {"old", "new"}) == ("new" if step == "installed" else "old")
    assert [p.name for p in out.parent.iterdir()] == ["site"]


def test_a_build_killed_while_building_leaves_only_what_the_next_build_removes(tmp_path: Path):
    out = tmp_path / "build" / "site"
    install_site(make_site(out, "old"), out)
    code = f"""
from pathlib import Path
from gdcourse.commands.site import build
new = build.new_site_folder(Path({str(out)!r}))
(new / "half.html").write_text("half")
build._step("building")
"""
    kill_at("gdcourse.commands.site.build", "building", code)
    left = [p for p in out.parent.iterdir() if p.name.startswith(".site.new-")]
    assert len(left) == 1 and (left[0] / "half.html").is_file()
    assert assert_complete(out, {"old"}) == "old"
    assert clear_leftovers(out) == [f"removed {left[0].name}, left by a killed build"]
    assert [p.name for p in out.parent.iterdir()] == ["site"]
    assert os.listdir(out) and assert_complete(out, {"old"}) == "old"
