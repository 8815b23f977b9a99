"""Typography of the documents and the live pages: the apostrophe, French spacing, dates written
out in French or English, and text made safe to print (no control characters).

Plain functions over strings and dates; the renderers call them on prose, never on raw data.
"""

from __future__ import annotations

import datetime as dt
import re

NNBSP = "\u202f"  # narrow no-break space: before ; ! ?
NBSP = "\u00a0"  # no-break space: before :, inside « »

# C0 and C1 controls (tab and newline are kept), DEL, bidirectional overrides and isolates that
# can disguise text, the BOM, lone surrogates and the two non-characters XML refuses.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff\ufffe\uffff]")
_SPACES = "[ \u00a0\u202f\u2009\u2007]"

# Punctuation followed by the end, a space, or more punctuation: "13:45", "http://x" and "?q=1" are
# left alone.
_AFTER = r"(?=$|[\s\u00a0\u202f.,;:!?…»)\]\"”’'])"
_BEFORE_TALL = re.compile(rf"(?<=[^\s\u00a0\u202f(\[«;:!?]){_SPACES}*(?P<mark>[;!?]){_AFTER}")
_BEFORE_COLON = re.compile(rf"(?<=[^\s\u00a0\u202f(\[«;:!?/]){_SPACES}*:{_AFTER}")
_OPEN_QUOTE = re.compile(rf"«{_SPACES}*")
# A straight apostrophe between two letters (« l'apport », "don't") is the typographic one.
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
_CLOSE_QUOTE = re.compile(rf"{_SPACES}*»")

FR_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
FR_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def printable(text: str | None) -> str:
    """The text without control characters; CR and CRLF become LF, tabs become spaces."""
    if not text:
        return ""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\t" in text:
        text = text.replace("\t", " ")
    return _CONTROLS.sub("", text)


_MARKS = re.compile(r"[;:!?«»]")


def french_spaces(text: str) -> str:
    """Narrow no-break space before ; ! ?, no-break space before : and inside « »."""
    if not text or not _MARKS.search(text):  # most notes: nothing to space (the live pages' hot path)
        return text
    text = _OPEN_QUOTE.sub("«" + NBSP, text)
    text = _CLOSE_QUOTE.sub(NBSP + "»", text)
    text = _BEFORE_TALL.sub(lambda m: NNBSP + m.group("mark"), text)
    return _BEFORE_COLON.sub(NBSP + ":", text)


def apostrophes(text: str) -> str:
    """« l'apport » -> « l’apport »: one apostrophe everywhere, whatever the keyboard typed."""
    return _APOSTROPHE.sub("’", text) if "'" in text else text


def prose(text: str | None, language: str | None) -> str:
    """Text as the documents and the live pages print it: printable, the typographic apostrophe,
    and spaced the French way in French."""
    clean = apostrophes(printable(text))
    return french_spaces(clean) if language == "fr" else clean


def _fr_day(day: dt.date) -> str:
    return "1er" if day.day == 1 else str(day.day)


def format_date(day: dt.date, language: str, weekday: bool = False) -> str:
    """« mardi 4 mai 2010 », « 1er juin 2010 »; "Tuesday, May 4, 2010", "June 1, 2010"."""
    if language == "fr":
        text = f"{_fr_day(day)} {FR_MONTHS[day.month - 1]} {day.year}"
        return f"{FR_DAYS[day.weekday()]} {text}" if weekday else text
    text = f"{EN_MONTHS[day.month - 1]} {day.day}, {day.year}"
    return f"{EN_DAYS[day.weekday()]}, {text}" if weekday else text


def _join(items: list[str], last: str) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]


def format_dates(days: list[dt.date] | tuple[dt.date, ...], language: str) -> str:
    """Several days written once each month and year: « 4 et 5 mai 2010 », "May 4 and 5, 2010",
    « 30 avril et 1er mai 2010 », "December 31, 2009 and January 1, 2010"."""
    days = sorted(set(days))
    if not days:
        return ""
    by_year: dict[int, dict[int, list[int]]] = {}
    for day in days:
        by_year.setdefault(day.year, {}).setdefault(day.month, []).append(day.day)
    fr = language == "fr"
    years = []
    for year, months in by_year.items():
        parts = []
        for month, numbers in months.items():
            if fr:
                shown = ["1er" if n == 1 else str(n) for n in numbers]
                parts.append((shown, FR_MONTHS[month - 1]))
            else:
                parts.append(([str(n) for n in numbers], EN_MONTHS[month - 1]))
        if fr:
            # « 4 et 5 mai 2010 »; « 30 avril et 1er mai 2010 »
            pieces = [_join(numbers, "et") + " " + month for numbers, month in parts]
            years.append(_join(pieces, "et") + f" {year}")
        else:
            pieces = [month + " " + _join(numbers, "and") for numbers, month in parts]
            years.append(_join(pieces, "and") + f", {year}")
    return _join(years, "et" if fr else "and")


def format_number(value: int, language: str) -> str:
    """10 000 in French (narrow no-break space between thousands), 10,000 in English."""
    text = f"{value:,}"
    return text.replace(",", NNBSP) if language == "fr" else text
