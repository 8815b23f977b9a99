"""The reading order of the text documents (Markdown, HTML, DOCX): the synthesis tree laid out as a
flat list of headings, paragraphs, note lists and tables, worded in the workshop's language.

Each text renderer writes these few elements its own way, so the three documents hold the same
words in the same order. Strings here are plain text with the document's typography applied;
renderers escape them for their format.

Heading levels: 0 the document's title, 1 the parts (participation, each section, each block, the
annex), 2 a round or a theme, 3 a table or a session, 4 a theme within a table.

Each block's part opens with its key terms (``Terms``); charts (``Plot``: the data of
``workshop.domain.charts`` worded, and the same data as a ``Grid``) come after the participation
table (notes per block), in each World Café block (notes per table and round) and before an Open
Space block's priorities (the dot vote's ranking).

Photos of the tablecloths and flipcharts (``synthesis.photos``, set by
``workshop.photos.writes.illustrate``) come as figures under their table and round, or their
session.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workshop.domain import charts
from workshop.domain.photos import PhotoItem
from workshop.domain.synthesis import BlockPart, NoteGroup, NoteItem, Synthesis, ThemePart
from workshop.results.export import richtext
from workshop.results.export.labels import Wording


@dataclass
class Heading:
    level: int
    text: str
    anchor: str | None = None
    page_break: bool = False  # printed documents start this part on a new page


@dataclass
class Text:
    text: str
    style: str = "body"  # body | subtitle | meta | quote | small


@dataclass
class Facts:
    items: list[str]


@dataclass
class Grid:
    header: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    total: bool = False  # the last row is a total


@dataclass
class NoteLine:
    text: str
    star: bool = False
    marks: list[str] = field(default_factory=list)  # small print after the text
    number: int | None = None  # shown in front (the annex)
    anchor: str | None = None  # this line is the target of citations
    cite: int | None = None  # a citation of the annex entry, shown last in the small print


@dataclass
class Notes:
    lines: list[NoteLine]
    numbered: bool = False


@dataclass
class Intro:
    paragraphs: list[richtext.Paragraph]


@dataclass
class Figure:
    """A photo: the JPEG for the documents that embed it, its address for those that link to it."""

    jpeg: bytes
    width: int
    height: int
    caption: str  # also its alternative text
    url: str


@dataclass
class Terms:
    """A block's key terms, most frequent first: (term, notes that hold it, the count as written)."""

    items: list[tuple[str, int, str]]
    label: str  # the list's name, for a screen reader


@dataclass
class Plot:
    """A chart: its data (drawn by ``workshop.results.export.plots``), its words, then the same as a table."""

    chart: charts.Chart
    title: str
    categories: list[str]
    series: list[str]
    value_label: str
    grid: Grid


Element = Heading | Text | Facts | Grid | Notes | Intro | Figure | Terms | Plot


def photos_of(synthesis: Synthesis) -> list[PhotoItem]:
    """The photos the synthesis carries (none when it was built without them)."""
    return list(synthesis.photos)


class Album:
    """The photos by place, each given out once, worded in the document's language."""

    def __init__(self, photos: list[PhotoItem], w: Wording):
        self.w = w
        self.left = list(photos)

    def take(self, keep) -> list[PhotoItem]:
        taken = [p for p in self.left if keep(p)]
        self.left = [p for p in self.left if not keep(p)]
        return taken

    def caption(self, photo: PhotoItem, round_position: int | None = None, topic_title: str | None = None) -> str:
        return self.w.photo_caption(photo.table, round_position, topic_title)

    def figures(
        self, photos: list[PhotoItem], round_position: int | None = None, topic_title: str | None = None
    ) -> list[Figure]:
        return [Figure(p.jpeg, p.width, p.height, self.caption(p, round_position, topic_title), p.url) for p in photos]


def anchor(number: int) -> str:
    return f"n{number}"


