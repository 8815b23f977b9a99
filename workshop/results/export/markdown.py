"""Markdown (CommonMark with pipe tables). People's text is escaped, so ``**x**``,
``[a](javascript:…)`` or ``<script>`` in a note print literally instead of becoming markup."""

from __future__ import annotations

import re

from workshop.domain.synthesis import Synthesis
from workshop.results.export import Format, richtext
from workshop.results.export.layout import (
    Facts,
    Figure,
    Grid,
    Heading,
    Intro,
    NoteLine,
    Notes,
    Plot,
    Terms,
    Text,
    layout,
)

# Characters that make inline markup anywhere in a line (escapes every CommonMark reader knows).
_INLINE = re.compile(r"([\\`*_\[\]~])")
# "&amp;" would print as "&": an entity is written out; "<" never opens a tag or an autolink.
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What makes a block at the start of a line: heading, quote, list, setext underline, thematic break.
_LINE_START = re.compile(r"^([#>+-]|\d+(?=[.)]))")
_SETEXT = re.compile(r"^=+\s*$")  # a line of "=" under text would make it a heading
_BLANKS = re.compile(r"[ \t\r\n]+")  # not str.split(): it would eat the no-break spaces


def _inline(text: str) -> str:
    return _INLINE.sub(r"\\\1", _ENTITY.sub("&amp;", text)).replace("<", "&lt;")


def _line_start(line: str) -> str:
    if _SETEXT.match(line):
        return "&#61;" + line[1:]
    match = _LINE_START.match(line)
    if not match:
        return line
    token = match.group(1)
    return f"{token}\\{line[len(token) :]}" if token[0].isdigit() else "\\" + line


def escape(text: str, inline: bool = False) -> str:
    """Plain text that reads as itself in any CommonMark renderer; line breaks stay line breaks.
    ``inline``: a piece of a line (its spaces kept, no line-start rules)."""
    if inline:
        return _inline(text)
    lines = [_line_start(_inline(line.strip())) for line in text.split("\n")]
    return "\\\n".join(line for line in lines if line) if len(lines) > 1 else lines[0]


def _heading_text(text: str) -> str:
    # A heading is one line, and a trailing "#" would be read as its closing sequence.
    return _inline(_BLANKS.sub(" ", text).strip()).replace("#", "\\#")


def _marks(line: NoteLine, w) -> str:
    marks = list(line.marks)
    if line.cite is not None:
        marks.append(w.cite(line.cite))
    return " — " + "_" + escape(" · ".join(marks)) + "_" if marks else ""


def _note(line: NoteLine, w, numbered: bool) -> str:
    text = escape(line.text).replace("\\\n", "\\\n   " if numbered else "\\\n  ")
    star = "★ " if line.star else ""
    body = f"{star}{text}{_marks(line, w)}"
    return f"{line.number}. {body}" if numbered and line.number is not None else f"- {body}"


def _figure(figure: Figure) -> str:
    """The photo by its address (a Markdown file holds no picture): shown where the reader can."""
    target = figure.url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
    return f"![{_inline(_BLANKS.sub(' ', figure.caption).strip())}](<{target}>)"


def _cell(text: str) -> str:
    return escape(_BLANKS.sub(" ", text).strip()).replace("|", "\\|") or " "


def _intro(paragraph: richtext.Paragraph) -> str:
    parts = []
    for run in paragraph.runs:
        text = run.text if paragraph.kind == "pre" else " ".join(run.text.split("\n"))
        if paragraph.kind == "pre":
            parts.append(text)
            continue
        shown = escape(text, inline=True) if not run.code else "`" + text.replace("`", "'") + "`"
        if run.bold and shown.strip():
            shown = f"**{shown}**"
        if run.italic and shown.strip():
            shown = f"*{shown}*"
        if run.href:
            target = run.href.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
            shown = f"[{shown}](<{target}>)"
        parts.append(shown)
    text = "".join(parts)
    if paragraph.kind != "pre":
        text = _line_start(text)
    if paragraph.kind == "pre":
        return "```\n" + text.replace("```", "'''").rstrip("\n") + "\n```"
    if paragraph.kind == "heading":
        return f"**{text}**"
    if paragraph.kind == "quote":
        return "> " + text
    if paragraph.kind == "item":
        bullet = f"{paragraph.number}." if paragraph.number is not None else "-"
        return "   " * paragraph.depth + f"{bullet} {text}"
    return text


def render(synthesis: Synthesis) -> bytes:
    w, elements = layout(synthesis)
    blocks: list[str] = []
    for element in elements:
        if isinstance(element, Heading):
            blocks.append("#" * (element.level + 1) + " " + _heading_text(element.text))
        elif isinstance(element, Text):
            text = escape(element.text)
            if element.style in ("subtitle",):
                text = f"**{text}**"
            elif element.style in ("meta", "small"):
                text = f"_{text}_"
            elif element.style == "quote":
                text = "> " + text
            blocks.append(text)
        elif isinstance(element, Facts):
            blocks.append("\n".join(f"- {escape(item)}" for item in element.items))
        elif isinstance(element, Terms):
            blocks.append(" · ".join(f"{escape(term, inline=True)} ({shown})" for term, _count, shown in element.items))
        elif isinstance(element, (Grid, Plot)):
            if isinstance(element, Plot):  # a Markdown file holds no picture: the chart's data
                blocks.append(f"**{escape(w['chart'] + ' – ' + element.title, inline=True)}**")
                element = element.grid
            rows = [element.header] + element.rows
            lines = ["| " + " | ".join(_cell(c) for c in rows[0]) + " |"]
            lines.append("| " + " | ".join("---:" if n else "---" for n in element.numeric) + " |")
            for index, row in enumerate(rows[1:]):
                cells = [_cell(c) for c in row]
                if element.total and index == len(rows) - 2:
                    cells = [f"**{c}**" for c in cells]
                lines.append("| " + " | ".join(cells) + " |")
            blocks.append("\n".join(lines))
        elif isinstance(element, Notes):
            blocks.append("\n".join(_note(line, w, element.numbered) for line in element.lines))
        elif isinstance(element, Intro):
            items, others = [], []
            for paragraph in element.paragraphs:
                if paragraph.kind == "item":
                    items.append(_intro(paragraph))
                    continue
                if items:
                    others.append("\n".join(items))
                    items = []
                others.append(_intro(paragraph))
            if items:
                others.append("\n".join(items))
            blocks.extend(others)
        elif isinstance(element, Figure):
            blocks.append(_figure(element))
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


FORMAT = Format("md", "text/markdown; charset=utf-8", render)
