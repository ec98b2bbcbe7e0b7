"""Faults a classroom hits, each answered by the data layer with a fallback or a clear error.

Damaged, truncated, foreign or old-layout cache files; a damaged manifest; a cache folder that
is a file, read-only, or the mirror itself; a mirror that is missing, relative or damaged; a
nonsense ``GDCOURSE_NETWORK_TIMEOUT``; two processes filling one cache at once; and the
workshop recipe of README.md's "Offline and workshops", followed word for word.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from gdcourse.commands.cli import main
from gdcourse.data import (
    DataUnavailableError,
    SettingError,
    load_housing,
    load_prices,
    where_from,
)
from gdcourse.data import housing as housing_module
from gdcourse.data._cache import MANIFEST, read_manifest, store, verified_path
from gdcourse.data.prices import cache_name, check_window

REPO = Path(__file__).resolve().parents[1]
AAPL_CACHE = "prices_AAPL_2018-01-01_2023-01-01.csv"


def _fingerprint(folder: Path) -> dict[str, tuple[str, int, int]]:
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns, p.stat().st_mode)
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both downloads fail at once (as offline), without touching any socket."""
    import sklearn.datasets._california_housing as cal
    import yfinance

    def offline(*args, **kwargs):
        raise OSError("offline (test)")

    monkeypatch.setattr(cal, "_fetch_remote", offline)
    monkeypatch.setattr(yfinance, "download", lambda *a, **k: pd.DataFrame())


@pytest.fixture
def own_mirror(mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the mirror, set as GDCOURSE_MIRROR (so writes would show)."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    for name in ("cal_housing.data", "AAPL.csv"):
        shutil.copyfile(mirror / name, folder / name)
    monkeypatch.setenv("GDCOURSE_MIRROR", str(folder))
    return folder


def _read_only(folder: Path, request: pytest.FixtureRequest) -> None:
    """Make ``folder`` read-only for this process, even as root (a read-only bind mount)."""
    if os.geteuid() != 0:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        request.addfinalizer(lambda: folder.chmod(mode))
    else:
        done = subprocess.run(
            ["mount", "--bind", "-o", "ro", str(folder), str(folder)], capture_output=True
        )
        if done.returncode != 0:
            pytest.skip(f"cannot make a folder read-only as root: {done.stderr!r}")
        request.addfinalizer(lambda: subprocess.run(["umount", str(folder)], check=False))
    probe = folder / ".probe"
    try:
        probe.write_text("x")
    except OSError:
        return
    probe.unlink()
    pytest.skip("the folder stayed writable")


# --- the cache --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "damage", ["truncate", "garbage-listed", "binary-listed", "foreign-unlisted", "empty"]
)
def test_damaged_price_cache_falls_through_to_the_mirror(mirror, cache_dir, damage):
    reference = load_prices()
    path = cache_dir / AAPL_CACHE
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[:3000])
    elif damage == "garbage-listed":  # listed with a matching hash, but not prices
        store(cache_dir, AAPL_CACHE, b"Date,Open\nyesterday,abc\n", rows=1, source="test")
    elif damage == "binary-listed":
        store(cache_dir, AAPL_CACHE, bytes(range(256)) * 10, rows=1, source="test")
    elif damage == "foreign-unlisted":
        manifest = read_manifest(cache_dir)
        del manifest[AAPL_CACHE]
        (cache_dir / MANIFEST).write_text(__import__("json").dumps(manifest))
    else:
        path.write_bytes(b"")
    again = load_prices()
    assert again.attrs["source"] == "mirror"
    pd.testing.assert_frame_equal(again, reference, check_exact=True, check_freq=False)
    assert load_prices().attrs["source"] == "cache", "the cache is repaired"


def test_checksum_valid_cache_from_an_older_layout_is_replaced(mirror, cache_dir):
    old = housing_module.load_housing().rename(columns={"MedHouseVal": "target"})
    store(
        cache_dir, housing_module.CACHE_NAME, old.to_csv(index=False).encode(), rows=1, source="v0"
    )
    frame = load_housing()
    assert frame.attrs["source"] == "mirror" and list(frame.columns)[-1] == "MedHouseVal"
    assert load_housing().attrs["source"] == "cache"


