"""Build the course site: prepare the sources, run Sphinx with warnings as errors, check it.

The Sphinx sources are generated under ``build/site-src/`` (never edited by hand): the landing
page, the prepared notebooks (see :mod:`gdcourse.commands.site.pages`), the guides of ``docs/``
and a ``conf.py``. Sphinx writes to a hidden sibling of the output folder (``build/.site.new-*``),
which replaces ``build/site/`` only when the build succeeded and no page asks for a remote
script, stylesheet, font or image.

**The output folder is never a learner's.** The build only ever replaces a folder that an
earlier build made: each build leaves ``.gdcourse-site.json`` in it, listing every file it
wrote. A folder without that list, or holding a file not on it (a learner's ``notes.md``), is
refused by name before anything is built, and so are ``.``, the checkout itself and a file.

**A kill at any instant leaves a complete site.** The finished folder is swapped with the old
one in one atomic ``renameat2(RENAME_EXCHANGE)`` on Linux (a first build is one ``rename``), so
``build/site`` is at every instant the old complete site or the new one, and stays a real
folder (copied to a USB stick, opened from disk). Where no atomic exchange exists (macOS,
Windows, a filesystem without it) the old site is renamed aside and the new one renamed in;
a kill between the two leaves the old site as ``.site.old-*``, and the next build puts it back
before anything else. The next build also removes the leftovers of a killed build, but only
those its marker proves it made.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from gdcourse import about
from gdcourse._files import checkout_root, current_umask
from gdcourse.commands.site.pages import landing_page, prepare_notebook

#: Sphinx settings of the course site (written into the generated ``conf.py``).
SPHINX_SETTINGS: dict[str, object] = {
    "project": "Gradient Descent in TensorFlow/Keras",
    "author": "The gdcourse team",
    "extensions": [
        "myst_nb",
        "gdcourse.commands.site.offline_math",
        "gdcourse.commands.site.a11y",
        "gdcourse.commands.site.explorers",
    ],
    "html_theme": "sphinx_book_theme",
    "html_title": "Gradient Descent in TensorFlow/Keras",
    "nb_execution_mode": "off",  # the committed outputs are the record; never execute
    "nb_output_stderr": "show",
    # Markdown outputs (00's course table) as MyST, which has tables; CommonMark has none
    "nb_render_markdown_format": "myst",
    "myst_enable_extensions": ["dollarmath", "amsmath"],
    "myst_heading_anchors": 3,
    "exclude_patterns": ["_build", "**.ipynb_checkpoints"],
    "html_theme_options": {
        "repository_url": about.REPO_URL,
        "repository_branch": "main",
        "path_to_docs": "",
        "use_repository_button": True,
        "use_download_button": True,
        "launch_buttons": {
            "colab_url": "https://colab.research.google.com",
            "binderhub_url": "https://mybinder.org",
            "notebook_interface": "jupyterlab",
        },
        "show_navbar_depth": 1,
        "show_toc_level": 2,
    },
    "html_show_sourcelink": False,
    # without it the theme logs "Got invalid theme mode" as a console error on every page
    "html_context": {"default_mode": "light"},
}

# A tag that makes the browser fetch something from another host.
_REMOTE_ASSET = re.compile(
    r"<(?:script|img|source|iframe)\b[^>]*\bsrc=[\"']https?://|"
    r"<link\b[^>]*\bhref=[\"']https?://[^\"']*[\"'][^>]*\brel=[\"']?(?:stylesheet|preload|icon)|"
    r"<link\b[^>]*\brel=[\"']?(?:stylesheet|preload|icon)[\"']?[^>]*\bhref=[\"']https?://|"
    r"@import\s+url\([\"']?https?://",
    re.IGNORECASE,
)


class SiteBuildError(RuntimeError):
    """The site could not be built; the message says which page or warning, and the fix."""


class SiteOutputError(SiteBuildError, ValueError):
    """``out_dir`` names something the build must not replace; nothing was built or changed."""


@dataclass(frozen=True)
class SiteReport:
    """What a build produced."""

    out_dir: Path
    pages: int
    notebooks: int
    widgets_replaced: int
    seconds: float
    size_bytes: int

    def __str__(self) -> str:
        return (
            f"site: {self.pages} pages ({self.notebooks} notebooks, {self.widgets_replaced} "
            f"widget snapshots), {self.size_bytes / 1e6:.1f} MB, built in {self.seconds:.1f} s "
            f"-> {self.out_dir}/index.html"
        )


def repository_root() -> Path:
    """The checkout this package runs from (the folder holding ``notebooks/``)."""
    root = checkout_root()
    if root is None:
        raise SiteBuildError(
            "the site is built from a checkout of the course (git clone, then "
            'pip install -e ".[site]"); this installed copy has no notebooks/ beside it'
        )
    return root


def _conf_py() -> str:
    lines = [
        '"""Generated by gdcourse.commands.site: edit SPHINX_SETTINGS in '
        'gdcourse/commands/site/build.py."""'
    ]
    lines += [f"{name} = {value!r}" for name, value in SPHINX_SETTINGS.items()]
    return "\n".join(lines) + "\n"


