"""The whole course as one PDF, printed from the built site by headless Chromium.

:func:`build_pdf` joins the article of every site page in course order (the landing page,
the notebooks of ``gdcourse.about.COURSE``, the guides) into one print page beside the site,
with a title page and a table of contents that links to each part, and prints it with
Playwright driving Debian's ``/usr/bin/chromium`` (the browser the tests use; nothing is
downloaded). Print CSS (:data:`PRINT_CSS`) wraps long code lines, fits wide tables, hides the
players' controls, and gives every page a footer with its part's title (a CSS named page per
part) and the page number. An animation prints its first frame and an explorer its first
state, each with a line saying where it moves.
"""

from __future__ import annotations

import html
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from gdcourse import about

#: Debian's Chromium (``.ci/browser-deps.sh`` installs it).
CHROMIUM = Path("/usr/bin/chromium")
PRINT_PAGE = ".course-print.html"  # beside the site's folder (never in it), removed after use

PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
        @bottom-right { content: counter(page); font: 9pt sans-serif; color: #555; } }
@page title { @bottom-right { content: none; } }
body { background: white; }
.bd-article { max-width: none !important; padding: 0 !important; }
section.gd-part { break-before: page; }
section.gd-part:first-of-type { break-before: auto; }
pre, code, .highlight pre { white-space: pre-wrap !important; overflow-wrap: anywhere;
                            word-break: break-word; }
div.highlight, div.cell_output, div.output, .output_area { overflow: visible !important; }
table { font-size: 8pt; max-width: 100% !important; table-layout: auto; }
td, th { padding: 1px 4px !important; overflow-wrap: anywhere; }
img { max-width: 100% !important; height: auto; break-inside: avoid; }
figure, .cell_output img, .gd-explorer { break-inside: avoid; }
h1, h2, h3 { break-after: avoid; }
div.cell, div.cell_output { break-inside: auto; }
div.cell_input { break-inside: avoid; }  /* a code cell moves whole to the next page */
.headerlink, .modebar-container, .anim-controls, .anim-state { display: none !important; }
.animation::after { content: "An animation (its first frame): it plays on the course site \
and in the notebook.";
                    display: block; font-style: italic; font-size: 9pt; color: #444; }
.gd-explorer::after { content: "An interactive explorer (its first state): it moves on the \
course site and in the notebook.";
                      display: block; font-style: italic; font-size: 9pt; color: #444; }
.gd-title { break-after: page; page: title; text-align: center; padding-top: 35%; }
.gd-title p { font-size: 13pt; color: #333; }
p.gd-big { font-size: 26pt !important; font-weight: bold; color: #111 !important; }
.gd-toc { break-after: page; } .gd-toc li { font-size: 12pt; margin: 4pt 0; }
"""

_ARTICLE = re.compile(r'<article class="bd-article">(.*?)</article>', re.DOTALL)
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
_STYLESHEET = re.compile(r"<link\b[^>]*\bstylesheet\b[^>]*>")
_HEAD_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)


class PdfBuildError(RuntimeError):
    """The PDF could not be printed; the message says why and what to do."""


@dataclass(frozen=True)
class PdfReport:
    """What :func:`build_pdf` wrote."""

    path: Path
    parts: int
    pages: int
    size_bytes: int
    seconds: float

    def __str__(self) -> str:
        return (
            f"pdf: {self.parts} parts, {self.pages} pages, {self.size_bytes / 1e6:.1f} MB, "
            f"printed in {self.seconds:.1f} s -> {self.path}"
        )


def course_pages(site: Path) -> list[Path]:
    """The site's pages in reading order: landing page, notebooks (COURSE order), guides."""
    pages = [site / "index.html"]
    pages += [site / "notebooks" / name.replace(".ipynb", ".html") for name, _, _ in about.COURSE]
    pages += sorted((site / "docs").glob("*.html")) if (site / "docs").is_dir() else []
    missing = [str(p) for p in pages if not p.is_file()]
    if missing:
        raise PdfBuildError(
            f"the site lacks {missing[:3]}; build it first (python -m gdcourse site)"
        )
    return pages


def _relocate(fragment: str, depth: int) -> str:
    """Make a page's relative ``src``/``href`` work from the site's root."""
    if depth == 0:
        return fragment
    return re.sub(r'(\b(?:src|href)=")((?:\.\./){' + str(depth) + "})", r"\1", fragment)


def print_page(site: Path) -> tuple[str, int]:
    """The HTML of the print page and its number of parts.

    Its relative addresses are the site root's; a ``<base>`` pointing at the site's folder
    lets the page itself live outside that folder, which holds only what the build made.
    """
    pages = course_pages(site)
    index = (site / "index.html").read_text(encoding="utf-8")
    head = index.split("</head>")[0]
    styles = "\n".join(_STYLESHEET.findall(head))
    scripts = "\n".join(
        s
        for s in _HEAD_SCRIPT.findall(head)
        if "mathjax" in s.lower() or "documentation_options" in s
    )
    parts, toc, css = [], [], [PRINT_CSS]
    for number, page in enumerate(pages):
        text = page.read_text(encoding="utf-8")
        article = _ARTICLE.search(text)
        if article is None:
            raise PdfBuildError(f"{page.relative_to(site)} has no <article class='bd-article'>")
        found = _TITLE.search(text)
        if found is None:
            raise PdfBuildError(f"{page.relative_to(site)} has no <title>")
        title = html.unescape(found.group(1)).split(" \u2014 ")[0].strip()
        depth = len(page.relative_to(site).parts) - 1
        name = f"part{number}"
        label = "About the course" if number == 0 else title
        toc.append(f'<li><a href="#{name}">{html.escape(label)}</a></li>')
        quoted = label.replace("\\", "\\\\").replace('"', '\\"')
        css.append(
            f'@page {name} {{ @bottom-left {{ content: "{quoted}"; font: 9pt sans-serif; '
            f"color: #555; }} }}\nsection.{name} {{ page: {name}; }}"
        )
        parts.append(
            f'<section class="gd-part {name}" id="{name}">'
            f"{_relocate(article.group(1), depth)}</section>"
        )
    if "plotly-graph-div" in "".join(parts):
        scripts += '\n<script src="_static/plotly.min.js"></script>'
    title = "Gradient Descent in TensorFlow/Keras"
    core = sum(m.core for _, _, m in about.COURSE)
    optional = sum(m.optional for _, _, m in about.COURSE)
    body = (
        f'<div class="gd-title"><p class="gd-big">{title}</p>'
        f"<p>A hands-on course in {len(about.COURSE)} notebooks: about {core // 60} h "
        f"{core % 60:02d} min of study"
        + (f", {optional // 60} h {optional % 60:02d} min more optional" if optional else "")
        + "</p>"
        f"<p>{about.REPO_URL}</p></div>"
        f'<nav class="gd-toc"><p class="gd-big">Contents</p><ol start="0">{"".join(toc)}</ol></nav>'
        + "\n".join(parts)
    )
    document = (
        f'<!DOCTYPE html><html lang="en" data-theme="light"><head><meta charset="utf-8">'
        f'<base href="{Path(site).resolve().as_uri()}/"><title>{title}</title>'
        f"{styles}\n{scripts}\n<style>{''.join(css)}</style></head>"
        f'<body><main class="bd-main"><div class="bd-content"><article class="bd-article">'
        f"{body}</article></div></main></body></html>"
    )
    return document, len(pages)


_READY = """async () => {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
        await MathJax.startup.promise;
    }
    await Promise.all([...document.images].map(img => {
        img.loading = 'eager';
        return img.decode().catch(() => null);
    }));
    return document.querySelectorAll('mjx-container').length;
}"""


def build_pdf(site: Path, out: Path, *, timeout_s: float = 300.0) -> PdfReport:
    """Print the built ``site`` into the PDF ``out`` (written to a temporary file, then renamed).

    Raises :class:`PdfBuildError` when Chromium or Playwright is missing or printing fails.
    """
    start = time.perf_counter()
    site, out = Path(site).resolve(), Path(out).resolve()
    if not CHROMIUM.exists():
        raise PdfBuildError(f"{CHROMIUM} is missing: install it with .ci/browser-deps.sh (root)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise PdfBuildError('the PDF needs playwright: pip install -e ".[test]"') from error
    document, parts = print_page(site)
    page_file = site.parent / PRINT_PAGE
    page_file.write_text(document, encoding="utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, timeout=60_000,
                args=["--headless=new", "--no-sandbox", "--disable-gpu", "--no-proxy-server"],
            )  # fmt: skip
            try:
                # about A4's printable width, so the explorers' figures are laid out to fit
                page = browser.new_page(viewport={"width": 720, "height": 1000})
                page.set_default_timeout(timeout_s * 1000)
                page.route(
                    "**/*",
                    lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort(),
                )
                page.goto(page_file.as_uri(), wait_until="load")
                page.evaluate(_READY)
                page.pdf(path=str(partial), format="A4", print_background=True,
                         prefer_css_page_size=True, outline=True, tagged=True)  # fmt: skip
            finally:
                browser.close()
        data = partial.read_bytes()
        if not data.startswith(b"%PDF"):
            raise PdfBuildError(f"Chromium wrote no PDF to {partial}")
        os.replace(partial, out)
    finally:
        page_file.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    return PdfReport(out, parts, pages, len(data), time.perf_counter() - start)