@pytest.mark.parametrize("content", [b'{"a": 1\xff}', b"not json", b"[1, 2]", b'{"x": 3}'])
def test_damaged_manifest_is_named_then_set_aside(mirror, cache_dir, content):
    load_housing()
    (cache_dir / MANIFEST).write_bytes(content)
    source = where_from()[0]
    assert source.source == "mirror"
    assert any(str(cache_dir / MANIFEST) in reason for _, reason in source.skipped)
    with pytest.raises(ValueError, match=re.escape(str(cache_dir / MANIFEST))):
        read_manifest(cache_dir)
    assert load_housing().attrs["source"] == "mirror"
    assert (cache_dir / f"{MANIFEST}.damaged").read_bytes() == content
    assert housing_module.CACHE_NAME in read_manifest(cache_dir), "a fresh manifest is written"
    assert load_housing().attrs["source"] == "cache"


def test_where_from_changes_nothing_on_disk(mirror, cache_dir, capsys):
    load_housing()
    load_prices()
    (cache_dir / AAPL_CACHE).write_bytes(b"damaged")
    before = _fingerprint(cache_dir)
    assert [s.source for s in where_from()] == ["cache", "mirror"]
    assert _fingerprint(cache_dir) == before
    assert main(["doctor", "--no-device"]) == 0
    assert "(skipped cache: fails its sha256 check" in capsys.readouterr().out
    assert _fingerprint(cache_dir) == before


def test_cache_folder_that_is_a_file(mirror, tmp_path, monkeypatch, capsys):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("GDCOURSE_DATA", str(blocked))
    frame = load_housing()
    assert frame.shape == (20640, 9) and frame.attrs["cached"] is None
    assert "cannot write" in frame.attrs["not_cached"]
    assert main(["data"]) == 1
    printed = capsys.readouterr().out
    assert "verified" not in printed and printed.count("NOT cached") == 2


def test_read_only_cache_holding_a_corrupt_file(mirror, cache_dir, request, capsys):
    load_housing()
    (cache_dir / housing_module.CACHE_NAME).write_bytes(b"corrupt")
    _read_only(cache_dir, request)
    frame = load_housing()  # no PermissionError: the mirror answers
    assert frame.attrs["source"] == "mirror" and frame.attrs["cached"] is None
    assert main(["data"]) == 1
    printed = capsys.readouterr().out
    assert "verified" not in printed and "NOT cached: cannot write" in printed


def test_cache_files_follow_the_umask(mirror, cache_dir):
    previous = os.umask(0o022)
    try:
        load_housing()
        assert (cache_dir / housing_module.CACHE_NAME).stat().st_mode & 0o777 == 0o644
        assert (cache_dir / MANIFEST).stat().st_mode & 0o777 == 0o644
        os.umask(0o002)
        load_prices()
        assert (cache_dir / AAPL_CACHE).stat().st_mode & 0o777 == 0o664
    finally:
        os.umask(previous)


@pytest.mark.parametrize("inside", ["", "cache"])
def test_cache_folder_equal_to_the_mirror_is_never_written(own_mirror, monkeypatch, capsys, inside):
    monkeypatch.setenv("GDCOURSE_DATA", str(own_mirror / inside))
    before = _fingerprint(own_mirror)
    assert load_housing().attrs["cached"] is None
    assert load_prices().attrs["not_cached"].endswith("is the mirror, which is read-only")
    assert main(["data"]) == 1
    assert main(["doctor", "--no-device"]) == 1
    printed = capsys.readouterr().out
    assert "GDCOURSE_DATA names the mirror folder" in printed and "All set." not in printed
    assert _fingerprint(own_mirror) == before and sorted(before) == ["AAPL.csv", "cal_housing.data"]


