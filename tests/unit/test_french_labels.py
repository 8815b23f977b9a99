"""The French labels (issue 17): they speak to everyone (no label agrees with one gender of the
person it addresses: « Je me suis assis ailleurs » became « J’ai pris une autre place »), and their
guillemets and punctuation never wrap alone."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parents[2] / "workshop/translations/fr/LC_MESSAGES/messages.po"
# Words that agree with the gender of the person they are about.
GENDERED = ("me suis assis", "vous a placé", "Assis :", "encore assis", "Invités")


def french() -> dict[str, str]:
    with CATALOGUE.open("rb") as source:
        return {
            m.id if isinstance(m.id, str) else m.id[0]: m.string if isinstance(m.string, str) else " | ".join(m.string)
            for m in read_po(source)
            if m.id
        }


def test_the_phone_says_i_took_another_seat():
    assert french()["I took another seat"] == "J’ai pris une autre place"


def test_no_french_label_is_gendered_for_the_person_it_addresses():
    found = {msgid: text for msgid, text in french().items() if any(word in text for word in GENDERED)}
    assert found == {}


def test_french_labels_keep_their_punctuation_and_guillemets_on_the_line():
    """A lone « » » or « ? » never starts a line: the space inside guillemets and before : ; ! ? is
    a no-break one (U+00A0 or U+202F) in every French label."""
    breaking = {
        msgid: text
        for msgid, text in french().items()
        if "« " in text or " »" in text or any(f" {mark}" in text for mark in ":;!?")
    }
    assert breaking == {}
