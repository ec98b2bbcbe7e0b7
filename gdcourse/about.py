"""Facts about the course that live in exactly one place."""

from __future__ import annotations

from importlib import metadata

#: The course repository. Notebooks install from it on Colab, the README links to it;
#: ``tests/test_notebook_hygiene.py`` checks that every notebook's setup cell uses this URL.
REPO_URL = "https://github.com/gdcourse/gdcourse"

try:
    __version__ = metadata.version("gdcourse")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