def test_two_processes_fill_one_empty_cache(mirror, cache_dir, tmp_path):
    """Both get correct data, no manifest entry is lost, the cache ends valid."""
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from gdcourse.data import load_housing, load_prices
        from gdcourse.data._cache import store
        go = Path({str(tmp_path / "go")!r})
        while not go.exists():
            time.sleep(0.005)
        tag = sys.argv[1]
        for i in range(25):
            store(Path({str(cache_dir)!r}), f"extra_{{tag}}_{{i}}.csv", f"{{tag}} {{i}}".encode(),
                  rows=1, source="test")
        housing, prices = load_housing(), load_prices()
        print(housing.shape, len(prices), float(prices["Close"].sum()))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", script, tag], env=env, stdout=subprocess.PIPE, text=True
        )
        for tag in ("a", "b")
    ]
    (tmp_path / "go").touch()
    outputs = [child.communicate(timeout=120)[0] for child in children]
    assert [child.returncode for child in children] == [0, 0]
    assert outputs[0] == outputs[1] and outputs[0].startswith("(20640, 9) 1259")
    manifest = read_manifest(cache_dir)
    assert len([n for n in manifest if n.startswith("extra_")]) == 50, "no entry lost"
    for name in manifest:
        assert verified_path(cache_dir, name)
    assert [s.source for s in where_from()] == ["cache", "cache"]
    assert not list(cache_dir.glob("*.tmp")) and not list(cache_dir.glob(".*.tmp"))


# --- the mirror -------------------------------------------------------------------------------


def test_missing_mirror_folder(cache_dir, tmp_path, monkeypatch, no_network, capsys):
    monkeypatch.setenv("GDCOURSE_MIRROR", str(tmp_path / "usb-not-plugged-in"))
    with pytest.raises(DataUnavailableError, match="usb-not-plugged-in, which does not exist"):
        load_housing()
    assert main(["doctor", "--no-device"]) == 1
    printed = capsys.readouterr().out
    assert "All set." not in printed and "usb-not-plugged-in, which does not exist" in printed


