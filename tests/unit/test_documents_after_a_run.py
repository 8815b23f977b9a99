"""The preliminary results after a real run (issue 17): the CSV for a French spreadsheet, headers in
the workshop's language, blocks nothing came of listed once, one word for the dots, and a count of
the people who joined rather than of the phones that looked."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json

import pytest
from docx import Document
from test_synthesis import small_workshop

from workshop.domain.synthesis import BlockInput, ParticipantInput, RoundInput, TopicInput, build
from workshop.results.export import render
from workshop.results.export.csv import COLUMNS

QUIET = "IMAGINER LE FUTUR"


def with_quiet_block(language: str = "fr"):
    """The small workshop and a third block whose rounds nobody wrote in."""
    base = small_workshop(language, hostile=False)
    quiet = BlockInput(
        id=3,
        key="4-mai-pm",
        title=QUIET,
        day=dt.date(2010, 5, 4),
        part="pm",
        method="world-cafe",
        rounds=(RoundInput(31, 0, "Quel projet?", "Ronde 1"), RoundInput(32, 1, "Avec qui?", "Ronde 2")),
    )
    return build(dataclasses.replace(base, blocks=(base.blocks[0], quiet, base.blocks[1])))


def test_a_french_workshop_gets_semicolons_and_french_headers_by_default():
    data = render(build(small_workshop("fr", hostile=False)), "csv")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0].split(";")[:4] == ["numéro", "identifiant", "type", "clé du bloc"]
    assert "pastilles" in lines[0].split(";")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert all(len(row) == len(COLUMNS) for row in rows)  # every row splits into the same columns


def test_the_standard_variant_is_offered_beside_it():
    tree = build(small_workshop("fr", hostile=False))
    rows = list(csv.reader(io.StringIO(render(tree, "csv", "comma").decode("utf-8-sig"))))
    assert rows[0][:2] == ["numéro", "identifiant"] and all(len(row) == len(COLUMNS) for row in rows)
    english = render(build(small_workshop("en", hostile=False)), "csv").decode("utf-8-sig")
    header = english.split("\r\n")[0].split(",")
    assert header[:3] == ["number", "id", "kind"] and "dots" in header and "votes" not in header
    assert (
        render(build(small_workshop("en", hostile=False)), "csv", "semicolon")
        .decode("utf-8-sig")
        .startswith("number;id;")
    )
    with pytest.raises(ValueError):
        render(tree, "csv", "tab")


def test_a_block_nothing_came_of_is_listed_once_in_every_format():
    tree = with_quiet_block()
    assert [b.title for b in tree.quiet_blocks] == [QUIET]
    md = render(tree, "md").decode("utf-8")
    assert md.count(QUIET) == 1  # not a part of its own, not a row of the participation table
    assert "## Blocs sans contribution" in md
    assert f"- {QUIET} (4 mai 2010, après-midi)" in md
    assert "Quel projet" not in md and "Avec qui" not in md  # its rounds do not say « Aucune note. »
    html = render(tree, "html").decode("utf-8")
    assert html.count(QUIET) == 1 and "Blocs sans contribution" in html
    paragraphs = [p.text for p in Document(io.BytesIO(render(tree, "docx"))).paragraphs]
    assert "Blocs sans contribution" in paragraphs
    assert sum(QUIET in text for text in paragraphs) == 1
    doc = json.loads(render(tree, "json"))
    assert doc["quiet_blocks"] == [3]  # the machine keeps the block in "blocks" too
    assert [b["id"] for b in doc["blocks"]] == [1, 3, 2]
    assert "Blocs sans contribution" not in render(build(small_workshop("fr", hostile=False)), "md").decode("utf-8")


def test_the_documents_say_pastilles_like_the_board():
    base = small_workshop("fr", hostile=False)
    forum = dataclasses.replace(
        base.blocks[1], topics=(TopicInput("t1", "Financement", "Ana", votes=4, selected=True),)
    )
    for language, word, other in (("fr", "pastilles", "votes"), ("en", "dots", "votes")):
        tree = build(dataclasses.replace(small_workshop(language, hostile=False), blocks=(base.blocks[0], forum)))
        for extension in ("md", "html"):
            text = render(tree, extension).decode("utf-8")
            assert f"4 {word}" in text, (language, extension)
            assert other not in text.lower().replace("vote par", ""), (language, extension)


def test_the_participants_are_the_people_who_joined_and_the_document_says_so():
    base = small_workshop("fr", hostile=False)
    lookers = tuple(ParticipantInput(10 + n, None, joined=False) for n in range(11))
    tree = build(dataclasses.replace(base, participants=base.participants + lookers))
    assert tree.participation.participants == 3
    assert sum(s.participants for s in tree.participation.by_sector) == 3
    md = render(tree, "md").decode("utf-8")
    assert "- 3 personnes ont rejoint l’atelier (un nom, une table ou une note)" in md
    english = render(
        build(dataclasses.replace(small_workshop("en", hostile=False), participants=base.participants + lookers)), "md"
    )
    assert "- 3 people joined (a name, a table or a note)" in english.decode("utf-8")
