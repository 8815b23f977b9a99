"""The French interface speaks to everyone: no label agrees with one gender of the person it
addresses (issue 17: « Je me suis assis ailleurs » became « J’ai pris une autre place »)."""
from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parents[2] / "workshop/translations/fr/LC_MESSAGES/messages.po"
# Words that agree with the gender of the person they are about.
GENDERED = ("me suis assis", "vous a placé", "Assis :", "encore assis", "Invités")


def french() -> dict[str, str]:
    with CATALOGUE.open("rb") as source:
        return {m.id: m.string for m in read_po(source) if m.id and isinstance(m.id, str)}


def test_the_phone_says_i_took_another_seat():
    assert french()["I took another seat"] == "J’ai pris une autre place"


def test_no_french_label_is_gendered_for_the_person_it_addresses():
    found = {msgid: text for msgid, text in french().items() if any(word in text for word in GENDERED)}
    assert found == {}
