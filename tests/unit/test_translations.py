"""Every string the code and templates mark for translation has a French translation."""

from __future__ import annotations

import os

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from workshop.config import PROJECT_ROOT

CATALOGUE = PROJECT_ROOT / "workshop" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
METHODS = [("workshop/**.py", "python"), ("templates/**.html", "jinja2")]
SKIPPED_DIRECTORIES = {".venv", "node_modules", ".git", "instance", "tests", "static", "bench", "docs"}
KEYWORDS = DEFAULT_KEYWORDS | {"_l": None, "lazy_gettext": None}


def marked_strings() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT),
        METHODS,
        keywords=KEYWORDS,
        directory_filter=lambda path: os.path.basename(path) not in SKIPPED_DIRECTORIES,
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_marked_string_has_a_french_translation():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue
        if m.id and m.string and (isinstance(m.string, str) or all(m.string)) and not m.fuzzy
    }
    strings = marked_strings()
    assert len(strings) > 40  # the extraction found the app's strings at all
    missing = sorted(strings - translated)
    assert not missing, "untranslated in fr: " + "; ".join(missing[:20])


def test_french_placeholders_match_the_english_ones():
    import re

    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    placeholder = re.compile(r"%\(\w+\)s")
    for message in catalogue:
        if message.id and isinstance(message.id, str) and message.string:
            assert sorted(placeholder.findall(message.id)) == sorted(placeholder.findall(message.string)), message.id
