"""Section introductions: the facilitator's Markdown, rendered by ``markdown``, sanitized by ``nh3``
(an allow-list), then read into a few plain blocks that every renderer writes its own way.

Whatever the Markdown holds (raw HTML, scripts, ``javascript:`` links, images), what comes out is
paragraphs, list items, quotes and code with bold, italic and http(s)/mailto links: nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from html.parser import HTMLParser

import markdown as markdown_lib
import nh3

from workshop.domain.typography import printable

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None


@dataclass
class Paragraph:
    """kind: "p", "heading", "quote", "pre", "item" (a list item: ``depth`` from 0, ``number`` when
    the list is ordered)."""

    kind: str = "p"
    runs: list[Run] = field(default_factory=list)
    depth: int = 0
    number: int | None = None

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


# Python-Markdown's inline patterns are quadratic in unclosed brackets (10,000 "[" took 30 s, the
# whole server waiting) and its block parser recurses once per nested list or quote (a line of
# "1. 1. 1. …" hit Python's recursion limit). An introduction needs a few links and a few levels.
MAX_BRACKETS = 100
MAX_NESTING = 12
_NESTING = re.compile(r"(?:[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|>))")


def too_complex(source: str) -> bool:
    """More brackets or nesting than an introduction needs: the Markdown renderer's worst cases."""
    if source.count("[") > MAX_BRACKETS:
        return True
    for line in source.splitlines():
        depth, position = 0, 0
        while (found := _NESTING.match(line, position)) and found.end() > position:
            depth += 1
            position = found.end()
            if depth > MAX_NESTING:
                return True
    return False


def sanitized_html(source: str) -> str:
    """The Markdown as HTML, through the allow-list. A source past the renderer's safe bounds
    (saved before they were checked) is shown as plain paragraphs, never rendered."""
    text = printable(source)
    if too_complex(text):
        return "".join(f"<p>{escape(part)}</p>" for part in text.split("\n\n") if part.strip())
    try:
        html = markdown_lib.markdown(text, extensions=["sane_lists", "fenced_code"], output_format="html")
    except RecursionError:
        return "".join(f"<p>{escape(part)}</p>" for part in text.split("\n\n") if part.strip())
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


@lru_cache(maxsize=64)
def _parse(source: str) -> tuple[Paragraph, ...]:
    reader = _Reader()
    reader.feed(sanitized_html(source))
    reader.close()
    kept = []
    for paragraph in reader.paragraphs:
        if paragraph.kind != "pre":
            while paragraph.runs and not paragraph.runs[-1].text.strip():
                paragraph.runs.pop()
            if paragraph.runs:
                paragraph.runs[-1].text = paragraph.runs[-1].text.rstrip()
        if paragraph.text.strip():
            kept.append(paragraph)
    return tuple(kept)


def paragraphs(source: str | None) -> list[Paragraph]:
    """The introduction as plain blocks (empty when there is none)."""
    if not source or not source.strip():
        return []
    return list(_parse(source))


@dataclass
class IntroItem:
    """A list item of an introduction, with the lists nested under it."""

    paragraph: Paragraph
    lists: list[IntroList] = field(default_factory=list)


@dataclass
class IntroList:
    ordered: bool
    items: list[IntroItem] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "list"


def outline(source: str | None) -> list[Paragraph | IntroList]:
    """The introduction's blocks with its list items nested in lists again (``paragraphs`` gives
    them flat, with a depth), for a renderer that writes HTML lists: the board's results view."""
    blocks: list[Paragraph | IntroList] = []
    open_lists: list[IntroList] = []  # the lists the last item sits in, outermost first
    for paragraph in paragraphs(source):
        if paragraph.kind != "item":
            open_lists.clear()
            blocks.append(paragraph)
            continue
        ordered = paragraph.number is not None
        del open_lists[paragraph.depth + 1 :]
        if len(open_lists) == paragraph.depth + 1 and open_lists[-1].ordered != ordered:
            open_lists.pop()
        while len(open_lists) < paragraph.depth + 1:
            new = IntroList(ordered)
            if open_lists:
                parent = open_lists[-1]
                if not parent.items:
                    parent.items.append(IntroItem(Paragraph("item")))
                parent.items[-1].lists.append(new)
            else:
                blocks.append(new)
            open_lists.append(new)
        open_lists[-1].items.append(IntroItem(paragraph))
    return blocks


class _Reader(HTMLParser):
    BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[Paragraph] = []
        self.current: Paragraph | None = None
        self.lists: list[list] = []  # [ordered, next number]
        self.bold = self.italic = self.code = 0
        self.href: str | None = None
        self.quote = 0
        self.pre = 0

    def _open(self, kind: str, **fields) -> None:
        self.current = Paragraph(kind=kind, **fields)
        self.paragraphs.append(self.current)

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self.lists.append([tag == "ol", 1])
        elif tag == "li":
            depth = max(0, len(self.lists) - 1)
            number = None
            if self.lists and self.lists[-1][0]:
                number = self.lists[-1][1]
                self.lists[-1][1] += 1
            self._open("item", depth=depth, number=number)
        elif tag == "p":
            if self.current is not None and self.current.kind == "item" and not self.current.runs:
                return  # "<li><p>" of a loose list: the item is the paragraph
            self._open("quote" if self.quote else "p")
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._open("heading")
        elif tag == "pre":
            self.pre += 1
            self._open("pre")
        elif tag == "blockquote":
            self.quote += 1
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "code":
            self.code += 1
        elif tag == "a":
            self.href = dict(attrs).get("href") or None
        elif tag == "br":
            self._text("\n")

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.current = None
        elif tag in self.BLOCKS:
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
            if tag == "blockquote":
                self.quote = max(0, self.quote - 1)
            self.current = None
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("em", "i"):
            self.italic = max(0, self.italic - 1)
        elif tag == "code":
            self.code = max(0, self.code - 1)
        elif tag == "a":
            self.href = None

    def handle_data(self, data):
        if not self.pre:
            data = " ".join(data.split("\n"))
        self._text(data)

    def _text(self, data: str) -> None:
        if not data:
            return
        if self.current is None:
            if not data.strip():
                return
            self._open("quote" if self.quote else "p")
            data = data.lstrip()
        if not self.current.runs and not self.pre:
            data = data.lstrip()
            if not data:
                return
        self.current.runs.append(
            Run(data, bold=self.bold > 0, italic=self.italic > 0, code=self.code > 0, href=self.href)
        )
