"""The learner's progress (gdcourse.commands.progress, reading gdcourse.exercises.record): every
check is recorded; the table and ``--json`` show passed / attempted / not yet; a damaged record
is reported, never rewritten by a read; an unwritable folder falls back, and nothing ever stops
a check. The record under real faults (processes, SIGKILL, a full disk): test_progress_record."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import gdcourse
from gdcourse.commands.cli import main
from gdcourse.exercises import Status, ____, nb02
from gdcourse.exercises import record as record_module
from gdcourse.exercises.progress import build_report
from gdcourse.exercises.record import (
    PROGRESS_ENV,
    RECORD_NAME,
    Record,
    read_record,
    record_check,
    record_dirs,
)


@pytest.fixture
def record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "progress"
    monkeypatch.setenv(PROGRESS_ENV, str(folder))
    monkeypatch.setattr(record_module, "_fallback_dir", lambda: tmp_path / "fallback")
    monkeypatch.setattr(record_module, "_warned", set())
    return folder


def test_the_test_session_records_in_a_temporary_folder():
    assert "gdcourse-test-progress-" in os.environ[PROGRESS_ENV]


def test_every_check_is_recorded(record: Path, capsys: pytest.CaptureFixture[str]):
    nb02.q3.check(____)
    nb02.q3.check(16.0)
    nb02.q3.check(2.3415)  # the ratio for n = 12,384, B 1,024 -> 4,096
    lines = (record / RECORD_NAME).read_text().splitlines()
    entries = [json.loads(line) for line in lines]
    assert [e["status"] for e in entries] == ["unattempted", "fail", "pass"]
    assert {(e["notebook"], e["exercise"]) for e in entries} == {("02", "q3")}
    assert all(e["time"].endswith("Z") for e in entries)
    assert capsys.readouterr().err == ""


def test_table_counts_passed_attempted_and_not_yet(record: Path):
    nb02.q1.check(1565)  # pass
    nb02.q2.check(lambda n, b, rng: [])  # fail: attempted
    nb02.q3.check(____)  # running the blank is not an attempt
    report = gdcourse.progress()
    assert report.totals("02") == {"passed": 1, "attempted": 1, "not yet": 1, "total": 3}
    text = str(report)
    assert "02             1         1       1  q1✓ q2✗ q3·" in text
    assert text.splitlines()[-3].startswith("total")
    assert "| 02 | 1 | 1 | 1 |" in report._repr_markdown_()
    assert report.totals()["total"] >= 27


def test_cli_table_and_json(record: Path, capsys: pytest.CaptureFixture[str]):
    nb02.q1.check(1565)
    capsys.readouterr()
    assert main(["progress"]) == 0
    assert "q1✓" in capsys.readouterr().out
    assert main(["progress", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    nb = next(n for n in data["notebooks"] if n["notebook"] == "02")
    assert nb["passed"] == 1 and nb["not_yet"] == 2
    assert nb["exercises"][0]["state"] == "passed" and nb["exercises"][0]["checks"] == 1
    assert data["totals"]["passed"] == 1
    assert data["record"] == [str(record / RECORD_NAME)]


def test_a_corrupt_record_is_reported_never_rewritten_by_a_read(record: Path):
    record.mkdir(parents=True)
    entry = {"notebook": "02", "exercise": "q1", "status": "pass", "time": "2026-01-01T00:00Z"}
    good = json.dumps(entry)
    (record / RECORD_NAME).write_bytes(
        good.encode() + b"\n{not json\n\xff\xfe garbage\n" + b'{"notebook": 2}\n'
    )
    assert nb02.q3.check(2.3415) is Status.PASS  # appending to a damaged record still works
    report = gdcourse.progress()
    assert "note:" in str(report) and "2 damaged line(s) skipped" in str(report)
    assert "1 line(s) from another version" in str(report)  # {"notebook": 2}: kept
    assert report.totals("02")["passed"] == 2
    assert not list(record.glob("progress.*-*.jsonl"))  # a read sets nothing aside
    assert b"garbage" in (record / RECORD_NAME).read_bytes()
    found = read_record()
    assert found.damaged == 2 and found.unknown == 1
    assert [e["exercise"] for e in found.entries] == ["q1", "q3"]


def test_an_unwritable_folder_falls_back_with_one_note(
    record: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text("a file where the folder should be")
    assert nb02.q3.check(2.3415) is Status.PASS
    assert nb02.q3.check(2.3415) is Status.PASS
    assert "progress saved in" in capsys.readouterr().err  # said once, not per check
    saved = tmp_path / "fallback" / RECORD_NAME
    assert len(saved.read_text().splitlines()) == 2
    assert [e["exercise"] for e in read_record().entries] == ["q3", "q3"]


def test_read_only_everywhere_never_stops_a_check(
    record: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if str(path).endswith(RECORD_NAME):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(record_module.os, "open", refuse)
    assert nb02.q3.check(2.3415) is Status.PASS
    assert record_check("02", "q3", "pass") is None
    err = capsys.readouterr().err
    assert err.count("progress not saved") == 1 and "Permission denied" in err


def test_default_folder_is_the_users_data_folder(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(PROGRESS_ENV)
    monkeypatch.setenv("XDG_DATA_HOME", "/somewhere")
    first = record_dirs()[0]
    if os.name == "posix" and "darwin" not in os.sys.platform:
        assert first == Path("/somewhere/gdcourse")


def test_exercises_defined_outside_a_set_are_not_recorded(record: Path):
    from gdcourse.exercises import ValueExercise

    ex = ValueExercise("t", expected=1.0)
    assert ex.where is None
    ex.check(1.0)
    assert not (record / RECORD_NAME).exists()


def test_report_joins_catalogue_and_record():
    found = Record(
        entries=[
            {"notebook": "01", "exercise": "q1", "status": "fail", "time": "1"},
            {"notebook": "01", "exercise": "q1", "status": "pass", "time": "2"},
            {"notebook": "01", "exercise": "q2", "status": "error", "time": "3"},
        ]
    )
    report = build_report([("01", "q1", "A"), ("01", "q2", "B"), ("01", "q3", "C")], found)
    assert [e.state for e in report.exercises] == ["passed", "attempted", "not yet"]
    assert report.exercises[0].checks == 2 and report.exercises[0].last == "2"
