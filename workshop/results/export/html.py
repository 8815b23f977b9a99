"""A standalone HTML document made for print (A4 or Letter: the browser's print is the way to a
PDF). No script, no external asset: the style sheet is embedded and the web route allows it by its
hash alone. Every text is escaped; section introductions come from the sanitized blocks."""

from __future__ import annotations

import base64
import hashlib
from html import escape

from workshop.domain.synthesis import Synthesis
from workshop.results.export import Format, plots, richtext
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

CSS = """
:root { --ink: #1b2430; --soft: #5b6675; --line: #c9cfd8; --accent: #0f4c81; --star: #b7791f; }
* { box-sizing: border-box; }
html { background: #e9ecef; }
body { margin: 0; color: var(--ink); font: 11pt/1.5 "Source Serif 4", "Source Serif Pro", Charter, Georgia,
  "DejaVu Serif", serif; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.doc { max-width: 52rem; margin: 2rem auto; padding: 3.5rem 4rem; background: #fff;
  box-shadow: 0 1px 3px rgba(0,0,0,.12), 0 8px 24px rgba(0,0,0,.08); }
h1, h2, h3, h4, h5, th, .subtitle, .facts, .grid { font-family: "Source Sans 3", "Source Sans Pro", "Segoe UI",
  "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
h1, h2, h3, h4, h5 { line-height: 1.25; break-after: avoid; page-break-after: avoid; break-inside: avoid; }
h1 { font-size: 26pt; margin: 0 0 .2em; color: var(--accent); letter-spacing: -.01em; }
h2 { font-size: 17pt; margin: 1.6em 0 .5em; padding-bottom: .2em; border-bottom: 2px solid var(--accent);
  color: var(--accent); }
h3 { font-size: 13pt; margin: 1.4em 0 .4em; }
h4 { font-size: 11.5pt; margin: 1.1em 0 .3em; color: var(--accent); }
h5 { font-size: 10.5pt; margin: .9em 0 .2em; font-style: italic; color: var(--soft); }
p { margin: 0 0 .6em; }
.cover { padding-bottom: 1.2rem; margin-bottom: 1rem; border-bottom: 1px solid var(--line); }
.subtitle { font-size: 15pt; font-weight: 600; margin: 0 0 .6em; }
.meta { color: var(--soft); }
.small { color: var(--soft); font-size: 9pt; margin-top: 1em; }
.quote { margin: 1em 0; padding: .3em 0 .3em 1em; border-left: 4px solid var(--accent); font-style: italic; }
.intro { margin: 0 0 1em; }
.intro blockquote { margin: .5em 0; padding-left: 1em; border-left: 3px solid var(--line); color: var(--soft); }
.intro pre { white-space: pre-wrap; font-size: 9.5pt; background: #f4f5f7; padding: .5em .8em; }
.intro a { color: var(--accent); }
.facts { padding-left: 1.2em; }
.grid { border-collapse: collapse; margin: .6em 0 1.2em; font-size: 10pt; width: 100%; }
.grid th, .grid td { border-bottom: 1px solid var(--line); padding: .3em .5em; text-align: left; vertical-align: top; }
.grid thead th { border-bottom: 2px solid var(--ink); }
.grid tbody th { font-weight: 600; }
.grid .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.grid .total td { font-weight: 700; border-top: 2px solid var(--ink); border-bottom: 0; }
.notes { margin: .2em 0 .8em; padding-left: 1.3em; }
.notes li { margin: 0 0 .35em; break-inside: avoid; page-break-inside: avoid; }
.notes li::marker { color: var(--accent); }
.notes .star { color: var(--star); }
.notes .marks { color: var(--soft); font-size: 9pt; }
.notes .marks a { color: inherit; }
ol.annex { padding-left: 3.2em; font-size: 10pt; }
ol.annex li::marker { font-variant-numeric: tabular-nums; color: var(--soft); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.page-break { break-before: page; page-break-before: always; }
.terms { list-style: none; margin: .3em 0 1em; padding: 0; display: flex; flex-wrap: wrap; gap: .3em .5em;
  font-family: "Source Sans 3", "Source Sans Pro", "Segoe UI", "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
.terms li { padding: .1em .55em; border: 1px solid var(--line); border-radius: 999px; font-size: 10pt; }
.terms .count { color: var(--accent); font-weight: 700; font-variant-numeric: tabular-nums; }
.chart { margin: .8em 0 .2em; break-inside: avoid; page-break-inside: avoid; }
.chart svg { display: block; width: 100%; height: auto; max-height: 12cm; }
.chart figcaption { font-family: "Source Sans 3", "Source Sans Pro", "Segoe UI", Arial, "DejaVu Sans", sans-serif;
  font-weight: 600; color: var(--accent); margin: 0 0 .3em; }
.photo { margin: .4em 0 1.2em; break-inside: avoid; page-break-inside: avoid; }
.photo img { display: block; width: auto; height: auto; max-width: 100%; max-height: 15cm; border: 1px solid var(--line); }
.photo figcaption { color: var(--soft); font-size: 9pt; margin-top: .3em; }
@page { margin: 18mm 17mm 20mm;
  @bottom-center { content: counter(page) " / " counter(pages); font: 9pt sans-serif; color: #5b6675; } }
@media print {
  html { background: none; }
  .doc { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  h2:first-of-type { margin-top: 1em; }
  a { text-decoration: none; }
}
@media screen and (max-width: 40rem) { .doc { margin: 0; padding: 1.5rem 1.2rem; } }
""".strip()

