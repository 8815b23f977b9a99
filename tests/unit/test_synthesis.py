"""The preliminary results: the document tree from plain input, and every renderer over it.

No app and no database: the input is made here, with fixed ids and times. The golden Markdown in
tests/golden/ guards the structure (``UPDATE_GOLDEN=1`` rewrites it after a wanted change).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import zipfile
from pathlib import Path

import markdown as markdown_lib
import pytest
from docx import Document

from workshop.domain.synthesis import (
    BlockInput,
    NoteInput,
    ParticipantInput,
    RoundInput,
    SectionInput,
    SectorInput,
    TableInput,
    ThemeInput,
    TopicInput,
    WorkshopInput,
    build,
)
from workshop.domain.typography import NBSP, NNBSP
from workshop.results.export import FORMATS, file_name, render
from workshop.results.export.csv import COLUMNS
from workshop.results.export.markdown import escape

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "results-small.md"
UTC = dt.UTC

HOSTILE = {
    "n-html": "<script>alert('x')</script> & <b>gras</b>",
    "n-md": "**x** [a](javascript:alert(1)) ![i](http://x/i.png) `code` # titre",
    "n-eq": "=cmd|' /C calc'!A0",
    "n-plus": "+1",
    "n-minus": "-2",
    "n-at": "@SUM(1)",
    "n-ctrl": "cloche\x07 et échappement\x1b[31m rouge\x00",
}


def at(minute: int) -> dt.datetime:
    return dt.datetime(2010, 5, 4, 13, minute, tzinfo=UTC)


def note(id_, text, minute, **fields) -> NoteInput:
    return NoteInput(id=id_, text=text, created_at=at(minute), **fields)


def small_workshop(language: str = "fr", hostile: bool = False) -> WorkshopInput:
    """Two blocks of the 2010 café: a World Café with two tables and a harvest, an Open Space."""
    cafe = BlockInput(
        id=1,
        key="4-mai-am",
        title="COMPRENDRE ET CRÉER DES LIENS",
        day=dt.date(2010, 5, 4),
        part="am",
        method="world-cafe",
        rounds=(
            RoundInput(11, 0, "Quels sont les principaux défis en lien avec cet objectif?", "Ronde 1"),
            RoundInput(12, 1, "Qu'est-ce qui vous stimule dans cet objectif?", "Ronde 2"),
        ),
        tables=(
            TableInput(1, "Mobiliser les acteurs concernés par l’immigration."),
            TableInput(2, "Favoriser l’insertion en emploi."),
        ),
        harvest="closed",
    )
    forum = BlockInput(
        id=2,
        key="5-mai-pm",
        title="CRISTALLISER LA VISION",
        day=dt.date(2010, 5, 5),
        part="pm",
        method="open-space",
        description="en Forum ouvert",
        rounds=(RoundInput(21, 0, "De quoi devons-nous absolument parler avant de nous quitter?", "Ronde 1"),),
    )
    notes = [
        note(
            "n1",
            "Plus de rencontres de la Table (4 à 6 par année)",
            1,
            block=1,
            round=11,
            table=1,
            author_id=1,
            author="Marie",
            theme=100,
            starred=True,
        ),
        note("n2", "Garder le contact entre les rencontres", 2, block=1, round=11, table=1, author_id=2, theme=100),
        note("n3", "Nouvelle présidence", 3, block=1, round=11, table=2, author_id=2),
        note(
            "n4",
            "Ne plus fonctionner par appels de projets",
            4,
            block=1,
            round=12,
            table=2,
            author_id=3,
            section=201,
            color="pink",
        ),
        note("n5", "Note masquée par l’animation", 5, block=1, round=12, table=1, author_id=3, hidden=True, theme=100),
        note("h1", "Créer des « comités de partenaires »", 30, kind="harvest", block=1, table=1, theme=101),
        note("o1", "Financement des projets sur 2-3 ans: vraiment!", 40, block=2, round=21, author_id=1, theme=101),
        note("o2", "Un espace pour la session", 41, block=2, round=21, author_id=2, topic="t1"),
    ]
    if hostile:
        notes += [
            note(i, text, 50 + n, block=1, round=12, table=2, author_id=3)
            for n, (i, text) in enumerate(HOSTILE.items())
        ]
    return WorkshopInput(
        code="CC2010",
        title="Journées de réflexion sur la mise en œuvre de l’entente",
        language=language,
        organiser="Table régionale de concertation en immigration de la Capitale-Nationale",
        place="Québec",
        question="Qu’est-ce qui doit exister pour que la région développe son plein potentiel?",
        dates=(dt.date(2010, 5, 5), dt.date(2010, 5, 4)),
        sectors=(SectorInput("signataires", "Signataires de l’entente"), SectorInput("sante", "Santé")),
        blocks=(cafe, forum),
        themes=(
            ThemeInput(101, "Financement", position=1, section=201),
            ThemeInput(100, "Fonctionnement de la Table", position=0, block=1, section=200),
            ThemeInput(102, "Thème vide", position=2),
        ),
        sections=(
            SectionInput(201, "Résultats préliminaires – Mise en œuvre", "", position=1),
            SectionInput(
                200,
                "Résultats préliminaires – Table",
                "Comment la **Table** doit fonctionner: [site](https://example.org) "
                "[piège](javascript:alert(1)) <script>alert(2)</script>",
                position=0,
            ),
        ),
        participants=(ParticipantInput(1, "signataires"), ParticipantInput(2, "sante"), ParticipantInput(3, None)),
        notes=tuple(notes),
        generated_at=dt.datetime(2010, 5, 5, 20, 0, tzinfo=UTC),
    )


@pytest.fixture
def tree():
    return build(small_workshop())


# --------------------------------------------------------------------------- the tree


def test_blocks_rounds_and_tables_follow_the_agenda(tree):
    assert [b.title for b in tree.blocks] == ["COMPRENDRE ET CRÉER DES LIENS", "CRISTALLISER LA VISION"]
    cafe = tree.blocks[0]
    assert [r.question for r in cafe.rounds] == [
        "Quels sont les principaux défis en lien avec cet objectif?",
        "Qu'est-ce qui vous stimule dans cet objectif?",
    ]
    first = cafe.rounds[0]
    assert [(g.kind, g.table, g.title) for g in first.groups] == [
        ("table", 1, "Mobiliser les acteurs concernés par l’immigration."),
        ("table", 2, "Favoriser l’insertion en emploi."),
    ]
    # The facilitator's themes first, then the other notes; the starred note leads its theme.
    table_1 = first.groups[0]
    assert [(t.title, [n.id for n in t.notes]) for t in table_1.themes] == [
        ("Fonctionnement de la Table", ["n1", "n2"])
    ]
    assert table_1.notes == []
    assert [n.id for n in first.groups[1].notes] == ["n3"]


def test_hidden_notes_are_left_out_everywhere_and_counted(tree):
    every_id = {n.id for n in tree.annex}
    assert "n5" not in every_id
    in_blocks = {n.id for b in tree.blocks for r in b.rounds for g in r.groups for n in g.all_notes()}
    in_themes = {n.id for s in tree.sections for t in s.themes for n in t.notes} | {
        n.id for t in tree.themes for n in t.notes
    }
    assert "n5" not in in_blocks | in_themes
    assert tree.participation.hidden == 1
    assert [b.hidden for b in tree.participation.blocks] == [1, 0]
    assert tree.participation.notes == 6 and tree.participation.harvest == 1


def test_harvest_of_the_world_cafe_block(tree):
    harvest = tree.blocks[0].harvest
    assert [(g.table, [t.title for t in g.themes]) for g in harvest] == [(1, ["Financement"])]
    assert tree.blocks[1].harvest == []


def test_open_space_block_reads_as_proceedings_and_topics_slot_in():
    plain = build(small_workshop())
    forum = plain.blocks[1]
    assert forum.proceedings
    assert [(g.kind, [t.title for t in g.themes], [n.id for n in g.notes]) for g in forum.rounds[0].groups] == [
        ("round", ["Financement"], ["o2"])
    ]
    # With the marketplace's topics (issue 4), each session is a group of its own.
    base = small_workshop()
    with_topic = base.blocks[1].__class__(
        **{**base.blocks[1].__dict__, "topics": (TopicInput("t1", "Un lieu", "Ana"),)}
    )
    tree = build(base.__class__(**{**base.__dict__, "blocks": (base.blocks[0], with_topic)}))
    groups = tree.blocks[1].rounds[0].groups
    assert [(g.kind, g.title, g.convener, [n.id for n in g.all_notes()]) for g in groups] == [
        ("topic", "Un lieu", "Ana", ["o2"]),
        ("round", None, None, ["o1"]),
    ]


def test_open_space_sessions_reports_votes_and_action_plan():
    base = small_workshop()
    topics = (
        TopicInput("t2", "Un nouveau nom", "Léo", slot="13 h 45", space="Espace B", votes=1),
        TopicInput(
            "t1",
            "Financement",
            "Ana",
            slot="13 h 45",
            space="Espace A",
            description="Sur trois ans",
            votes=4,
            selected=True,
        ),
        TopicInput("t3", "Sans compte rendu"),
    )
    reports = (
        note("r1", "Les projets d’un an ne laissent rien", 45, block=2, topic="t1", author_id=1, tag="key-point"),
        note("r2", "Financer sur trois ans", 46, block=2, topic="t1", author_id=2, tag="proposal", votes=3),
        note(
            "r3",
            "Demande commune à la CRÉ",
            47,
            block=2,
            topic="t1",
            author_id=3,
            tag="action",
            owner="Sofía",
            due=dt.date(2010, 6, 15),
        ),
        note("r4", "Un logo", 48, block=2, topic="t2", author_id=3, tag="action"),
    )
    forum = base.blocks[1].__class__(**{**base.blocks[1].__dict__, "topics": topics})
    tree = build(base.__class__(**{**base.__dict__, "blocks": (base.blocks[0], forum), "notes": base.notes + reports}))
    block = tree.blocks[1]
    assert [(g.title, g.votes, g.selected, g.slot, g.space, [n.id for n in g.all_notes()]) for g in block.sessions] == [
        ("Un nouveau nom", 1, False, "13 h 45", "Espace B", ["r4"]),
        ("Financement", 4, True, "13 h 45", "Espace A", ["r2", "r1", "r3"]),  # the most voted first
        ("Sans compte rendu", 0, False, None, None, []),
    ]
    assert [g.title for g in block.priorities] == ["Financement", "Un nouveau nom"]
    assert [(n.id, n.owner, n.due) for n in block.actions] == [
        ("r3", "Sofía", dt.date(2010, 6, 15)),
        ("r4", None, None),
    ]
    md = render(tree, "md").decode("utf-8")
    assert "### Actes des sessions" in md and "#### Session – Financement" in md
    assert "Proposée par Ana · 13 h 45 · Espace A · 4 pastilles · retenue pour le plan d’action" in md
    assert "### Priorités retenues par les pastilles" in md and "| Financement | 4 | oui |" in md
    assert (
        f"Demande commune à la CRÉ — _Session «{NBSP}Financement{NBSP}» · 5 mai 2010, après-midi · Action · Responsable{NBSP}: Sofía · Échéance{NBSP}: 15 juin 2010 · n°{NBSP}"
        in md
    )
    assert "Pas de compte rendu." in md
    rows = csv_rows(render(tree, "csv"))
    r3 = next(r for r in rows if r["id"] == "r3")
    assert (r3["topic_title"], r3["tag"], r3["owner"], r3["due"]) == ("Financement", "action", "Sofía", "2010-06-15")


def test_sections_hold_their_intro_themes_and_notes(tree):
    assert [s.title for s in tree.sections] == [
        "Résultats préliminaires – Table",
        "Résultats préliminaires – Mise en œuvre",
    ]
    table, work = tree.sections
    assert "**Table**" in table.intro
    assert [(t.title, [n.id for n in t.notes]) for t in table.themes] == [("Fonctionnement de la Table", ["n1", "n2"])]
    assert [(t.title, [n.id for n in t.notes]) for t in work.themes] == [("Financement", ["h1", "o1"])]
    assert [n.id for n in work.notes] == ["n4"]  # filed directly
    assert [t.title for t in tree.themes] == ["Thème vide"]  # filed nowhere


def test_annex_numbers_every_visible_note_in_agenda_order(tree):
    assert [(n.number, n.id) for n in tree.annex] == [
        (1, "n1"),
        (2, "n2"),
        (3, "n3"),
        (4, "n4"),
        (5, "h1"),
        (6, "o1"),
        (7, "o2"),
    ]
    assert [n.id for n in tree.highlights] == ["n1"]
    n4 = tree.annex[3]
    assert (n4.origin.table, n4.origin.round_title, n4.section_title, n4.filed_directly) == (
        2,
        "Ronde 2",
        "Résultats préliminaires – Mise en œuvre",
        True,
    )


def test_participation_figures(tree):
    p = tree.participation
    assert (p.participants, p.contributors, p.visible) == (3, 3, 7)
    assert [(s.name, s.participants) for s in p.by_sector] == [("Signataires de l’entente", 1), ("Santé", 1), (None, 1)]
    cafe = p.blocks[0]
    assert (cafe.notes, cafe.harvest, cafe.contributors) == (4, 1, 3)
    assert [(g.kind, g.table, g.notes, g.harvest) for g in cafe.groups] == [("table", 1, 2, 1), ("table", 2, 2, 0)]


def test_control_characters_never_reach_the_tree():
    tree = build(small_workshop(hostile=True))
    text = next(n.text for n in tree.annex if n.id == "n-ctrl")
    assert text == "cloche et échappement[31m rouge"


# --------------------------------------------------------------------------- the renderers


def rendered(extension: str, language: str = "fr", hostile: bool = True) -> bytes:
    return render(build(small_workshop(language, hostile=hostile)), extension)


def csv_rows(data: bytes, delimiter: str = ";") -> list[dict]:
    """The CSV's rows by machine column name (its header row is in the workshop's language)."""
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter)
    next(reader)
    return [dict(zip(COLUMNS, row, strict=True)) for row in reader]


def test_every_format_is_registered_with_its_file_name(tree):
    assert set(FORMATS) == {"md", "html", "docx", "csv", "json"}
    assert file_name(tree, "docx") == "resultats-preliminaires-CC2010-2010-05-05.docx"
    assert file_name(build(small_workshop("en")), "csv") == "preliminary-results-CC2010-2010-05-05.csv"


def test_golden_markdown():
    text = rendered("md", hostile=False).decode("utf-8")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_markdown_shows_hostile_text_literally():
    source = rendered("md").decode("utf-8")
    html = markdown_lib.markdown(source, extensions=["tables"])
    assert "javascript:" not in re.sub(r">[^<]*<", "><", html)  # in no attribute
    assert "<script>" not in html and "<strong>x</strong>" not in html and "<img" not in html
    assert "<b>" not in html
    for key in ("n-md", "n-eq", "n-plus", "n-minus", "n-at"):
        assert HOSTILE[key] in _text_of(html), key
    # The introduction is Markdown on purpose, but sanitized: bold stays, the script and the
    # javascript: link go.
    assert "<strong>Table</strong>" in html
    assert (
        "alert(2)" not in source
        and "javascript:alert(1))"
        not in source.split("## Résultats préliminaires – Mise")[0].split("Comment la")[1].split("\n")[0]
    )


def _text_of(html: str) -> str:
    import html as html_lib

    return html_lib.unescape(re.sub(r"<[^>]+>", "", html)).replace("\n", " ")


@pytest.mark.parametrize(
    "text",
    [
        "**x**",
        "[a](javascript:alert(1))",
        "# titre",
        "- liste",
        "+1",
        "1. un",
        "> cite",
        "a | b",
        "&amp;",
        "<i>x</i>",
        "<https://x.org>",
        "a_b_c",
        "`code`",
        "===",
        "12) douze",
    ],
)
def test_markdown_escape_round_trips_through_a_markdown_renderer(text):
    html = markdown_lib.markdown(escape(text))
    assert _text_of(html).strip() == text


def test_html_escapes_every_text_and_carries_no_script():
    page = rendered("html").decode("utf-8")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;b&gt;gras&lt;/b&gt;" in page
    assert 'href="javascript' not in page and "onerror" not in page
    assert '<a href="https://example.org" rel="noopener noreferrer">site</a>' in page
    assert "<link" not in page and "src=" not in page  # no external asset
    assert "@page" in page and "break-before: page" in page


def test_csv_defuses_formulas_and_keeps_text_readable():
    data = rendered("csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(data)
    by_id = {r["id"]: r for r in rows}
    assert by_id["n-eq"]["text"] == "'=cmd|' /C calc'!A0"
    assert by_id["n-plus"]["text"] == "'+1"
    assert by_id["n-minus"]["text"] == "'-2"
    assert by_id["n-at"]["text"] == "'@SUM(1)"
    assert by_id["n-html"]["text"] == HOSTILE["n-html"]
    assert by_id["n-ctrl"]["text"] == "cloche et échappement[31m rouge"
    assert by_id["n1"]["text"] == "Plus de rencontres de la Table (4 à 6 par année)"
    assert "n5" not in by_id
    for row in rows:
        for value in row.values():
            assert not value or value[0] not in "=+-@\t\r", value


def test_json_holds_everything_with_stable_keys():
    doc = json.loads(rendered("json"))
    assert list(doc) == [
        "format",
        "version",
        "generated_at",
        "workshop",
        "participation",
        "highlights",
        "sections",
        "themes",
        "blocks",
        "quiet_blocks",
        "other",
        "charts",
        "notes",
        "photos",
    ]
    assert doc["format"] == "workshop-results" and doc["version"] == 1
    assert doc["workshop"]["dates"] == ["2010-05-04", "2010-05-05"]
    assert "n5" not in {n["id"] for n in doc["notes"]}
    assert doc["participation"]["hidden"] == 1
    ids = {n["id"] for n in doc["notes"]}
    assert set(doc["highlights"]) <= ids
    intro_html = doc["sections"][0]["intro_html"]
    assert "<strong>Table</strong>" in intro_html and "script" not in intro_html and "javascript" not in intro_html
    note = next(n for n in doc["notes"] if n["id"] == "n-ctrl")
    assert note["text"] == "cloche et échappement[31m rouge"


def test_docx_uses_real_heading_styles_and_escapes_nothing_into_markup():
    data = rendered("docx")
    document = Document(io.BytesIO(data))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert styles[0] == ("Title", "Résultats préliminaires")
    used = {name for name, _text in styles}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3"} <= used
    texts = "\n".join(text for _name, text in styles)
    for key in ("n-html", "n-md", "n-eq", "n-plus", "n-minus", "n-at"):
        assert HOSTILE[key].replace("?", f"{NNBSP}?") in texts, key
    assert "cloche et échappement[31m rouge" in texts
    assert "Note masquée" not in texts
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
        relations = archive.read("word/_rels/document.xml.rels").decode("utf-8")
    assert "<script" not in body and "javascript" not in relations and "https://example.org" in relations


def test_french_typography_in_the_text_formats_only():
    md = rendered("md", hostile=False).decode("utf-8")
    assert f"Quels sont les principaux défis en lien avec cet objectif{NNBSP}?" in md
    assert f"«{NBSP}comités de partenaires{NBSP}»" in md
    assert "4 et 5 mai 2010" in md and "mardi 4 mai 2010" in md
    assert f"vraiment{NNBSP}!" in md and f"ans{NBSP}: vraiment" in md
    data = rendered("csv", hostile=False).decode("utf-8-sig")
    assert "Financement des projets sur 2-3 ans: vraiment!" in data  # the data as written
    english = rendered("md", language="en", hostile=False).decode("utf-8")
    assert english.startswith("# Preliminary results")
    assert "May 4 and 5, 2010" in english and "Tuesday, May 4, 2010" in english
    assert "objectif?" in english  # no French spacing in an English document


def test_every_format_holds_the_same_notes():
    tree = build(small_workshop(hostile=False))
    visible = [n.text for n in tree.annex]
    html = render(tree, "html").decode("utf-8")
    md = render(tree, "md").decode("utf-8")
    docx_text = "\n".join(p.text for p in Document(io.BytesIO(render(tree, "docx"))).paragraphs)
    rows = csv_rows(render(tree, "csv"))
    doc = json.loads(render(tree, "json"))
    assert [r["text"] for r in rows if r["kind"] in ("note", "harvest")] == visible
    assert [n["text"] for n in doc["notes"]] == visible
    for text in visible:
        shown = (
            text.replace(":", f"{NBSP}:").replace("!", f"{NNBSP}!").replace("« ", f"«{NBSP}").replace(" »", f"{NBSP}»")
        )
        assert shown in docx_text and shown in _text_of(html) and shown in _text_of(markdown_lib.markdown(md)), text
