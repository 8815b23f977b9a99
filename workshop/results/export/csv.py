"""CSV: one row per visible note with every field, for spreadsheets, then one row per photo (kind
``photo``: its caption as the text, its address in the ``url`` column), then each block's key terms
(kind ``key-term``: the term as the text, the notes that hold it in ``count``) and the charts' data
(kind ``chart:<name>``, one row per bar: the chart's title as the text, its block, round, table or
session, the value in ``count``). UTF-8 with a byte order mark,
so Excel opens accents intact; a cell that a spreadsheet would run as a formula (starting with
= + - @, a tab or a carriage return) gets a leading apostrophe and stays text.

Two variants: ``comma`` (the standard) and ``semicolon``, what a spreadsheet set to French (or most
of continental Europe) splits into columns; a French workshop gets ``semicolon`` unless asked. The
header row is in the workshop's language; the JSON keeps the stable machine names."""

from __future__ import annotations

import csv
import io

from workshop.clock import iso
from workshop.domain import charts
from workshop.domain.photos import PhotoItem
from workshop.domain.synthesis import BlockPart, NoteItem, Synthesis
from workshop.results.export import Format
from workshop.results.export.labels import Wording
from workshop.results.export.layout import photos_of, plot

COLUMNS = (
    "number",
    "id",
    "kind",
    "block_key",
    "block",
    "day",
    "part",
    "method",
    "round",
    "round_title",
    "question",
    "table",
    "table_theme",
    "topic",
    "topic_title",
    "text",
    "author",
    "color",
    "created_at",
    "votes",
    "starred",
    "theme_id",
    "theme",
    "section_id",
    "section",
    "tag",
    "owner",
    "due",
    "count",
    "url",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The header row in the workshop's language, column for column (a language without one: COLUMNS).
HEADERS = {
    "fr": (
        "numéro",
        "identifiant",
        "type",
        "clé du bloc",
        "bloc",
        "jour",
        "moment",
        "méthode",
        "ronde",
        "titre de la ronde",
        "question",
        "table",
        "thème de la table",
        "sujet",
        "titre du sujet",
        "texte",
        "nom affiché",
        "couleur",
        "créée le",
        "pastilles",
        "fait saillant",
        "identifiant du thème",
        "thème",
        "identifiant de la section",
        "section",
        "étiquette",
        "responsable",
        "échéance",
        "nombre",
        "adresse",
    ),
    "en": COLUMNS[:19] + ("dots",) + COLUMNS[20:],
}
SEPARATORS = {"comma": ",", "semicolon": ";"}
YES_NO = {"fr": ("oui", "non"), "en": ("yes", "no")}


def default_variant(language: str) -> str:
    return "semicolon" if language == "fr" else "comma"


def header(language: str) -> tuple[str, ...]:
    return HEADERS.get(language, HEADERS["en"])


def defuse(value: object) -> object:
    """Text a spreadsheet shows as typed, never runs: "=1+1" -> "'=1+1". Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def row(note: NoteItem, language: str = "en") -> list:
    origin = note.origin
    values = [
        note.number,
        note.id,
        note.kind,
        origin.block_key,
        origin.block_title,
        origin.day.isoformat() if origin.day else None,
        origin.part,
        origin.method,
        origin.round_position + 1 if origin.round_position is not None else None,
        origin.round_title,
        origin.question,
        origin.table,
        origin.table_theme,
        origin.topic,
        origin.topic_title,
        note.text,
        note.author,
        note.color,
        iso(note.created_at),
        note.votes,
        YES_NO.get(language, YES_NO["en"])[0 if note.starred else 1],
        note.theme,
        note.theme_title,
        note.section,
        note.section_title,
        note.tag,
        note.owner,
        note.due.isoformat() if note.due else None,
        None,
        None,
    ]
    return ["" if v is None else defuse(v) for v in values]


def photo_row(photo: PhotoItem, synthesis: Synthesis, w: Wording) -> list:
    """A photo where its table and round (or session) are: the same columns as the notes'."""
    block = next((b for b in synthesis.blocks if b.id == photo.block), None)
    round_ = next((r for r in block.rounds if r.id == photo.round), None) if block else None
    groups = [g for r in block.rounds for g in r.groups] + block.sessions + block.harvest if block else []
    table_theme = next(
        (g.title for g in groups if g.kind == "table" and g.table == photo.table and photo.table is not None), None
    )
    topic_title = next((g.title for g in groups if g.kind == "topic" and g.topic == photo.topic and photo.topic), None)
    values = [
        None,
        photo.id,
        "photo",
        block.key if block else None,
        block.title if block else None,
        block.day.isoformat() if block else None,
        block.part if block else None,
        block.method if block else None,
        round_.position + 1 if round_ else None,
        round_.title if round_ else None,
        round_.question if round_ else None,
        photo.table,
        table_theme,
        photo.topic,
        topic_title,
        w.photo_caption(photo.table, round_.position if round_ else None, topic_title if photo.topic else None),
        None,
        None,
        iso(photo.created_at),
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        photo.url,
    ]
    return ["" if v is None else defuse(v) for v in values]


def _row(block: BlockPart | None, kind: str, text: str, count: int, **where) -> list:
    """A row that is not a note: a key term or a bar of a chart, in the notes' columns."""
    values = dict.fromkeys(COLUMNS)
    values.update(kind=kind, text=text, count=count, **where)
    if block is not None:
        values.update(
            block_key=block.key, block=block.title, day=block.day.isoformat(), part=block.part, method=block.method
        )
    return ["" if values[c] is None else defuse(values[c]) for c in COLUMNS]


def term_rows(synthesis: Synthesis) -> list[list]:
    return [_row(b, "key-term", t.term, t.count) for b in synthesis.blocks for t in b.terms]


def chart_rows(synthesis: Synthesis, w: Wording) -> list[list]:
    blocks = {b.id: b for b in synthesis.blocks}
    rows = []
    for chart in charts.all_charts(synthesis):
        worded = plot(chart, w, synthesis)
        block = blocks.get(chart.block) if chart.block is not None else None
        for series, series_name in zip(chart.series, worded.series):
            round_ = next((r for r in block.rounds if r.position == series.position), None) if block else None
            for category, value in zip(chart.categories, series.values):
                where: dict = {}
                if round_ is not None:
                    where.update(round=round_.position + 1, round_title=round_.title, question=round_.question)
                if category.number is not None:
                    where["table"] = category.number
                if category.key.startswith("topic-"):
                    where.update(topic=category.key.removeprefix("topic-"), topic_title=category.title)
                own = (
                    blocks.get(int(category.key.removeprefix("block-"))) if category.key.startswith("block-") else None
                )
                text = f"{worded.title} – {series_name}"
                rows.append(_row(block or own, f"chart:{chart.kind}", text, value, **where))
    return rows


def render(synthesis: Synthesis, variant: str | None = None) -> bytes:
    separator = SEPARATORS[variant or default_variant(synthesis.language)]
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    w = Wording(synthesis.language)
    writer.writerow(header(w.language))
    writer.writerows(row(note, w.language) for note in synthesis.annex)
    writer.writerows(photo_row(photo, synthesis, w) for photo in photos_of(synthesis))
    writer.writerows(term_rows(synthesis))
    writer.writerows(chart_rows(synthesis, w))
    return out.getvalue().encode("utf-8-sig")


FORMAT = Format("csv", "text/csv; charset=utf-8", render, variants=tuple(SEPARATORS), default_variant=default_variant)
