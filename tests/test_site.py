"""The course website: built from the committed notebooks, complete offline.

The unit tests check how pages are prepared and the PDF's print page. The browser test builds
the site, serves it on 127.0.0.1 and reads every page in headless Chromium with every
non-loopback request blocked: no request may fail, no console error, no critical or serious
accessibility violation (axe-core), math rendered, every image decoded, no Markdown table left
as raw "| a | b |" text, no prose swallowed by maths (a bare "$"), every figure with alt text
that describes it (checked last: it needs notebooks executed with ``gdcourse.setup()``
describing figures); an animation's Play button changes its frame, an explorer's slider
changes its plot (served and from ``file://``), and search finds "Nesterov". Screenshots land
in ``build/site-screenshots/`` for a person to look at. Another browser test prints the PDF.
"""

from __future__ import annotations

import base64
import functools
import html
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest
from browser_tools import CHROMIUM, LAUNCH_ARGS, Deadline, axe_violations, require_chromium
from test_prose_dollars import LATEX, PROSE

from gdcourse import about
from gdcourse.commands.site import build_site
from gdcourse.commands.site.build import SiteBuildError, _remote_assets
from gdcourse.commands.site.pages import (
    LIVE_NOTE,
    NotebookPage,
    landing_page,
    prepare_notebook,
    readme_sections,
)

REPO = Path(__file__).resolve().parents[1]
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"0" * 16).decode("ascii")


def _widget_notebook(path: Path, with_snapshot: bool = True) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "# 00 · Welcome\n\n**By the end of this notebook you will**\n- learn one thing\n"
            "  that spans two lines;\n- and another.\n"
        ),
        nbformat.v4.new_code_cell("box"),
    ]
    view = {"model_id": "box", "version_major": 2, "version_minor": 0}
    nb.cells[1].outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"application/vnd.jupyter.widget-view+json": view, "text/plain": "VBox()"},
        )
    ]
    image = {"model_name": "ImageModel", "state": {}}
    if with_snapshot:
        image["buffers"] = [{"path": ["value"], "encoding": "base64", "data": PNG}]
    state = {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_img"]}},
        "img": image,
    }
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {"state": state, "version_major": 2}
    }
    target = path / "00_welcome.ipynb"
    nbformat.write(nb, target)
    return target


def test_widget_outputs_become_their_snapshot(tmp_path):
    page = prepare_notebook(_widget_notebook(tmp_path), tmp_path / "out" / "00_welcome.ipynb")
    nb = nbformat.read(tmp_path / "out" / "00_welcome.ipynb", as_version=4)
    outputs = nb.cells[2].outputs
    assert outputs[0].data["image/png"] == PNG
    assert outputs[1].data["text/markdown"] == LIVE_NOTE
    assert "widgets" not in nb.metadata and page.widgets_replaced == 1
    assert page.objectives == ["learn one thing that spans two lines;", "and another."]
    assert about.colab_url("00_welcome.ipynb") in nb.cells[1].source


def test_a_widget_without_a_snapshot_is_an_error_naming_the_notebook(tmp_path):
    source = _widget_notebook(tmp_path, with_snapshot=False)
    with pytest.raises(ValueError, match="00_welcome.ipynb.*re-execute"):
        prepare_notebook(source, tmp_path / "out" / "00_welcome.ipynb")


def test_landing_page_links_every_notebook_and_keeps_no_remote_image():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    sections = readme_sections(readme)
    assert "Quick start" in sections
    pages = [NotebookPage(name, title, m, ["an aim"], 0) for name, title, m in about.COURSE]
    text = landing_page(readme, pages, ["docs/guide"])
    for name, title, time in about.COURSE:
        assert f"(notebooks/{name.removesuffix('.ipynb')}.ipynb)" in text and title in text
        assert f"**{time}** · [Colab]" in text
    assert "![" not in text  # README's badges became plain links
    assert "```{toctree}" in text and "docs/guide" in text


def test_a_link_to_a_readme_section_left_out_goes_to_the_readme():
    readme = "# T\n\nIntro, see [Offline](#offline-and-workshops) and [V](#verified-on).\n\n"
    readme += "## Offline and workshops\n\nText.\n\n## Verified on\n\nStacks.\n"
    text = landing_page(readme, [], [])
    assert "[Offline](#offline-and-workshops)" in text
    assert f"[V]({about.REPO_URL}/blob/main/README.md#verified-on)" in text


def test_remote_assets_are_found(tmp_path):
    (tmp_path / "a.html").write_text(
        '<a href="https://example.org">fine</a>\n<img src="https://cdn.example/x.png">\n'
        '<link rel="stylesheet"\nhref="https://cdn.example/font.css">',
        encoding="utf-8",
    )
    found = _remote_assets(tmp_path)
    assert len(found) == 2 and all(line.startswith("a.html") for line in found)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    try:
        report = build_site(out_dir=tmp_path_factory.mktemp("site") / "site")
    except SiteBuildError as error:
        pytest.fail(str(error))
    print(report)
    return report.out_dir


