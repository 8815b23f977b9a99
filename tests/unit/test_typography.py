"""French typography and dates of the results documents (workshop.domain.typography)."""

from __future__ import annotations

import datetime as dt

import pytest

from workshop.domain.typography import (
    NBSP,
    NNBSP,
    format_date,
    format_dates,
    format_number,
    french_spaces,
    printable,
    prose,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Quels sont les défis?", f"Quels sont les défis{NNBSP}?"),
        ("Quels sont les défis ?", f"Quels sont les défis{NNBSP}?"),
        ("Bravo!", f"Bravo{NNBSP}!"),
        ("Vraiment?!", f"Vraiment{NNBSP}?!"),
        ("de la région; de donner", f"de la région{NNBSP}; de donner"),
        ("Résultats préliminaires – Table: la suite", f"Résultats préliminaires – Table{NBSP}: la suite"),
        ("Mandats : favoriser", f"Mandats{NBSP}: favoriser"),
        ("des « comités de partenaires »", f"des «{NBSP}comités de partenaires{NBSP}»"),
        ("des «comités»", f"des «{NBSP}comités{NBSP}»"),
        (f"déjà bien{NBSP}?", f"déjà bien{NNBSP}?"),  # the wrong space is replaced
    ],
)
def test_french_spaces(raw, expected):
    assert french_spaces(raw) == expected


@pytest.mark.parametrize(
    "untouched", ["13:45", "https://example.org/?q=1&x=2", "?", "C'est (?) incertain", "mailto:a@b.c", "2-3 ans", ""]
)
def test_french_spaces_leave_times_urls_and_lone_marks_alone(untouched):
    assert french_spaces(untouched) == untouched


def test_prose_is_french_in_french_only():
    assert prose("Pourquoi?", "fr") == f"Pourquoi{NNBSP}?"
    assert prose("Why?", "en") == "Why?"
    assert prose(None, "fr") == ""


def test_printable_removes_control_characters_and_keeps_lines():
    assert printable("a\x00b\x07c\x1bd\x7fe\u202ef\ufeffg") == "abcdefg"
    assert printable("ligne 1\r\nligne 2\rligne 3\tfin") == "ligne 1\nligne 2\nligne 3 fin"
    assert printable("surrogate \ud800 gone") == "surrogate  gone"


@pytest.mark.parametrize(
    "day, weekday, french, english",
    [
        (dt.date(2010, 5, 4), True, "mardi 4 mai 2010", "Tuesday, May 4, 2010"),
        (dt.date(2010, 5, 5), False, "5 mai 2010", "May 5, 2010"),
        (dt.date(2009, 6, 1), False, "1er juin 2009", "June 1, 2009"),
        (dt.date(2010, 8, 15), True, "dimanche 15 août 2010", "Sunday, August 15, 2010"),
    ],
)
def test_one_date(day, weekday, french, english):
    assert format_date(day, "fr", weekday=weekday) == french
    assert format_date(day, "en", weekday=weekday) == english


@pytest.mark.parametrize(
    "days, french, english",
    [
        ([dt.date(2010, 5, 4), dt.date(2010, 5, 5)], "4 et 5 mai 2010", "May 4 and 5, 2010"),
        ([dt.date(2009, 6, 16), dt.date(2009, 6, 15)], "15 et 16 juin 2009", "June 15 and 16, 2009"),
        ([dt.date(2010, 5, 4)], "4 mai 2010", "May 4, 2010"),
        ([dt.date(2010, 5, 4), dt.date(2010, 5, 5), dt.date(2010, 5, 7)], "4, 5 et 7 mai 2010", "May 4, 5 and 7, 2010"),
        ([dt.date(2010, 4, 30), dt.date(2010, 5, 1)], "30 avril et 1er mai 2010", "April 30 and May 1, 2010"),
        (
            [dt.date(2009, 12, 31), dt.date(2010, 1, 1)],
            "31 décembre 2009 et 1er janvier 2010",
            "December 31, 2009 and January 1, 2010",
        ),
        ([], "", ""),
    ],
)
def test_several_dates(days, french, english):
    assert format_dates(days, "fr") == french
    assert format_dates(days, "en") == english


def test_numbers():
    assert format_number(10000, "fr") == f"10{NNBSP}000"
    assert format_number(10000, "en") == "10,000"
    assert format_number(42, "fr") == "42"


def test_one_apostrophe_everywhere_in_the_printed_text():
    """« l'apport de l’immigration » printed mixed on the projector (issue 17): the straight
    apostrophe between two letters becomes the typographic one, in every language."""
    from workshop.domain.typography import prose

    assert prose("l'apport de l’immigration", "fr") == "l’apport de l’immigration"
    assert (
        prose("Qu'est-ce qui vous stimule dans cet objectif?", "fr")
        == "Qu’est-ce qui vous stimule dans cet objectif\u202f?"
    )
    assert prose("Don't stop", "en") == "Don’t stop"
    # Not an apostrophe: quotes around a word, feet and minutes, code.
    assert prose("'citation' 5' x='1'", "en") == "'citation' 5' x='1'"
