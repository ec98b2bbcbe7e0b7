"""`python -m gdcourse.commands.fork [URL]`: point every address of the repository at a fork.

The repository's address lives in one place, :data:`gdcourse.about.REPO_URL`. The README's
Colab and Binder buttons (``about.readme_table``) and the website's links are derived from it;
the files that cannot import it carry a copy, which this command rewrites:

* ``gdcourse/about.py``: the ``REPO_URL = ...`` line (only when URL is given);
* ``pyproject.toml``'s ``Homepage``, README.md, CONTRIBUTING.md, ``docs/*.md``,
  ``.github/ISSUE_TEMPLATE/*``: every ``github.com/OWNER/NAME``,
  ``colab.research.google.com/github/OWNER/NAME`` and ``mybinder.org/v2/gh/OWNER/NAME``;
* every notebook's setup cell (its source only; outputs and formatting are kept).

The previous address is the one ``pyproject.toml``'s ``Homepage`` names (``tests/
test_repo_url.py`` keeps it equal to ``REPO_URL``). So a fork either runs
``python -m gdcourse.commands.fork https://github.com/ME/gdcourse``, or edits the ``REPO_URL``
line and runs ``python -m gdcourse.commands.fork``. Every file is rewritten atomically.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from gdcourse._files import checkout_root, write_atomically

GITHUB = re.compile(r"^https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?$")
#: Files (globs under the checkout) whose text carries the repository's address.
TEXT_FILES: tuple[str, ...] = (
    "pyproject.toml",
    "README.md",
    "CONTRIBUTING.md",
    "docs/*.md",
    ".github/ISSUE_TEMPLATE/*",
)
_HOMEPAGE = re.compile(r'^Homepage\s*=\s*"([^"]+)"', re.MULTILINE)
_REPO_LINE = re.compile(r'^REPO_URL = "[^"]*"$', re.MULTILINE)


def github_path(url: str) -> str:
    """``"https://github.com/owner/name"`` -> ``"owner/name"``.

    Raises:
        ValueError: ``url`` is not the address of a GitHub repository.
    """
    match = GITHUB.match(url.strip()) if isinstance(url, str) else None
    if not match:
        raise ValueError(
            "`url` must be a GitHub repository's address, https://github.com/OWNER/NAME. "
            f"Received: url={url!r}"
        )
    return match.group(1)


def rewrite_text(text: str, old: str, new: str) -> str:
    """``text`` with every address of repository ``old`` (``owner/name``) pointing at ``new``:
    ``github.com/old``, ``colab.research.google.com/github/old`` and ``mybinder.org/v2/gh/old``,
    never ``old`` as the prefix of a longer name."""
    pattern = re.compile(
        r"(github\.com/|colab\.research\.google\.com/github/|mybinder\.org/v2/gh/)"
        + re.escape(old)
        + r"(?![\w.-])"
    )
    return pattern.sub(lambda m: m.group(1) + new, text)


def previous_url(root: Path) -> str:
    """The address the copies carry now: ``pyproject.toml``'s ``Homepage``."""
    match = _HOMEPAGE.search((root / "pyproject.toml").read_text(encoding="utf-8"))
    if not match:
        raise ValueError(f"{root / 'pyproject.toml'} has no Homepage under [project.urls]")
    return match.group(1)


def _rewrite_notebook(path: Path, old: str, new: str) -> bool:
    import nbformat

    text = path.read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    setup = next((c for c in nb.cells if c.cell_type == "code"), None)
    if setup is None:
        return False
    source = rewrite_text(setup.source, old, new)
    if source == setup.source:
        return False
    setup.source = source
    write_atomically(path, nbformat.writes(nb).encode("utf-8"))
    return True


def fork(url: str | None = None, root: Path | None = None) -> list[Path]:
    """Point every copy of the repository's address at ``url`` (default: ``REPO_URL`` as
    ``about.py`` now has it); return the files changed.

    Raises:
        ValueError: ``url`` (or ``REPO_URL``) is not a GitHub repository's address, or the
            checkout has no ``pyproject.toml`` Homepage to take the previous address from.
    """
    root = root or checkout_root()
    if root is None:
        raise ValueError("not in a source checkout of the course: nothing to rewrite")
    about = root / "gdcourse" / "about.py"
    about_text = about.read_text(encoding="utf-8")
    if url is None:
        current = _REPO_LINE.search(about_text)
        if not current:
            raise ValueError(f'{about} has no `REPO_URL = "..."` line')
        url = current.group(0).split('"')[1]
    new = github_path(url)
    old = github_path(previous_url(root))
    new_url = f"https://github.com/{new}"
    changed = []
    replaced = _REPO_LINE.sub(f'REPO_URL = "{new_url}"', about_text, count=1)
    if replaced != about_text:
        write_atomically(about, replaced.encode("utf-8"))
        changed.append(about)
    if old == new:
        return changed
    files = sorted({p for pattern in TEXT_FILES for p in root.glob(pattern) if p.is_file()})
    for path in files:
        text = path.read_text(encoding="utf-8")
        rewritten = rewrite_text(text, old, new)
        if rewritten != text:
            write_atomically(path, rewritten.encode("utf-8"))
            changed.append(path)
    for path in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        if _rewrite_notebook(path, old, new):
            changed.append(path)
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gdcourse.commands.fork",
        description="Point every address of the course repository at a fork.",
    )
    parser.add_argument(
        "url", nargs="?", help="the fork, https://github.com/OWNER/NAME (default: REPO_URL)"
    )
    args = parser.parse_args(argv)
    try:
        changed = fork(args.url)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    root = checkout_root()
    for path in changed:
        print(f"rewrote {path.relative_to(root) if root else path}")
    print("nothing to rewrite" if not changed else f"{len(changed)} file(s) now point at the fork")
    return 0


if __name__ == "__main__":
    sys.exit(main())