def _write_sources(root: Path, src: Path) -> tuple[int, int]:
    if src.exists():
        shutil.rmtree(src)
    (src / "notebooks").mkdir(parents=True)
    pages = []
    for notebook, _, _ in about.COURSE:
        path = root / "notebooks" / notebook
        if not path.is_file():
            raise SiteBuildError(f"notebooks/{notebook} is in gdcourse.about.COURSE but missing")
        pages.append(prepare_notebook(path, src / "notebooks" / notebook))
    guides = []
    for guide in sorted((root / "docs").glob("*.md")) if (root / "docs").is_dir() else []:
        (src / "docs").mkdir(exist_ok=True)
        shutil.copy2(guide, src / "docs" / guide.name)
        guides.append(f"docs/{guide.stem}")
    readme = (root / "README.md").read_text(encoding="utf-8")
    (src / "index.md").write_text(landing_page(readme, pages, guides), encoding="utf-8")
    (src / "conf.py").write_text(_conf_py(), encoding="utf-8")
    return len(pages), sum(page.widgets_replaced for page in pages)


def _remote_assets(out: Path) -> list[str]:
    found = []
    for page in sorted(out.rglob("*.html")):
        if page.relative_to(out).parts[0] == "_static":
            continue  # the theme's template fragments, not pages
        for match in _REMOTE_ASSET.finditer(page.read_text(encoding="utf-8", errors="replace")):
            found.append(f"{page.relative_to(out)}: {match.group(0)[:120]}")
    return found


def build_site(root: Path | None = None, out_dir: Path | None = None) -> SiteReport:
    """Build the static course site into ``out_dir`` (default ``build/site``) and report it.

    Raises :class:`SiteBuildError` on any Sphinx warning (broken cross-reference, missing
    image, ...) or on a page that would load something from the network, and
    :class:`SiteOutputError` (also a ``ValueError``), before building anything, when
    ``out_dir`` is not a folder the build may replace (see :func:`check_out_dir`).
    """
    from sphinx.cmd.build import build_main

    start = time.perf_counter()
    root = Path(root) if root is not None else repository_root()
    out = Path(out_dir) if out_dir is not None else root / "build" / "site"
    out = check_out_dir(out, root)  # refused up front, before anything is built
    clear_leftovers(out)  # a killed build's, proved ours by its marker
    src = root / "build" / "site-src"
    notebooks, widgets = _write_sources(root, src)
    partial = new_site_folder(out)  # a failed build's is removed by the next build
    log = io.StringIO()
    args = ["-b", "html", "-W", "--keep-going", "-q", "-d", str(root / "build" / "site-doctrees")]
    _step("building")
    with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        status = build_main([*args, str(src), str(partial)])
    if status != 0:
        raise SiteBuildError(f"Sphinx failed (warnings are errors):\n{log.getvalue().strip()}")
    remote = _remote_assets(partial)
    if remote:
        listed = "\n".join(remote[:10])
        raise SiteBuildError(f"pages that would need the network (make them local):\n{listed}")
    write_manifest(partial)
    install_site(partial, out)  # atomic: a kill leaves the old site or the new one
    html = [p for p in out.rglob("*.html") if not p.relative_to(out).parts[0].startswith("_")]
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    pages = len([p for p in html if not p.name.startswith(("genindex", "search"))])
    return SiteReport(out, pages, notebooks, widgets, time.perf_counter() - start, size)


# ------------------------------------------------------------- the output folder's safety
#: The file every build leaves in its output folder: ``{"made_by": ..., "files": [...]}``.
MARKER = ".gdcourse-site.json"
_MADE_BY = "gdcourse.commands.site"


def _step(name: str) -> None:
    """Called between the steps of a build's swap (the tests pause here to kill the process)."""


def _marker(folder: Path) -> dict[str, object] | None:
    """The build marker in ``folder``, or ``None`` when there is none (not a build's folder)."""
    path = folder / MARKER
    try:
        if path.is_symlink() or not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("made_by") == _MADE_BY else None


def _ours(folder: Path) -> bool:
    return _marker(folder) is not None


def _files_in(folder: Path) -> set[str]:
    found = set()
    for here, _dirs, files in os.walk(folder):
        for name in files:
            found.add((Path(here) / name).relative_to(folder).as_posix())
    return found