def layout(synthesis: Synthesis) -> tuple[Wording, list[Element]]:
    w = Wording(synthesis.language)
    out: list[Element] = []
    album = Album(photos_of(synthesis), w)
    _cover(synthesis, w, out)
    _participation(synthesis, w, out, len(album.left), {b.id for b in synthesis.quiet_blocks})
    if synthesis.highlights:
        out.append(Heading(1, w["highlights"], "highlights"))
        out.append(Text(w["highlights_intro"], "meta"))
        out.append(Notes([_cited(n, w) for n in synthesis.highlights]))
    for index, section in enumerate(synthesis.sections):
        out.append(Heading(1, w.text(section.title), f"section-{section.id}", page_break=index == 0))
        # Typography on the Markdown source: a run alone cannot see the word before its « : ».
        intro = richtext.paragraphs(w.text(section.intro))
        if intro:
            out.append(Intro(intro))
        for theme in section.themes:
            _theme(theme, w, out)
        if section.notes:
            if section.themes:
                out.append(Heading(2, w["other_notes"]))
            out.append(Notes([_cited(n, w) for n in section.notes]))
        if not section.themes and not section.notes and not intro:
            out.append(Text(w["no_notes"], "meta"))
    if synthesis.themes:
        out.append(
            Heading(1, w["other_themes"] if synthesis.sections else w["themes"], "themes", not synthesis.sections)
        )
        for theme in synthesis.themes:
            _theme(theme, w, out)
    quiet = synthesis.quiet_blocks
    quiet_ids = {b.id for b in quiet}
    for block in synthesis.blocks:
        if block.id not in quiet_ids:
            _block(block, w, out, album)
    if quiet:  # listed once, not a part each saying « Aucune note. »
        out.append(Heading(1, w["quiet_blocks"], "quiet-blocks", page_break=True))
        out.append(Text(w["quiet_blocks_intro"], "meta"))
        out.append(Facts([w.block_when(b.title, b.day, b.part) for b in quiet]))
    if album.left:  # photos of no block of the agenda any more
        out.append(Heading(1, w["photos"], "photos", page_break=True))
        out.extend(album.figures(album.take(lambda p: True)))
    if synthesis.other:
        out.append(Heading(1, w["outside_blocks"], "other", page_break=True))
        out.append(Notes([_cited(n, w) for n in synthesis.other]))
    _annex(synthesis, w, out)
    return w, out


def _cover(s: Synthesis, w: Wording, out: list) -> None:
    cover = s.cover
    out.append(Heading(0, w["title"], "top"))
    out.append(Text(w.text(cover.title), "subtitle"))
    if cover.organiser:
        out.append(Text(w.text(cover.organiser), "meta"))
    when = " · ".join(p for p in (w.dates(cover.dates), w.text(cover.place)) if p)
    if when:
        out.append(Text(when, "meta"))
    if cover.question:
        out.append(Text(w.text(f"« {cover.question} »" if w.french else f"“{cover.question}”"), "quote"))
    out.append(Text(w["cover_note"], "small"))


def _participation(s: Synthesis, w: Wording, out: list, photos: int = 0, quiet: frozenset | set = frozenset()) -> None:
    p = s.participation
    out.append(Heading(1, w["participation"], "participation"))
    facts = [w.count("participants", p.participants), w.count("contributors", p.contributors)]
    visible = w.count("visible", p.visible)
    if p.harvest:
        visible = w.text(w.words["with_harvest"].format(text=visible, n=w.number(p.harvest)))
    facts.append(visible)
    if p.hidden:
        facts.append(w.count("hidden", p.hidden))
    if photos:
        facts.append(w.count("photos", photos))
    out.append(Facts(facts))

    rows = [
        [
            w.block_when(b.title, b.day, b.part),
            w.number(b.notes),
            w.number(b.harvest),
            w.number(b.contributors),
            w.number(b.hidden),
        ]
        for b in p.blocks
        if b.id not in quiet or b.hidden  # a block nothing came of is listed once, at its own place
    ]
    rows.append([w["total"], w.number(p.notes), w.number(p.harvest), w.number(p.contributors), w.number(p.hidden)])
    out.append(
        Grid(
            [w["block"], w["notes"], w["harvest_short"], w["people"], w["hidden"]],
            rows,
            [False, True, True, True, True],
            total=True,
        )
    )
    per_block = charts.notes_per_block(s)
    if per_block is not None and len(per_block.categories) > 1:
        out.append(plot(per_block, w, s))

    # Tables keep their number from block to block (the printed cards): one row per table.
    tables = sorted({g.table for b in p.blocks for g in b.groups if g.kind == "table" and g.table is not None})
    table_blocks = [b for b in p.blocks if any(g.kind == "table" for g in b.groups)]
    if tables and table_blocks:
        out.append(Heading(2, w["by_table"]))
        rows = []
        for number in tables:
            counts = [
                sum(g.notes + g.harvest for g in b.groups if g.kind == "table" and g.table == number)
                for b in table_blocks
            ]
            rows.append([w.table_name(number)] + [w.number(c) for c in counts] + [w.number(sum(counts))])
        out.append(
            Grid(
                [w["table_column"]]
                + [w.text(f"{w.date(b.day)}, {w.part(b.part)}") for b in table_blocks]
                + [w["total"]],
                rows,
                [False] + [True] * (len(table_blocks) + 1),
            )
        )
    if any(f.participants for f in p.by_sector):
        out.append(Heading(2, w["by_sector"]))
        out.append(
            Grid(
                [w["sector"], w["participants_column"]],
                [[w.text(f.name) if f.name else w["no_sector"], w.number(f.participants)] for f in p.by_sector],
                [False, True],
            )
        )


