"""The progress record under real faults (issue 17, "lost data"): reading never writes and keeps
what it does not understand; kernels recording while a repair runs lose no check; a repair
killed (SIGKILL) at any step leaves a record; a full disk never leaves a half line, never
claims a verdict saved that was not, and never moves the record aside."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fault_tools import child_env, fill, kill_at, tiny_disk

import gdcourse
from gdcourse.exercises import Status, nb02
from gdcourse.exercises import record as record_module
from gdcourse.exercises.record import (
    PROGRESS_ENV,
    RECORD_NAME,
    append_line,
    read_record,
    record_check,
    record_dirs,
    repair_record,
    repair_records,
)


def entry_line(exercise: str, status: str = "pass", notebook: str = "02") -> bytes:
    entry = {"notebook": notebook, "exercise": exercise, "status": status, "time": "2026-01-01Z"}
    return (json.dumps(entry) + "\n").encode()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "progress"
    folder.mkdir()
    monkeypatch.setenv(PROGRESS_ENV, str(folder))
    monkeypatch.setattr(record_module, "_fallback_dir", lambda: tmp_path / "fallback")
    monkeypatch.setattr(record_module, "_warned", set())
    return folder


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_reading_never_writes_and_keeps_what_it_does_not_understand(folder: Path):
    newer = b'{"version": 2, "notebook": "02", "exercise": "q1", "score": 0.9}\n'
    (folder / RECORD_NAME).write_bytes(
        entry_line("q1", "fail") + entry_line("q1", "skipped") + newer + b"{broken\n"
    )
    before = snapshot(folder)
    report = gdcourse.progress()
    found = read_record()
    assert snapshot(folder) == before  # not a byte, not a new file, not even a touch
    assert [e["status"] for e in found.entries] == ["fail", "skipped"]  # a newer status kept
    assert (found.damaged, found.unknown) == (1, 1)
    text = str(report)
    assert "1 damaged line(s) skipped; the file is unchanged" in text
    assert "1 line(s) from another version of gdcourse kept" in text
    assert report.totals("02")["attempted"] == 1
    q1 = next(e for e in report.exercises if (e.notebook, e.exercise) == ("02", "q1"))
    assert q1.checks == 2  # the newer status counts as a check
    # a repair sets the damaged line aside and keeps everything it does not understand
    assert "1 damaged line(s) set aside" in repair_record(folder)
    kept = (folder / RECORD_NAME).read_bytes()
    assert kept == entry_line("q1", "fail") + entry_line("q1", "skipped") + newer
    (aside,) = folder.glob("progress.damaged-*.jsonl")
    assert b"{broken" in aside.read_bytes()
    assert repair_record(folder) is None  # sound now: nothing to do


def test_a_new_line_is_never_glued_to_a_half_line(folder: Path):
    (folder / RECORD_NAME).write_bytes(entry_line("q1") + b'{"notebook": "02", "exer')
    assert record_check("02", "q2", "pass") == folder / RECORD_NAME
    found = read_record()
    assert [e["exercise"] for e in found.entries] == ["q1", "q2"] and found.damaged == 1


WRITER = """
import sys
from gdcourse.exercises.record import record_check
who, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    assert record_check(who, f"q{i}", "pass") is not None
"""

REPAIRER = """
import os, sys
from pathlib import Path
from gdcourse.exercises import record
folder, n = Path(sys.argv[1]), int(sys.argv[2])
path = folder / record.RECORD_NAME
for i in range(n):
    with record._lock(path):  # a crash leaves a half line, or garbage, between whole lines
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        os.write(fd, b'{"half": ' if i % 2 else b"\\xff garbage\\n")
        os.close(fd)
    record.repair_record(folder)