# Allows the embedded style sheet and nothing else (see workshop.results.routes).
STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode("ascii")
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src '{STYLE_HASH}'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def _text(text: str) -> str:
    return escape(text).replace("\n", "<br>\n")


def _note(line: NoteLine, w, numbered: bool) -> str:
    attributes = ""
    if numbered and line.number is not None:
        attributes += f' value="{line.number}"'
    if line.anchor:
        attributes += f' id="{escape(line.anchor)}"'
    star = f'<span class="star" title="{escape(w["star"])}">★</span> ' if line.star else ""
    marks = [escape(m) for m in line.marks]
    if line.cite is not None:
        marks.append(f'<a href="#n{line.cite}">{escape(w.cite(line.cite))}</a>')
    small = f' <span class="marks">— {" · ".join(marks)}</span>' if marks else ""
    return f"<li{attributes}>{star}{_text(line.text)}{small}</li>"


def _figure(figure: Figure) -> str:
    """The photo inside the file (a data: address, which the document's policy allows): the page
    prints and travels alone."""
    data = base64.b64encode(figure.jpeg).decode("ascii")
    caption = escape(figure.caption)
    return (
        f'<figure class="photo"><img src="data:image/jpeg;base64,{data}" alt="{caption}" '
        f'width="{int(figure.width)}" height="{int(figure.height)}"><figcaption>{caption}</figcaption></figure>'
    )


def _grid(grid: Grid, caption: str | None = None) -> str:
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if n else ""}>{escape(h)}</th>' for h, n in zip(grid.header, grid.numeric))
    rows = []
    for index, row in enumerate(grid.rows):
        total = grid.total and index == len(grid.rows) - 1
        cells = "".join(
            f'<th scope="row">{escape(c)}</th>' if i == 0 and not total else f"<td{num if n else ''}>{escape(c)}</td>"
            for i, (c, n) in enumerate(zip(row, grid.numeric))
        )
        rows.append(f'<tr class="total">{cells}</tr>' if total else f"<tr>{cells}</tr>")
    shown = f'<caption class="visually-hidden">{escape(caption)}</caption>' if caption else ""
    return f'<table class="grid">{shown}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _terms(terms: Terms) -> str:
    items = "".join(
        f'<li>{escape(term)} <span class="count">{escape(shown)}</span></li>' for term, _count, shown in terms.items
    )
    return f'<ul class="terms" aria-label="{escape(terms.label)}">{items}</ul>'