def _line(note: NoteItem, w: Wording) -> NoteLine:
    return NoteLine(text=w.text(note.text), star=note.starred, marks=w.note_marks(note))


def _cited(note: NoteItem, w: Wording) -> NoteLine:
    """A note shown away from where it was written: where it comes from, and its annex number."""
    line = _line(note, w)
    line.marks = [w.origin(note.origin, harvest=note.kind == "harvest")] + line.marks
    line.cite = note.number
    return line


def _theme(theme: ThemePart, w: Wording, out: list) -> None:
    out.append(Heading(2, w.text(theme.title), f"theme-{theme.id}"))
    if theme.notes:
        out.append(Notes([_cited(n, w) for n in theme.notes]))
    else:
        out.append(Text(w["no_notes"], "meta"))


def _group(group: NoteGroup, w: Wording, out: list, level: int) -> None:
    heading = w.group_heading(group)
    if heading:
        out.append(Heading(level, heading))
        meta = w.session_meta(group) if group.kind == "topic" else None
        if meta:
            out.append(Text(meta, "meta"))
        if group.description:
            out.append(Text(w.text(group.description)))
    sub = level + 1 if heading else level
    for theme in group.themes:
        out.append(Heading(sub, w.text(theme.title)))
        out.append(Notes([_line(n, w) for n in theme.notes]))
    if group.notes:
        if group.themes:
            out.append(Heading(sub, w["other_notes"]))
        out.append(Notes([_line(n, w) for n in group.notes]))


def _block(block: BlockPart, w: Wording, out: list, album: Album) -> None:
    out.append(Heading(1, w.text(block.title), f"block-{block.id}", page_break=True))
    out.append(Text(f"{w.when(block.day, block.part)} · {w.method(block.method)}", "meta"))
    if block.description:
        out.append(Text(w.text(block.description)))
    if block.terms:
        out.append(Heading(2, w["key_terms"], f"terms-{block.id}"))
        out.append(Text(w["key_terms_intro"], "meta"))
        out.append(Terms([(w.text(t.term), t.count, w.number(t.count)) for t in block.terms], w["key_terms"]))
    by_table = charts.participation(block)
    if by_table is not None:
        out.append(plot(by_table, w))
    for round_ in block.rounds:
        out.append(Heading(2, w.round_heading(round_), f"round-{round_.id}"))
        if not round_.groups:
            out.append(Text(w["no_notes"], "meta"))
        for group in round_.groups:
            _group(group, w, out, 3)
            if group.kind == "table":
                taken = album.take(lambda p: p.round == round_.id and p.table == group.table and p.topic is None)
                out.extend(album.figures(taken, round_.position))
        # Tables photographed where nobody wrote a note in this round.
        rest = album.take(lambda p: p.round == round_.id and p.topic is None)
        for table in sorted({p.table for p in rest}, key=lambda n: (n is None, n)):
            out.append(Heading(3, w.table_name(table)))
            out.extend(album.figures([p for p in rest if p.table == table], round_.position))
    if block.sessions:
        out.append(Heading(2, w["sessions"], f"sessions-{block.id}"))
        out.append(Text(w["sessions_intro"], "meta"))
        for group in block.sessions:
            _group(group, w, out, 3)
            if not group.count:
                out.append(Text(w["no_report"], "meta"))
            out.extend(
                album.figures(
                    album.take(lambda p: p.topic is not None and p.topic == group.topic), topic_title=group.title
                )
            )
    if block.priorities:
        out.append(Heading(2, w["priorities"], f"priorities-{block.id}"))
        ranking = charts.votes(block)
        table = Grid(
            [w["session"], w["votes_column"], w["kept_column"]],
            [[w.text(g.title), w.number(g.votes), w["yes"] if g.selected else ""] for g in block.priorities],
            [False, True, False],
        )
        out.append(plot(ranking, w, grid=table) if ranking is not None else table)
    if block.actions:
        out.append(Heading(2, w["action_plan"], f"actions-{block.id}"))
        out.append(Notes([_cited(n, w) for n in block.actions]))
    if block.harvest:
        out.append(Heading(2, w["harvest"], f"harvest-{block.id}"))
        out.append(Text(w["harvest_intro"], "meta"))
        for group in block.harvest:
            _group(group, w, out, 3)
    if block.other:
        out.append(Heading(2, w["outside_rounds"]))
        _group(block.other, w, out, 3)
    rest = album.take(lambda p: p.block == block.id)
    if rest:  # a round or a session that is gone
        out.append(Heading(2, w["photos"], f"photos-{block.id}"))
        out.extend(album.figures(rest))


