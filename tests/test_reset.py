"""``python -m gdcourse reset NN``: the learner's copy is backed up (and verified) before the
committed notebook replaces it; outside a git checkout it refuses and changes nothing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from fault_tools import fill, tiny_disk

from gdcourse.commands import reset as reset_module
from gdcourse.commands.cli import main
from gdcourse.commands.reset import ResetError, backup_path, reset_notebook

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

COMMITTED = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'
EDITED = b'{"cells": [{"learner": "work"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'


def make_checkout(root: Path, committed: bytes = COMMITTED) -> Path:
    (root / "notebooks").mkdir(parents=True)
    (root / "notebooks" / "03_momentum.ipynb").write_bytes(committed)
    (root / "notebooks" / "04_adam.ipynb").write_bytes(committed)
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git[:3], "init", "-q", "--template="], check=True)
    subprocess.run([*git, "add", "notebooks"], check=True)
    subprocess.run([*git, "commit", "-qm", "course"], check=True)
    return root / "notebooks"


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    return make_checkout(tmp_path / "course")


def test_reset_backs_up_then_restores(checkout: Path):
    notebook = checkout / "03_momentum.ipynb"
    notebook.write_bytes(EDITED)
    lines = reset_notebook("03", checkout)
    assert notebook.read_bytes() == COMMITTED
    backups = list(checkout.glob("backup-*-03_momentum.ipynb"))
    assert len(backups) == 1 and backups[0].read_bytes() == EDITED
    assert lines[0].startswith("Backed up your copy as") and "Restored" in lines[-1]
    assert sorted(p.name for p in checkout.glob("[0-9][0-9]_*.ipynb")) == [
        "03_momentum.ipynb",
        "04_adam.ipynb",
    ]  # a backup is never mistaken for a lesson


def test_backup_is_written_before_anything_is_replaced(
    checkout: Path, monkeypatch: pytest.MonkeyPatch
):
    notebook = checkout / "03_momentum.ipynb"
    notebook.write_bytes(EDITED)
    real_write = reset_module.write_atomically
    seen = []

    def write(path: Path, data: bytes) -> None:
        backups = list(checkout.glob("backup-*"))
        seen.append([b.read_bytes() for b in backups])
        real_write(path, data)

    monkeypatch.setattr(reset_module, "write_atomically", write)
    reset_notebook("03_momentum", checkout)
    assert seen == [[EDITED]]


def test_a_failed_backup_replaces_nothing(checkout: Path, monkeypatch: pytest.MonkeyPatch):
    notebook = checkout / "03_momentum.ipynb"
    notebook.write_bytes(EDITED)

    def broken_link(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(reset_module, "link_or_rename", broken_link)
    with pytest.raises(ResetError, match="nothing was replaced"):
        reset_notebook("03", checkout)
    assert notebook.read_bytes() == EDITED
    assert sorted(p.name for p in checkout.iterdir()) == ["03_momentum.ipynb", "04_adam.ipynb"]


def _big_notebook(size: int) -> bytes:
    head = b'{"cells": [{"learner": "'
    tail = b'"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'
    return head + b"w" * (size - len(head) - len(tail)) + tail


def test_a_full_disk_leaves_no_truncated_backup(tmp_path: Path):
    with tiny_disk(tmp_path / "stick", "512k") as stick:
        checkout = make_checkout(stick / "course")
        notebook = checkout / "03_momentum.ipynb"
        edited = _big_notebook(48_000)
        notebook.write_bytes(edited)
        filler = fill(stick)
        with pytest.raises(ResetError) as raised:
            reset_notebook("03", checkout)
        assert sorted(p.name for p in checkout.iterdir()) == ["03_momentum.ipynb", "04_adam.ipynb"]
        assert notebook.read_bytes() == edited
        message = str(raised.value)
        assert "No space left on device" in message and "no backup was left" in message
        filler.unlink()
        reset_notebook("03", checkout)
        (backup,) = checkout.glob("backup-*-03_momentum.ipynb")
        assert backup.read_bytes() == edited and notebook.read_bytes() == COMMITTED


def test_a_full_disk_after_the_backup_keeps_the_learners_copy(tmp_path: Path):
    with tiny_disk(tmp_path / "stick", "512k") as stick:
        committed = _big_notebook(40_000)
        checkout = make_checkout(stick / "course", committed)
        notebook = checkout / "03_momentum.ipynb"
        edited = _big_notebook(8_000)
        notebook.write_bytes(edited)
        reserve = stick / "reserve"
        reserve.write_bytes(b"r" * 3 * 4096)  # room for the backup, not for the restored copy
        fill(stick)
        reserve.unlink()
        with pytest.raises(ResetError, match="could not restore.*it is unchanged; your copy is"):
            reset_notebook("03", checkout)
        assert notebook.read_bytes() == edited
        (backup,) = checkout.glob("backup-*-03_momentum.ipynb")
        assert backup.read_bytes() == edited
        assert not list(checkout.glob(".*"))  # no temporary file left


def test_dry_run_names_what_it_would_do_and_does_nothing(checkout: Path):
    notebook = checkout / "03_momentum.ipynb"
    notebook.write_bytes(EDITED)
    lines = reset_notebook("03", checkout, dry_run=True)
    assert lines[0].startswith("Would back up your copy of notebooks/03_momentum.ipynb as backup-")
    assert "restore notebooks/03_momentum.ipynb as committed" in lines[1]
    assert notebook.read_bytes() == EDITED and not list(checkout.glob("backup-*"))


def test_unchanged_and_deleted_notebooks(checkout: Path):
    assert "already as committed" in reset_notebook("04", checkout)[0]
    assert not list(checkout.glob("backup-*"))
    (checkout / "04_adam.ipynb").unlink()
    assert reset_notebook("04", checkout) == ["Restored notebooks/04_adam.ipynb as committed."]
    assert (checkout / "04_adam.ipynb").read_bytes() == COMMITTED


def test_refuses_politely_outside_a_checkout(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    folder = tmp_path / "download" / "notebooks"
    folder.mkdir(parents=True)
    (folder / "03_momentum.ipynb").write_bytes(EDITED)
    assert main(["reset", "03", "--dir", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "not in a git checkout" in err and "Nothing was changed" in err
    assert (folder / "03_momentum.ipynb").read_bytes() == EDITED


def test_cli_names_unknown_notebooks(checkout: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["reset", "42", "--dir", str(checkout)]) == 2
    assert "notebooks: 03, 04" in capsys.readouterr().err
    (checkout / "03_momentum.ipynb").write_bytes(EDITED)
    assert main(["reset", "03", "--dry-run", "--dir", str(checkout)]) == 0
    assert "(dry run)" in capsys.readouterr().out


def test_backup_names_never_collide(tmp_path: Path):
    path = tmp_path / "03_momentum.ipynb"
    first = backup_path(path, stamp="20260101-000000")
    first.write_text("x")
    second = backup_path(path, stamp="20260101-000000")
    assert second != first and second.name.startswith("backup-20260101-000000-2-")