"""


def test_kernels_recording_while_a_repair_runs_lose_no_check(folder: Path):
    writers, checks = 4, 40
    env = child_env()
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, f"w{k}", str(checks)], env=env)
        for k in range(writers)
    ]
    procs.append(subprocess.Popen([sys.executable, "-c", REPAIRER, str(folder), "30"], env=env))
    assert [p.wait(timeout=300) for p in procs] == [0] * (writers + 1)
    entries = read_record([folder]).entries
    got = sorted((e["notebook"], e["exercise"]) for e in entries)
    want = sorted((f"w{k}", f"q{i}") for k in range(writers) for i in range(checks))
    assert got == want  # every check exactly once, all in the record itself
    assert len(list(folder.glob("progress.damaged-*.jsonl"))) >= 1
    assert not list(folder.glob(".progress.*.tmp"))


REPAIR = """
from pathlib import Path
from gdcourse.exercises import record
record.repair_record(Path({folder!r}))
"""


@pytest.mark.parametrize(
    "step",
    ["locked", "renaming to progress.damaged", "aside-written", "renaming to progress.jsonl"],
)
def test_a_repair_killed_at_any_step_leaves_the_record(folder: Path, step: str):
    good = b"".join(entry_line(f"q{i}") for i in range(50))
    (folder / RECORD_NAME).write_bytes(good + b"{broken\n")
    kill_at("gdcourse.exercises.record", step, REPAIR.format(folder=str(folder)))
    found = read_record([folder])
    assert len(found.entries) == 50  # the old record or the repaired one, never none
    assert record_check("02", "q50", "pass") == folder / RECORD_NAME  # the lock was released
    repair_record(folder)  # completes, and removes the killed repair's temporary file
    assert len(read_record([folder]).entries) == 51
    assert not list(folder.glob(".progress.*.tmp"))


def test_a_full_disk_saves_no_half_line_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    with tiny_disk(tmp_path / "stick") as stick:
        folder = stick / "progress"
        folder.mkdir()
        monkeypatch.setenv(PROGRESS_ENV, str(folder))
        monkeypatch.setattr(record_module, "_fallback_dir", lambda: stick / "fallback")
        monkeypatch.setattr(record_module, "_warned", set())
        lines = [entry_line(f"q{i}") for i in range(60)]
        room = 4096 * 2 - 7 - sum(map(len, lines))  # the record's last page keeps 7 bytes free
        lines.append(entry_line("q" + "x" * (room - len(entry_line("q")))))
        record = folder / RECORD_NAME
        record.write_bytes(b"".join(lines))
        assert record.stat().st_size == 4096 * 2 - 7
        filler = fill(stick)
        before = record.read_bytes()
        assert nb02.q3.check(2.3415) is Status.PASS  # the check itself never fails
        assert record_check("02", "q3", "pass") is None  # ... and never claims it saved
        err = capsys.readouterr().err
        assert err.count("progress not saved") == 1 and "No space left on device" in err
        assert record.read_bytes() == before  # no half line ends the record
        assert read_record().damaged == 0
        filler.unlink()
        assert record_check("02", "q3", "pass") == record
        found = read_record()
        assert len(found.entries) == 62 and found.damaged == 0


def test_a_repair_on_a_full_disk_leaves_the_record_in_place(tmp_path: Path):
    with tiny_disk(tmp_path / "stick") as stick:
        folder = stick / "progress"
        folder.mkdir()
        record = folder / RECORD_NAME
        record.write_bytes(b"".join(entry_line(f"q{i}") for i in range(200)) + b"{broken\n")
        before = record.read_bytes()
        fill(stick)
        (message,) = repair_records([folder])
        assert "could not be repaired (No space left on device); it is unchanged" in message
        assert record.read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == [RECORD_NAME, RECORD_NAME + ".lock"]
        assert len(read_record([folder]).entries) == 200


def test_append_line_refuses_anything_but_one_whole_line(tmp_path: Path):
    for bad in (b"no newline", b"two\nlines\n"):
        with pytest.raises(ValueError, match="`line` must be one line"):
            append_line(tmp_path / RECORD_NAME, bad)


def test_a_relative_folder_is_taken_from_home_whatever_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv(PROGRESS_ENV, "course/progress")
    seen = set()
    for here in ("a", "b"):
        (tmp_path / here).mkdir()
        monkeypatch.chdir(tmp_path / here)
        seen.add(record_dirs()[0])
    assert seen == {tmp_path / "home" / "course" / "progress"}


def test_an_unknown_users_home_gets_a_clear_note_and_the_check_still_saves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.setenv(PROGRESS_ENV, "~nosuchuser-gdcourse/progress")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr(record_module, "_warned", set())
    assert nb02.q3.check(2.3415) is Status.PASS
    err = capsys.readouterr().err
    assert "the home folder of an unknown user ('nosuchuser-gdcourse')" in err
    if sys.platform.startswith("linux"):
        assert (tmp_path / "data" / "gdcourse" / RECORD_NAME).is_file()
    assert any("unknown user" in p for p in gdcourse.progress().problems)


def test_the_exercise_framework_does_not_import_the_machinery():
    code = textwrap.dedent(
        """
        import sys
        import gdcourse.exercises, gdcourse.exercises.nb02
        assert not [m for m in sys.modules if m.startswith("gdcourse.commands")], sys.modules
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=child_env())


def test_cli_repair(folder: Path, capsys: pytest.CaptureFixture[str]):
    from gdcourse.commands.cli import main

    (folder / RECORD_NAME).write_bytes(entry_line("q1") + b"{broken\n")
    assert main(["progress", "--repair"]) == 0
    out = capsys.readouterr().out
    assert "1 damaged line(s) set aside" in out and "q1✓" in out
    assert main(["progress", "--repair"]) == 0
    assert "nothing to repair" in capsys.readouterr().out
    assert os.path.exists(folder / RECORD_NAME)


def test_appending_without_pread_as_on_windows(folder: Path, monkeypatch: pytest.MonkeyPatch):
    (folder / RECORD_NAME).write_bytes(entry_line("q1") + b'{"half')
    monkeypatch.delattr(record_module.os, "pread", raising=False)
    assert record_check("02", "q2", "pass") == folder / RECORD_NAME
    assert record_check("02", "q3", "pass") == folder / RECORD_NAME
    found = read_record()
    assert [e["exercise"] for e in found.entries] == ["q1", "q2", "q3"] and found.damaged == 1