def check_out_dir(out_dir: Path, root: Path) -> Path:
    """``out_dir`` as an absolute path, if the build may write there; else
    :class:`SiteOutputError` naming it. Checked before anything is built.

    Accepted: a folder that does not exist yet, an empty folder, or a folder an earlier build
    made (its ``.gdcourse-site.json`` lists every file in it). Refused: ``.`` (the current
    folder), the checkout or a folder holding it, the generated sources, a file, a symbolic
    link, and any folder holding something the build did not make.
    """
    given = out_dir
    out = Path(os.path.abspath(out_dir))
    real, checkout = Path(os.path.realpath(out)), Path(os.path.realpath(root))
    accepted = (
        "Accepted: a new folder, an empty one, or one an earlier site build made "
        f"(it holds {MARKER})"
    )

    def refuse(why: str) -> SiteOutputError:
        return SiteOutputError(f"`out_dir` {why}. Received: out_dir={str(given)!r}. {accepted}.")

    here = Path(os.path.realpath(os.curdir))
    if real == here or real in here.parents:
        raise refuse("is the current folder (or holds it); the site needs a folder of its own")
    if real == checkout or real in checkout.parents:
        raise refuse(f"is the course checkout {checkout} (or holds it)")
    src = checkout / "build" / "site-src"
    if real == src or src in real.parents:
        raise refuse(f"is inside the generated sources {src}, which every build rewrites")
    if out.is_symlink():
        raise refuse("is a symbolic link; give the folder itself")
    if out.exists() and not out.is_dir():
        raise refuse("names a file, not a folder")
    if out.is_dir():
        present = _files_in(out)
        marker = _marker(out)
        listed = marker.get("files") if marker else None
        made = set(listed) if isinstance(listed, list) else set()
        extra = sorted(present - made - {MARKER})
        if marker is None and present:
            shown = ", ".join(extra[:5]) + (", ..." if len(extra) > 5 else "")
            older = (
                " (it looks like a site an older gdcourse built, before builds marked their "
                "folder: if nothing of yours is in it, delete it once by hand)"
                if ".buildinfo" in present
                else ""
            )
            raise refuse(
                f"holds files an earlier site build did not make ({shown}){older}; the build "
                "only replaces its own output. Choose another folder, or move those files"
            )
        if extra:
            shown = ", ".join(extra[:5]) + (", ..." if len(extra) > 5 else "")
            raise refuse(
                f"holds files added after the last site build ({shown}); move them out of "
                "the site's folder first, or choose another folder"
            )
    return out


def _sibling(out: Path, kind: str) -> str:
    return f".{out.name}.{kind}-"


def new_site_folder(out: Path) -> Path:
    """A fresh hidden folder beside ``out`` for the next build, marked as the build's own."""
    out.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=_sibling(out, "new"), dir=out.parent))
    os.chmod(folder, 0o777 & ~current_umask())
    (folder / MARKER).write_text(json.dumps({"made_by": _MADE_BY, "complete": False}) + "\n")
    return folder


def write_manifest(folder: Path) -> None:
    """Mark ``folder`` as a complete build: its marker lists every file in it."""
    files = sorted(_files_in(folder) | {MARKER})
    data = {"made_by": _MADE_BY, "complete": True, "files": files}
    (folder / MARKER).write_text(json.dumps(data, indent=0) + "\n", encoding="utf-8")


def _exchange(a: Path, b: Path) -> bool:
    """Swap ``a`` and ``b`` atomically (Linux ``renameat2(RENAME_EXCHANGE)``); ``False`` where
    this system or filesystem cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False  # a C library without it
    at_fdcwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def install_site(new: Path, out: Path) -> None:
    """Put the complete site ``new`` at ``out``, so that a kill at any instant leaves the old
    site or the new one there (see the module docstring), then remove the old one."""
    _step("swapping")
    if not os.path.lexists(out):
        os.rename(new, out)
        _step("installed")
        return
    if _exchange(new, out):
        old = new  # the exchange left the old site under the new one's hidden name
        _step("exchanged")
    else:
        old = out.with_name(_sibling(out, "old") + uuid.uuid4().hex[:8])
        os.rename(out, old)
        _step("moved aside")
        os.rename(new, out)
        _step("installed")
    shutil.rmtree(old)
    _step("done")


def clear_leftovers(out: Path) -> list[str]:
    """Undo what a killed build left beside ``out``: put back an old site moved aside when
    ``out`` is missing, then remove the hidden ``.<name>.new-*`` / ``.<name>.old-*`` folders
    that hold this build's marker (or nothing at all). Anything else is left alone.
    Returns what was done."""
    done: list[str] = []
    if not out.parent.is_dir():
        return done
    if not os.path.lexists(out):
        aside = [p for p in out.parent.glob(_sibling(out, "old") + "*") if _complete(p)]
        if aside:
            newest = max(aside, key=lambda p: p.stat().st_mtime)
            os.rename(newest, out)
            done.append(f"put back the site a killed build had moved aside ({newest.name})")
    for kind in ("new", "old"):
        for path in out.parent.glob(_sibling(out, kind) + "*"):
            if path.is_symlink() or not path.is_dir():
                continue
            if _ours(path):
                shutil.rmtree(path)
            elif not any(path.iterdir()):
                path.rmdir()
            else:
                continue
            done.append(f"removed {path.name}, left by a killed build")
    return done


def _complete(folder: Path) -> bool:
    marker = _marker(folder)
    return bool(marker and marker.get("complete"))
