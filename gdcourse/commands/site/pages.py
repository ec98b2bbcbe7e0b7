"""The site's pages: a landing page made from README.md, and notebooks prepared for reading.

A notebook page is the committed notebook with two changes, made to a copy:

- a line under the title with the estimated time and links that open it in Colab and Binder;
- every widget output replaced by the snapshot the widget drew when the notebook was executed
  (the PNG of its ``Image`` child, stored in the notebook's widget state), with a note saying
  where it is live. The site then needs no widget JavaScript, hence no network.

Each figure's alt text on the site is its output's ``text/plain``, which ``gdcourse.setup()``
makes a description of the figure (:func:`gdcourse.plots.describe`): :func:`image_alt_text`
copies it into the cell's ``mystnb.image.alt`` metadata, MyST-NB's own per-cell image option.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from gdcourse import about
from gdcourse.commands.site.explorers import SITE_NOTE, explorer_html

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
LIVE_NOTE = (
    "*A snapshot of an interactive widget. It is live when you run the notebook in "
    "JupyterLab, on Colab or on Binder (links at the top of this page).*"
)

# README badges are remote images; on the site they become plain links (no network).
_BADGE = re.compile(r"\[!\[([^\]]*)\]\([^)]*\)\]\(([^)]*)\)")
_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)")


@dataclass(frozen=True)
class NotebookPage:
    """One course notebook as the site shows it."""

    file: str  # "04_adam.ipynb"
    title: str
    minutes: about.Estimate  # learner time: core and optional minutes
    objectives: list[str]
    widgets_replaced: int


def readme_sections(readme: str) -> dict[str, str]:
    """``{heading: body}`` for each ``## heading`` of README.md; ``""`` holds the intro."""
    sections: dict[str, str] = {}
    heading, lines = "", list[str]()
    for line in readme.splitlines():
        if line.startswith("## "):
            sections[heading] = "\n".join(lines).strip()
            heading, lines = line[3:].strip(), []
        elif not line.startswith("# "):
            lines.append(line)
    sections[heading] = "\n".join(lines).strip()
    return {name: _BADGE.sub(r"[\1](\2)", body) for name, body in sections.items()}


def _objectives(first_cell: str) -> list[str]:
    """The bullet list under "By the end of this notebook you will", joined per item."""
    items: list[str] = []
    inside = False
    for line in first_cell.splitlines():
        if "by the end of this notebook" in line.lower():
            inside = True
            continue
        if not inside:
            continue
        if line.lstrip().startswith(("- ", "* ")):
            items.append(line.strip()[2:].strip())
        elif line.strip() and items and line.startswith((" ", "\t")):
            items[-1] += " " + line.strip()
        elif line.strip():
            break
    return items


def _snapshot(model_id: str, state: dict[str, Any]) -> bytes | None:
    """The PNG of the first ``Image`` model under ``model_id`` in a saved widget state."""
    seen: set[str] = set()
    todo = [model_id]
    while todo:
        current = todo.pop(0)
        if current in seen or current not in state:
            continue
        seen.add(current)
        model = state[current]
        if model.get("model_name") == "ImageModel":
            for buffer in model.get("buffers", []):
                if buffer.get("path") == ["value"]:
                    return base64.b64decode(buffer["data"])
        children = model.get("state", {}).get("children", [])
        todo += [c.removeprefix("IPY_MODEL_") for c in children if isinstance(c, str)]
    return None


def image_alt_text(cell: Any) -> str | None:
    """Give the cell's figure its ``text/plain`` as alt text (MyST-NB's ``mystnb.image.alt``).

    Returns the text used, or None when the cell shows no image or the text is matplotlib's
    generic ``<Figure size ...>`` (the notebook was executed before figures described
    themselves). One image per cell: MyST-NB applies the option to all of a cell's images.
    """
    texts = [
        "".join(output["data"].get("text/plain", ""))
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]
    if len(texts) != 1 or not texts[0].strip() or texts[0].startswith("<Figure size"):
        return None
    options = cell.metadata.setdefault("mystnb", {}).setdefault("image", {})
    options.setdefault("alt", texts[0].strip())
    return options["alt"]