def _plot(plot: Plot, w) -> str:
    """The chart as inline SVG (drawn, then cleaned on an allow-list: no script, no style), its
    data as a table after it: for a screen reader, and to copy."""
    words = plots.Words(plot.title, tuple(plot.categories), tuple(plot.series), plot.value_label)
    drawing = plots.svg(plot.chart, words)
    return (
        f'<figure class="chart" data-chart="{escape(plot.chart.kind)}"><figcaption>{escape(plot.title)}</figcaption>'
        f"{drawing}</figure>\n" + _grid(plot.grid, f"{w['chart_data']} – {plot.title}")
    )


def _runs(paragraph: richtext.Paragraph) -> str:
    parts = []
    for run in paragraph.runs:
        shown = escape(run.text)
        if run.code:
            shown = f"<code>{shown}</code>"
        if run.bold:
            shown = f"<strong>{shown}</strong>"
        if run.italic:
            shown = f"<em>{shown}</em>"
        if run.href:
            shown = f'<a href="{escape(run.href)}" rel="noopener noreferrer">{shown}</a>'
        parts.append(shown)
    return "".join(parts).replace("\n", "<br>")


def _intro(paragraphs: list[richtext.Paragraph]) -> str:
    out: list[str] = []
    stack: list[str] = []  # open list tags
    for paragraph in paragraphs:
        depth = paragraph.depth + 1 if paragraph.kind == "item" else 0
        tag = "ol" if paragraph.number is not None else "ul"
        while len(stack) > depth or (stack and len(stack) == depth and stack[-1] != tag):
            out.append(f"</{stack.pop()}>")
        while len(stack) < depth:
            stack.append(tag)
            out.append(f"<{tag}>")
        body = _runs(paragraph)
        if paragraph.kind == "item":
            out.append(f"<li>{body}</li>")
        elif paragraph.kind == "heading":
            out.append(f"<p><strong>{body}</strong></p>")
        elif paragraph.kind == "quote":
            out.append(f"<blockquote><p>{body}</p></blockquote>")
        elif paragraph.kind == "pre":
            out.append(f"<pre>{escape(paragraph.text)}</pre>")
        else:
            out.append(f"<p>{body}</p>")
    while stack:
        out.append(f"</{stack.pop()}>")
    return '<div class="intro">' + "\n".join(out) + "</div>"


def render(synthesis: Synthesis) -> bytes:
    w, elements = layout(synthesis)
    body: list[str] = []
    in_cover = True
    for element in elements:
        if isinstance(element, Heading):
            if in_cover and element.level > 0:
                body.append("</header>")
                in_cover = False
            tag = f"h{element.level + 1}"
            classes = ' class="page-break"' if element.page_break else ""
            anchor = f' id="{escape(element.anchor)}"' if element.anchor else ""
            if element.level == 0:
                body.append('<header class="cover">')
            body.append(f"<{tag}{anchor}{classes}>{escape(element.text)}</{tag}>")
        elif isinstance(element, Text):
            body.append(f'<p class="{element.style}">{_text(element.text)}</p>')
        elif isinstance(element, Facts):
            body.append('<ul class="facts">' + "".join(f"<li>{escape(i)}</li>" for i in element.items) + "</ul>")
        elif isinstance(element, Grid):
            body.append(_grid(element))
        elif isinstance(element, Terms):
            body.append(_terms(element))
        elif isinstance(element, Plot):
            body.append(_plot(element, w))
        elif isinstance(element, Notes):
            tag = "ol" if element.numbered else "ul"
            classes = "notes annex" if element.numbered else "notes"
            items = "\n".join(_note(line, w, element.numbered) for line in element.lines)
            body.append(f'<{tag} class="{classes}">\n{items}\n</{tag}>')
        elif isinstance(element, Intro):
            body.append(_intro(element.paragraphs))
        elif isinstance(element, Figure):
            body.append(_figure(element))
    if in_cover:
        body.append("</header>")
    title = escape(f"{w['title']} – {w.text(synthesis.cover.title)}")
    return (
        "<!doctype html>\n"
        f'<html lang="{escape(synthesis.language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{CSS}</style>\n</head>\n"
        f'<body>\n<main class="doc">\n' + "\n".join(body) + "\n</main>\n</body>\n</html>\n"
    ).encode("utf-8")


FORMAT = Format(
    "html",
    "text/html; charset=utf-8",
    render,
    inline=True,
    headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY},
)
