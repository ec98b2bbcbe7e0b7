"""The optimizer playground in a real JupyterLab, driven by headless Chromium.

Starts ``jupyter lab`` on 127.0.0.1 (free port, random token) in a temporary folder with a
copy of ``tests/fixtures/playground.ipynb.json``, opens the notebook with Playwright in
Debian's ``/usr/bin/chromium``, runs all cells, moves the learning-rate slider with the
keyboard and checks that the rendered plot (the ``<img>`` of the ipywidgets Image) and the
readout table change. Skipped when Chromium, Playwright or JupyterLab is missing, unless
``GDCOURSE_REQUIRE_BROWSER=1`` (then it fails). Install the browser with
``.ci/browser-deps.sh``. Everything is bounded by timeouts; the server's process group is
always killed.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser_tools import CHROMIUM, LAUNCH_ARGS, Deadline, has_module, require

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).parent / "fixtures" / "playground.ipynb.json"
REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


def _wait_for_server(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"jupyter lab exited early with code {proc.returncode}")
        try:
            with _DIRECT.open(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"jupyter lab did not answer {url} within {timeout:.0f} s")


@pytest.fixture
def lab_server(tmp_path):
    require(CHROMIUM.exists(), f"{CHROMIUM} is missing (run .ci/browser-deps.sh as root)")
    require(shutil.which("jupyter-lab", path=str(Path(sys.executable).parent)) is not None
             or has_module("jupyterlab"), "jupyterlab is not installed")  # fmt: skip
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(FIXTURE, root / "playground.ipynb")
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    }
    cmd = [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}", "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.expose_app_in_browser=True", "--LabApp.extension_manager=readonly",
    ]  # fmt: skip
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI containers run as root
        cmd.append("--allow-root")
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)  # fmt: skip
    try:
        _wait_for_server(f"http://127.0.0.1:{port}/api/status?token={token}", proc, 40)
        yield f"http://127.0.0.1:{port}", token
    except Exception:
        print((tmp_path / "server.log").read_text(errors="replace")[-3000:])
        raise
    finally:
        _stop(proc)
        log.close()


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the server's process group (server and kernels), then SIGKILL if needed."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


RUN_ALL = "() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }"
# True while some code cell waits to run and none is running: (re)start "run all" then.
NEEDS_RUN = """() => {
    const prompts = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')]
        .map(p => p.textContent);
    return !prompts.some(p => p.includes('*')) && prompts.some(p => !/\\[\\d+\\]/.test(p));
}"""


def _run_all_and_wait_for_widget(page, tmp_path: Path, timeout: float = 90.0):
    """Run all cells and wait for the playground's <img>.

    ``notebook:run-all-cells`` acts on the *current* notebook, which JupyterLab only knows
    once the notebook has focus, so the notebook is clicked first and the command repeated
    while, 5 s after a try, some code cell has not run and none is running. A "Select
    Kernel" dialog, which JupyterLab sometimes shows although the notebook names its
    kernel, is accepted (its default is the notebook's kernel). The command is started
    without awaiting its promise, because ``page.evaluate`` has no timeout.
    """
    deadline = time.monotonic() + timeout
    last_try = -1e9
    while time.monotonic() < deadline:
        image = page.query_selector("img.widget-image")
        if image is not None and image.is_visible():
            return image
        dialog = page.query_selector(".jp-Dialog .jp-mod-accept")
        if dialog is not None and dialog.is_visible():
            dialog.click()
            last_try = -1e9
        elif time.monotonic() - last_try > 5 and page.evaluate(NEEDS_RUN):
            page.click(".jp-NotebookPanel .jp-Cell .jp-InputPrompt")
            page.evaluate(RUN_ALL)
            last_try = time.monotonic()
        page.wait_for_timeout(300)
    page.screenshot(path=str(tmp_path / "no-widget.png"))
    raise AssertionError(
        f"the playground never appeared; screenshot and server log in {tmp_path}; "
        f"page text: {page.inner_text('body')[-1500:]!r}"
    )


def test_playground_slider_changes_the_plot(lab_server, tmp_path):
    require(has_module("playwright"), "the playwright Python package is not installed")
    from playwright.sync_api import sync_playwright

    base, token = lab_server
    with Deadline(180), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS,
                                     headless=True, timeout=30_000)  # fmt: skip
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(45_000)
            page.goto(f"{base}/lab/tree/playground.ipynb?token={token}")
            page.wait_for_selector(".jp-NotebookPanel .jp-Cell", state="attached")
            page.wait_for_function(
                "() => window.jupyterapp && document.querySelector("
                "'.jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status=\"idle\"]')"
            )
            image = _run_all_and_wait_for_widget(page, tmp_path)
            page.wait_for_function(
                "el => el.src && el.naturalWidth > 100", arg=image, timeout=30_000
            )
            src_before = image.get_attribute("src")
            readout = page.locator(".gd-readout")
            text_before = readout.inner_text()

            slider = page.locator(".widget-slider", has_text="learning rate").first
            handle = slider.locator(".noUi-handle, .ui-slider-handle").first
            handle.focus()
            for _ in range(6):  # 6 steps of 0.05 in log10: 1e-3 -> 2e-3
                handle.press("ArrowRight")
            page.wait_for_function(
                "([el, before]) => el.src && el.src !== before", arg=[image, src_before],
                timeout=30_000,
            )  # fmt: skip
            page.wait_for_function(
                "before => { const r = document.querySelector('.gd-readout');"
                " return r && r.innerText !== before; }",
                arg=text_before,
            )
            readout_value = slider.locator(".widget-readout").first.inner_text()
            assert float(readout_value) == pytest.approx(2e-3, rel=0.05)
            page.wait_for_function(  # the new PNG decodes to a real picture
                "el => el.complete && el.naturalWidth > 100", arg=image, timeout=15_000
            )
            assert "SGD" in readout.inner_text() and readout.inner_text() != text_before
        finally:
            browser.close()