@pytest.mark.slow  # builds the site (Sphinx)
def test_site_has_a_page_per_notebook_and_the_guides(site):
    for name, _, _ in about.COURSE:
        assert (site / "notebooks" / name.replace(".ipynb", ".html")).is_file()
    for guide in (REPO / "docs").glob("*.md"):
        assert (site / "docs" / f"{guide.stem}.html").is_file()
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Offline" in index and "colab.research.google.com" in index


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(site):
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# Text a reader sees outside code: a "|---|---|" row means a Markdown table was not rendered.
RAW_PIPE_TABLE = """() => {
    const body = document.querySelector('main') || document.body;
    const copy = body.cloneNode(true);
    copy.querySelectorAll('pre, code, script, style').forEach(el => el.remove());
    const found = copy.textContent.match(/.{0,80}\\|\\s*:?-{3,}:?\\s*\\|.{0,40}/s);
    return found ? found[0] : null;
}"""

# Inline maths as Sphinx writes it, before MathJax typesets it.
MATH_SPAN = re.compile(r'<span class="math notranslate nohighlight">\\\((.*?)\\\)</span>', re.S)


def _prose_in_maths(html: str) -> list[str]:
    """Maths spans that read like a sentence: a "$" in prose that opened maths."""
    return [m[:80] for m in MATH_SPAN.findall(html) if PROSE.search(LATEX.sub(" ", m))]


# Figures in notebook outputs whose alt text is missing or says nothing: empty, matplotlib's
# "<Figure size ...>",
# a file name (what Sphinx writes when there is none) or a few words.
GENERIC_ALT = """() => [...document.querySelectorAll('.cell_output img')].filter(img => {
    const alt = (img.getAttribute('alt') || '').trim();
    const file = /^\\S+\\.(png|jpe?g|gif|svg)$/i;
    return alt.length < 25 || alt.startsWith('<Figure') || file.test(alt);
}).map(img => `${(img.getAttribute('src') || '').slice(0, 50)} alt=${img.getAttribute('alt')}`)"""

# An explorer's Plotly figure once drawn: milliseconds since the page's navigation started.
EXPLORER_READY = """() => {
    const plot = document.querySelector('.gd-explorer .js-plotly-plot');
    return plot && plot._fullLayout ? performance.now() : null;
}"""
EXPLORER_DATA = """() => JSON.stringify(
    document.querySelector('.gd-explorer .js-plotly-plot').data.map(t => [t.x, t.y]))"""


def _move_explorer_slider(page, url: str) -> float:
    """Open ``url``, wait for its explorer, click its slider near the right end and check that
    the plotted data changed; returns the time from navigation to the drawn figure (ms)."""
    page.goto(url, wait_until="load")
    ready = page.wait_for_function(EXPLORER_READY).json_value()
    before = page.evaluate(EXPLORER_DATA)
    rail = page.locator(".gd-explorer .slider-rail-touch-rect").first
    rail.scroll_into_view_if_needed()
    box = rail.bounding_box()
    assert box is not None, f"{url}: the explorer has no slider"
    page.mouse.click(box["x"] + 0.85 * box["width"], box["y"] + box["height"] / 2)
    page.wait_for_function(f"before => ({EXPLORER_DATA})() !== before", arg=before)
    return ready


IMAGES_DECODED = """async () => Promise.all([...document.images].map(img => {
    img.loading = 'eager';
    return img.decode().then(() => img.naturalWidth, () => 0);
}))"""


