"""Messages the domain writes for people, translated outside it.

The domain knows nothing of Flask-Babel: it marks its messages with ``N_`` (so the catalogue
extracts them) and keeps the values apart. ``render`` gives the English text, for the command
line; the web layer passes a ``translate`` function and gets the page's language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


def N_(msgid: str) -> str:
    """Marks a message for the catalogue; translated when rendered."""
    return msgid


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class Wording:
    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, translate: Callable[[str], str] = _same) -> str:
        values = {
            name: value.render(translate) if isinstance(value, Wording) else value
            for name, value in self.params.items()
        }
        text = translate(self.msgid)
        return text % values if values else text

    def __str__(self) -> str:
        return self.render()