def prepare_notebook(source: Path, target: Path) -> NotebookPage:
    """Write the site's copy of one notebook to ``target`` (see the module docstring)."""
    nb = nbformat.read(source, as_version=4)
    minutes = dict((name, m) for name, _, m in about.COURSE).get(source.name)
    titles = {name: title for name, title, _ in about.COURSE}
    if minutes is None:
        raise ValueError(f"{source.name} is not in gdcourse.about.COURSE; add it there first")
    state = nb.metadata.pop("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    replaced = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                outputs.append(output)
                continue
            png = _snapshot(view["model_id"], state)
            if png is None:
                raise ValueError(
                    f"{source.name}: a widget output has no saved snapshot; re-execute the "
                    "notebook with `python -m gdcourse run --inplace` so its state is stored"
                )
            alt = (
                f"The interactive explorer of the notebook '{titles[source.name]}', "
                "precomputed for the site"
            )
            live = explorer_html(cell.source, alt)
            if live is not None:
                outputs.append(nbformat.v4.new_output("display_data", data={"text/html": live}))
                outputs.append(
                    nbformat.v4.new_output("display_data", data={"text/markdown": SITE_NOTE})
                )
                replaced += 1
                continue
            outputs.append(
                nbformat.v4.new_output(
                    "display_data",
                    data={
                        "image/png": base64.b64encode(png).decode("ascii"),
                        "text/plain": "A snapshot of the interactive explorer of the notebook "
                        f"'{titles[source.name]}', as it was drawn when the notebook was run",
                    },
                )
            )
            outputs.append(
                nbformat.v4.new_output("display_data", data={"text/markdown": LIVE_NOTE})
            )
            replaced += 1
        cell.outputs = outputs
        image_alt_text(cell)
    first = nb.cells[0].source if nb.cells and nb.cells[0].cell_type == "markdown" else ""
    links = (
        f"**Run it yourself:** [Open in Colab]({about.colab_url(source.name)}) · "
        f"[Launch on Binder]({about.binder_url(source.name)})"
    )
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(links))
    nbformat.validator.normalize(nb)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return NotebookPage(source.name, titles[source.name], minutes, _objectives(first), replaced)


def _slug(heading: str) -> str:
    """A heading's anchor as MyST makes it (GitHub's rule): lower case, punctuation dropped."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _link_targets(text: str, on_site: set[str]) -> str:
    """Keep links to pages of the site; send other repository paths to the repository, and
    anchors of README sections the landing page leaves out to README.md there."""
    anchors = {_slug(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}

    def fix(match: re.Match[str]) -> str:
        label, target = match.group(1), match.group(2)
        if target.startswith("#") and target[1:] not in anchors:
            return f"[{label}]({about.REPO_URL}/blob/main/README.md{target})"
        if target.startswith(("http://", "https://", "#", "mailto:")):
            return match.group(0)
        path = target.removeprefix("./").split("#")[0]
        if path in on_site:
            return match.group(0)
        return f"[{label}]({about.REPO_URL}/blob/main/{path})"

    return _LINK.sub(fix, text)


def landing_page(readme: str, pages: list[NotebookPage], guides: list[str]) -> str:
    """The site's ``index.md``: README's introduction, the course with each notebook's time
    and objectives, how to run it, the offline/workshop section, and the table of contents."""
    sections = readme_sections(readme)
    title = next((ln[2:].strip() for ln in readme.splitlines() if ln.startswith("# ")), "Course")
    parts = [f"# {title}", sections.get("", "")]
    parts.append("## The course")
    core = sum(page.minutes.core for page in pages)
    optional = sum(page.minutes.optional for page in pages)
    extra = f", plus {optional} min of optional sections" if optional else ""
    parts.append(
        f"{len(pages)} notebooks, about {core // 60} h {core % 60:02d} min of study in all"
        f"{extra}. Read them here with their committed outputs, or run them yourself (below)."
    )
    for page in pages:
        stem = page.file.removesuffix(".ipynb")
        parts.append(f"### {page.file[:2]} · [{page.title}](notebooks/{stem}.ipynb)")
        line = f"**{page.minutes}** · [Colab]({about.colab_url(page.file)}) · "
        line += f"[Binder]({about.binder_url(page.file)})"
        parts.append(line)
        if page.objectives:
            parts.append("\n".join(f"- {item}" for item in page.objectives))
    for heading in ("Quick start", "Working in JupyterLab", "Colab and Binder"):
        if heading in sections:
            parts.append(f"## {heading}\n\n{sections[heading]}")
    for heading in sections:
        if heading.lower().startswith(("offline", "for instructors")):
            parts.append(f"## {heading}\n\n{sections[heading]}")
    toc = [f"notebooks/{p.file.removesuffix('.ipynb')}" for p in pages] + guides
    parts.append(
        "```{toctree}\n:hidden:\n:maxdepth: 1\n:caption: The course\n\n" + "\n".join(toc) + "\n```"
    )
    on_site = {f"notebooks/{p.file}" for p in pages} | {f"{g}.md" for g in guides}
    text = "\n\n".join(part for part in parts if part) + "\n"
    return _link_targets(text, on_site)