@pytest.mark.browser
def test_every_page_works_offline(served, site):
    require_chromium()
    from playwright.sync_api import sync_playwright

    pages = sorted(
        str(p.relative_to(site))
        for p in site.rglob("*.html")
        if not p.relative_to(site).parts[0].startswith("_")  # theme templates, sources
    )
    blocked, failed, errors, inaccessible, no_alt = [], [], [], [], []
    shots = REPO / "build" / "site-screenshots"
    shots.mkdir(parents=True, exist_ok=True)

    def route(r):
        url = urlparse(r.request.url)
        if url.scheme == "file" or url.hostname in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    with Deadline(240), sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True, timeout=30_000
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(20_000)
            page.route("**/*", route)
            page.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
            page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.url} {r.status}"))
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
            for name in pages:
                page.goto(f"{served}/{name}", wait_until="load")
                widths = page.evaluate(IMAGES_DECODED)
                assert all(w > 0 for w in widths), f"{name}: an image did not decode"
                prose = _prose_in_maths((site / name).read_text(encoding="utf-8"))
                assert not prose, f"{name}: a dollar sign turned prose into maths: {prose}"
                inaccessible += [f"{name}: {v}" for v in axe_violations(page)]
                no_alt += [f"{name}: {img}" for img in page.evaluate(GENERIC_ALT)]
                raw = page.evaluate(RAW_PIPE_TABLE)
                assert raw is None, f"{name}: a Markdown table shows as raw text: {raw!r}"
                if page.locator("div.math, span.math").count():
                    page.wait_for_selector("mjx-container", state="attached")
            # math typeset on the update-rule page
            page.goto(f"{served}/notebooks/01_update_rule.html", wait_until="load")
            page.wait_for_function("() => document.querySelectorAll('mjx-container').length > 5")
            page.screenshot(path=str(shots / "01_update_rule.png"))
            # an animation plays
            animated = [n for n in pages if "_anim_img" in (site / n).read_text(encoding="utf-8")]
            assert animated, "no page holds an animation"
            page.goto(f"{served}/{animated[0]}", wait_until="load")
            frame = page.locator("img[id^='_anim_img']").first
            frame.scroll_into_view_if_needed()
            before = frame.get_attribute("src")
            page.locator("button[aria-label='Play']").first.click()
            page.wait_for_function(
                "([el, src]) => el.src !== src", arg=[frame.element_handle(), before]
            )
            page.screenshot(path=str(shots / "animation.png"))
            # the explorers move without a kernel, served and from disk
            first_move = _move_explorer_slider(page, f"{served}/notebooks/01_update_rule.html")
            page.screenshot(path=str(shots / "explorer.png"))
            _move_explorer_slider(page, (site / "notebooks" / "03_momentum.html").as_uri())
            print(f"learning-rate explorer drawn {first_move:.0f} ms after navigation")
            # search works without a server-side index
            page.goto(f"{served}/search.html?q=Nesterov", wait_until="load")
            page.wait_for_function(
                "() => document.querySelectorAll('#search-results li, ul.search li').length > 0"
            )
            hits = page.locator("#search-results li, ul.search li").count()
            page.screenshot(path=str(shots / "search.png"))
            # opened straight from disk (a USB stick): styled, math typeset, images shown
            page.goto((site / "notebooks" / "01_update_rule.html").as_uri(), wait_until="load")
            page.wait_for_function("() => document.querySelectorAll('mjx-container').length > 5")
            assert all(w > 0 for w in page.evaluate(IMAGES_DECODED))
            assert page.evaluate("() => document.styleSheets.length") > 3
            page.goto((site / "index.html").as_uri(), wait_until="load")
            page.screenshot(path=str(shots / "index.png"), full_page=False)
        finally:
            browser.close()
    assert not blocked, f"pages asked the network for: {blocked[:5]}"
    assert not failed, f"failed requests: {failed[:5]}"
    assert not errors, f"console errors: {errors[:5]}"
    assert not inaccessible, "axe-core, critical and serious:\n" + "\n".join(inaccessible[:20])
    assert hits > 0
    # last: it needs the notebooks executed with setup() describing figures
    assert not no_alt, (
        "figures without real alt text (re-execute the notebooks: `python -m gdcourse run "
        "--inplace`, so setup() describes each figure):\n" + "\n".join(no_alt[:10])
    )


def test_print_page_has_a_title_page_contents_and_a_footer_per_part(tmp_path):
    from gdcourse.commands.site.pdf import print_page

    site = tmp_path / "site"
    head = '<head><link rel="stylesheet" href="_static/theme.css"></head>'
    pages = {"index.html": "About", "docs/guide.html": "Guide"}
    pages |= {f"notebooks/{n.replace('.ipynb', '.html')}": t for n, t, _ in about.COURSE}
    for rel, title in pages.items():
        page = site / rel
        page.parent.mkdir(parents=True, exist_ok=True)
        up = "../" * rel.count("/")
        body = (
            f'<article class="bd-article"><h1>{title}</h1><img src="{up}_images/a.png"></article>'
        )
        page.write_text(f"<html>{head}<title>{title} &#8212; Site</title>{body}</html>", "utf-8")
    document, parts = print_page(site)
    assert parts == len(about.COURSE) + 2
    assert document.index('class="gd-title"') < document.index('class="gd-toc"')
    for number, (_, title, _) in enumerate(about.COURSE, start=1):
        assert f'<li><a href="#part{number}">{html.escape(title)}</a></li>' in document
        assert f'@page part{number} {{ @bottom-left {{ content: "{title}"' in document
    assert 'src="_images/a.png"' in document and "../_images" not in document
    assert '<link rel="stylesheet" href="_static/theme.css">' in document


@pytest.mark.browser
def test_the_course_prints_to_one_pdf(site, tmp_path):
    require_chromium()
    from gdcourse.commands.site.pdf import PRINT_PAGE, build_pdf

    report = build_pdf(site, tmp_path / "course.pdf")
    print(report)
    assert report.path.read_bytes().startswith(b"%PDF")
    assert report.parts == len(about.COURSE) + 1 + len(list((REPO / "docs").glob("*.md")))
    assert report.pages > 2 * report.parts  # a title page, contents, then every part
    assert not (site.parent / PRINT_PAGE).exists()  # the print page is removed