def _annex(s: Synthesis, w: Wording, out: list) -> None:
    out.append(Heading(1, w["annex"], "annex", page_break=True))
    out.append(Text(w["annex_intro"], "meta"))
    if not s.annex:
        out.append(Text(w["no_notes"], "meta"))
        return
    current = object()
    lines: list[NoteLine] = []
    for note in s.annex:
        if note.origin.block != current:
            if lines:
                out.append(Notes(lines, numbered=True))
                lines = []
            current = note.origin.block
            out.append(Heading(2, w.text(note.origin.block_title) if note.origin.block_title else w["outside_blocks"]))
        marks = [w.origin(note.origin, harvest=note.kind == "harvest")]
        if note.author:
            marks.append(w.text(note.author))
        if note.theme_title:
            marks.append(w.text(note.theme_title))
        marks += w.note_marks(note)
        lines.append(
            NoteLine(w.text(note.text), star=note.starred, marks=marks, number=note.number, anchor=anchor(note.number))
        )
    out.append(Notes(lines, numbered=True))


def _series_name(series: charts.Series, w: Wording) -> str:
    if series.position is not None:
        return w.round_name(series.title, series.position)
    return {"notes": w["notes"], "harvest": w["harvest_series"], "votes": w["votes_column"]}[series.key]


def plot(chart: charts.Chart, w: Wording, s: Synthesis | None = None, grid: Grid | None = None) -> Plot:
    """A chart worded in the document's language, with its data as a table (``grid`` when the
    document already has that table, e.g. the priorities)."""
    if chart.kind == charts.NOTES_PER_BLOCK:
        days = {b.id: b for b in s.participation.blocks} if s is not None else {}
        names = []
        for category in chart.categories:
            block = days.get(int(category.key.split("-", 1)[1]))
            names.append(w.block_when(category.title or "", block.day, block.part) if block else w.text(category.title))
        title, first, value_label = w["chart_notes_per_block"], w["block"], w["notes"]
    elif chart.kind == charts.PARTICIPATION:
        names = [w.table_name(c.number) for c in chart.categories]
        title, first, value_label = w["chart_participation"], w["table_column"], w["notes"]
    else:
        names = [w.text(c.title) for c in chart.categories]
        title, first, value_label = w["chart_votes"], w["session"], w["votes_column"]
    series = [_series_name(each, w) for each in chart.series]
    if grid is None:
        rows = [[name] + [w.number(each.values[index]) for each in chart.series] for index, name in enumerate(names)]
        header = [first] + series
        numeric = [False] + [True] * len(series)
        if len(chart.series) > 1:
            header.append(w["total"])
            numeric.append(True)
            for index, row in enumerate(rows):
                row.append(w.number(sum(each.values[index] for each in chart.series)))
        grid = Grid(header, rows, numeric)
    return Plot(chart, title, names, series, value_label, grid)
