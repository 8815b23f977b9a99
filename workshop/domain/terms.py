"""Key terms: what the room said, in words that count.

Each note's words are cut at French elisions (« l’immigration » gives « immigration »), lowered,
stripped of stop words (the ``stop-words`` lists) and reduced to their Snowball stem (PyStemmer),
so « jeunes » and « jeune » count as one term. A term counts the notes that hold it (a note that
repeats a word counts once) and is shown as its most frequent written form.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import Stemmer
from stop_words import get_stop_words

STEMMERS = {"fr": "french", "en": "english"}
MIN_LENGTH = 3
_WORD = re.compile(r"[^\W\d_]+(?:[-][^\W\d_]+)*", re.UNICODE)
_ELISION = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
# Words the lists leave in that say nothing in a room's notes.
EXTRA_STOP = {
    "fr": {
        "plus",
        "faire",
        "fait",
        "etre",
        "être",
        "avoir",
        "aussi",
        "bien",
        "tout",
        "tous",
        "toute",
        "toutes",
        "comme",
        "sans",
        "leurs",
        "entre",
        "chaque",
        "afin",
        "ainsi",
        "donc",
        "très",
        "peu",
        "ils",
        "elles",
        "nous",
        "vous",
    },
    "en": {"also", "make", "more", "much", "many", "would", "could", "should", "like", "one", "get"},
}


@dataclass(frozen=True)
class Term:
    term: str  # the most frequent written form
    count: int  # notes that hold it
    notes: tuple[str, ...] = field(default_factory=tuple)  # their ids, in the order given


@lru_cache(maxsize=4)
def _language(language: str) -> tuple[Stemmer.Stemmer, frozenset[str]]:
    code = language if language in STEMMERS else "fr"
    stop = {w.lower() for w in get_stop_words(code)} | EXTRA_STOP[code]
    stop |= {w.replace("'", "’") for w in stop}
    return Stemmer.Stemmer(STEMMERS[code]), frozenset(stop)


def words(text: str) -> list[str]:
    """The words of a text, lowered, elisions cut: « L’apport des jeunes » -> l, apport, des, jeunes."""
    found = []
    for raw in re.split(r"\s+", text):
        raw = _ELISION.sub("", raw.strip())
        found.extend(match.group(0).lower() for match in _WORD.finditer(raw))
    return found


def key_terms(notes: Iterable[tuple[str, str]], language: str, limit: int = 60) -> list[Term]:
    """The key terms of ``(note id, text)`` pairs, most frequent first (ties: alphabetical)."""
    stemmer, stop = _language(language)
    holders: dict[str, list[str]] = {}
    forms: dict[str, Counter[str]] = {}
    for note_id, text in notes:
        kept = [w for w in words(text) if len(w) >= MIN_LENGTH and w not in stop]
        if not kept:
            continue
        stems = stemmer.stemWords(kept)
        seen: set[str] = set()
        for word, stem in zip(kept, stems):
            forms.setdefault(stem, Counter())[word] += 1
            if stem not in seen:
                seen.add(stem)
                holders.setdefault(stem, []).append(note_id)
    terms = [Term(term=_shown(forms[stem]), count=len(ids), notes=tuple(ids)) for stem, ids in holders.items()]
    terms.sort(key=lambda t: (-t.count, t.term))
    return terms[:limit]


def _shown(forms: Counter[str]) -> str:
    """The most frequent written form; between equals, the shortest, then the first alphabetically."""
    return min(forms.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0]
