"""Text as people type it on phones: normalised, without control characters, trimmed."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls, DEL, and the bidirectional overrides that can disguise text.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(raw: str, *, multiline: bool = False) -> str:
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
    # Controls go first: taking one out can join a letter to its accent, which NFC then composes.
    text = unicodedata.normalize("NFC", _CONTROLS.sub("", text))
    if multiline:
        text = _BLANK_LINES.sub("\n\n", "\n".join(line.rstrip() for line in text.split("\n")))
    return text.strip()
