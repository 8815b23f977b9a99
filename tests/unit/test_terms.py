"""Key terms of the room's notes: stems, stop words, elisions, counts by note, shown forms."""

from __future__ import annotations

from workshop.domain.terms import key_terms, words


def test_plural_and_singular_count_as_one_term_shown_in_its_most_frequent_form():
    notes = [
        ("a", "Rejoindre les jeunes dans les écoles"),
        ("b", "Les jeunes et leur famille"),
        ("c", "Un jeune sur deux ne connaît pas les organismes"),
    ]
    terms = {t.term: t for t in key_terms(notes, "fr")}
    assert terms["jeunes"].count == 3 and terms["jeunes"].notes == ("a", "b", "c")
    assert "jeune" not in terms
    assert "les" not in terms and "dans" not in terms and "pas" not in terms  # stop words


def test_a_note_repeating_a_word_counts_once_and_elisions_are_cut():
    notes = [("a", "L’immigration, l’immigration, l'immigration!"), ("b", "D’abord l’emploi")]
    terms = {t.term: t.count for t in key_terms(notes, "fr")}
    assert terms["immigration"] == 1
    assert terms["emploi"] == 1 and "l’emploi" not in terms
    assert words("Qu’aurions-nous l’audace") == ["aurions-nous", "audace"]


def test_most_frequent_first_ties_alphabetical_and_numbers_left_out():
    notes = [("1", "budget transport 2026"), ("2", "transport budget"), ("3", "transport")]
    assert [(t.term, t.count) for t in key_terms(notes, "fr")] == [("transport", 3), ("budget", 2)]


def test_english_notes_use_the_english_stemmer_and_stop_words():
    notes = [("1", "Families need the library"), ("2", "A family room in the library")]
    terms = {t.term: t.count for t in key_terms(notes, "en")}
    # "families" and "family" are one stem; between two forms seen once each, the shorter shows
    assert terms["family"] == 2 and terms["library"] == 2
    assert "families" not in terms and "the" not in terms and "a" not in terms