def test_relative_mirror_is_taken_from_the_current_folder(
    own_mirror, cache_dir, tmp_path, monkeypatch, no_network
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GDCOURSE_MIRROR", "mirror")
    assert load_prices().attrs["source"] == "mirror"
    monkeypatch.setenv("GDCOURSE_MIRROR", "mirrror")
    with pytest.raises(DataUnavailableError, match="a relative path, taken from the current"):
        load_housing()


@pytest.mark.parametrize(
    ("damage", "match"),
    [
        ("garbage-rows", "not numbers|not a date"),
        ("missing-column", r"no column\(s\) \['Close'\]"),
        ("no-date", "no Date column"),
        ("binary", "Error"),
    ],
)
def test_damaged_mirror_prices(own_mirror, cache_dir, no_network, damage, match):
    path = own_mirror / "AAPL.csv"
    if damage == "garbage-rows":
        path.write_text(path.read_text() + "2024-13-45,abc,,x,1,2\n<html>captive portal</html>\n")
    elif damage == "missing-column":
        frame = pd.read_csv(path).drop(columns=["Close"])
        frame.to_csv(path, index=False)
    elif damage == "no-date":
        path.write_text(path.read_text().replace("Date,", "Day,", 1))
    else:
        path.write_bytes(b"\x00\xff" * 500)
    with pytest.raises(DataUnavailableError, match=match) as caught:
        load_prices()
    assert caught.value.attempts[1][0].startswith("mirror")


def test_a_copied_cache_folder_works_as_a_mirror(mirror, cache_dir, tmp_path, monkeypatch):
    load_housing()
    load_prices()
    stick = tmp_path / "usb"
    shutil.copytree(cache_dir, stick)
    monkeypatch.setenv("GDCOURSE_MIRROR", str(stick))
    monkeypatch.setenv("GDCOURSE_DATA", str(tmp_path / "learner"))
    assert load_housing().attrs["source"] == "mirror"
    assert load_prices().attrs["source"] == "mirror"
    (stick / AAPL_CACHE).write_bytes(b"damaged on the stick")
    monkeypatch.setenv("GDCOURSE_DATA", str(tmp_path / "learner2"))
    source = where_from()[1]
    assert source.source == "network" and "sha256" in source.skipped[-1][1]


@pytest.mark.slow  # runs the README workshop steps in fresh processes
def test_readme_workshop_steps_work_as_written(mirror, tmp_path):
    """Run README.md's workshop block line by line, only /media/usb moved under tmp_path."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Offline and workshops", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    assert blocks, "the section shows the commands to run"
    course = tmp_path / "course"
    course.mkdir()
    usb = tmp_path / "media-usb"
    usb.mkdir()  # the stick, mounted
    (course / ".venv" / "bin").mkdir(parents=True)
    launcher = course / ".venv" / "bin" / "python"  # the course's venv: this interpreter
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    launcher.chmod(0o755)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "GDCOURSE_DATA": str(course / "data"),  # the checkout's data/, here in a copy
        "GDCOURSE_MIRROR": str(mirror),  # the instructor's network, simulated by the mirror
    }
    env.pop("GDCOURSE_NETWORK_TIMEOUT", None)
    learner = False
    for line in "".join(blocks).splitlines():
        command = line.split("#", 1)[0].strip()
        if not command:
            learner = learner or "learner" in line
            continue
        command = command.replace("/media/usb", str(usb))
        if command.startswith("export "):
            name, value = command[len("export ") :].split("=", 1)
            env[name] = value
            env["GDCOURSE_DATA"] = str(tmp_path / "learner" / "data")
            continue
        done = subprocess.run(
            command, shell=True, cwd=course, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        if learner and "gdcourse data" in command:
            assert done.stdout.count("from mirror") == 2, done.stdout
            assert done.stdout.count("verified in the cache") == 2, done.stdout
    assert env["GDCOURSE_MIRROR"].startswith(str(usb)), "the learner points at the stick"


# --- the network timeout ----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "-5", "0", "nan", "inf", "1e9"])
def test_nonsense_network_timeout_is_named(cache_dir, monkeypatch, value, capsys, no_network):
    monkeypatch.delenv("GDCOURSE_MIRROR", raising=False)
    monkeypatch.setenv("GDCOURSE_NETWORK_TIMEOUT", value)
    with pytest.raises(SettingError, match=rf"GDCOURSE_NETWORK_TIMEOUT='{re.escape(value)}'"):
        load_housing()
    with pytest.raises(ValueError, match=r"number of seconds in \(0, 3600\]"):
        load_prices()
    assert main(["data"]) == 2
    assert "GDCOURSE_NETWORK_TIMEOUT" in capsys.readouterr().err


def test_nonsense_timeout_does_not_block_a_local_load(mirror, cache_dir, monkeypatch, capsys):
    monkeypatch.setenv("GDCOURSE_NETWORK_TIMEOUT", "twenty")
    assert load_housing().attrs["source"] == "mirror"
    assert main(["doctor", "--no-device"]) == 1
    assert "GDCOURSE_NETWORK_TIMEOUT='twenty'" in capsys.readouterr().out


# --- tickers ----------------------------------------------------------------------------------


def test_index_tickers_are_accepted(cache_dir, monkeypatch, no_network):
    assert check_window("^gspc", "2020-01-01", "2021-01-01")[0] == "^GSPC"
    assert cache_name(*check_window("^GSPC", "2020-01-01", "2021-01-01")) == (
        "prices_^GSPC_2020-01-01_2021-01-01.csv"
    )
    monkeypatch.delenv("GDCOURSE_MIRROR", raising=False)
    with pytest.raises(DataUnavailableError, match=r"\^GSPC\.csv"):
        load_prices("^GSPC", "2020-01-01", "2021-01-01")
    with pytest.raises(ValueError, match="optional leading '\\^'"):
        load_prices("AA^PL")


def test_an_abandoned_download_never_writes_the_cache(cache_dir, monkeypatch, mirror, capsys):
    """The download answers after the timeout: its frame is dropped, its chatter stays quiet."""
    import logging
    import time

    import yfinance

    monkeypatch.delenv("GDCOURSE_MIRROR")
    monkeypatch.setenv("GDCOURSE_NETWORK_TIMEOUT", "0.5")
    rows = pd.read_csv(mirror / "AAPL.csv", index_col="Date", parse_dates=["Date"]).iloc[:30]
    finished = []

    def late_download(*args, **kwargs):
        time.sleep(1.5)
        logging.getLogger("yfinance").error("late chatter from an abandoned thread")
        print("late print from an abandoned thread")
        finished.append(True)
        return rows

    monkeypatch.setattr(yfinance, "download", late_download)
    with pytest.raises(DataUnavailableError, match="no answer within 0.5 s"):
        load_prices("AAPL", "2018-01-01", "2018-02-01")
    deadline = time.monotonic() + 10
    while not finished and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    assert finished, "the abandoned download finished"
    assert not cache_dir.exists() or not any(cache_dir.glob("*.csv"))
    captured = capsys.readouterr()
    assert "late chatter" not in captured.err
    print("the caller's print still works")
    assert capsys.readouterr().out == "the caller's print still works\n"
