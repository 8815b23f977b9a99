"""The preliminary results in every format, each a module over the same synthesis tree.

A new format is a new module here that defines ``FORMAT`` and one more name in ``MODULES``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from workshop.domain.synthesis import Synthesis
from workshop.results.export.labels import Wording


@dataclass(frozen=True)
class Format:
    extension: str
    media_type: str
    render: Callable[[Synthesis], bytes]
    inline: bool = False  # shown in the browser rather than saved
    headers: dict = field(default_factory=dict)  # more response headers for the download
    variants: tuple[str, ...] = ()  # other shapes of the same file (CSV: "comma", "semicolon")
    default_variant: Callable[[str], str] | None = None  # the variant for a workshop's language


MODULES = ("markdown", "html", "docx", "csv", "json")


def _load() -> dict[str, Format]:
    formats = {}
    for name in MODULES:
        module = importlib.import_module(f".{name}", __name__)
        formats[module.FORMAT.extension] = module.FORMAT
    return formats


def file_name(synthesis: Synthesis, extension: str) -> str:
    return Wording(synthesis.language).file_name(synthesis, extension)


def render(synthesis: Synthesis, extension: str, variant: str | None = None) -> bytes:
    """The file; ``variant`` one of the format's ``variants`` (None: its default for the language)."""
    found = FORMATS[extension]
    if variant is None:
        return found.render(synthesis)
    if variant not in found.variants:
        raise ValueError(f"unknown variant {variant!r} of {extension}")
    return found.render(synthesis, variant)


FORMATS: dict[str, Format] = _load()
