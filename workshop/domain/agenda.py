"""Workshop templates: the agenda a facilitator starts from, read from a TOML file in ``sessions/``.

The file format is documented in ``docs/templates.md``. Loading never trusts the file: every
problem is reported with the file and the place in it (``blocks[2].rounds[0].minutes``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import json
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from workshop.domain.methods import METHODS, OPEN_SPACE, WORLD_CAFE
from workshop.domain.wording import N_, Wording

Method = Literal["world-cafe", "open-space"]  # domain.methods.METHODS, as a type
Part = Literal["am", "pm", "day", "evening"]
PARTS: tuple[str, ...] = ("am", "pm", "day", "evening")
# Appreciative inquiry's 4-D cycle: a block may say which phase it serves.
PHASES: tuple[str, ...] = ("discover", "dream", "design", "deliver")


@dataclass(frozen=True)
class Theme:
    id: str
    title: str


@dataclass(frozen=True)
class Sector:
    id: str
    name: str
    count: int | None = None  # how many members of the round table come from it, if known


@dataclass(frozen=True)
class TableSpec:
    number: int  # 1, 2, 3... as printed on the table card
    theme: str | None = None  # a Theme.id, or None for a numbered table
    capacity: int | None = None


@dataclass(frozen=True)
class RoundSpec:
    question: str
    minutes: int
    title: str | None = None  # "Ronde 1", optional
    # Facilitation modes (workshop.domain.modes), off unless the template says ``true``.
    reveal: bool = False
    moderated: bool = False
    anonymous: bool = False


@dataclass(frozen=True)
class Slot:
    id: str
    label: str  # "13 h 30 – 14 h 15"


@dataclass(frozen=True)
class Space:
    id: str
    name: str


@dataclass(frozen=True)
class BlockSpec:
    id: str
    title: str
    day: dt.date
    part: Part
    method: Method
    rounds: tuple[RoundSpec, ...]
    tables: tuple[TableSpec, ...] = ()  # world-cafe blocks; the workshop's tables when not given
    slots: tuple[Slot, ...] = ()  # open-space blocks
    spaces: tuple[Space, ...] = ()  # open-space blocks
    description: str | None = None
    phase: str | None = None  # one of PHASES
    vote_dots: int | None = None  # open-space blocks: dots per person in the convergence vote
    vote_top: int | None = None  # open-space blocks: how many topics go on to action planning


@dataclass(frozen=True)
class Template:
    name: str  # the file's stem, "cafe-conversation-2010"
    title: str
    organiser: str
    language: str  # "fr" or "en"
    dates: tuple[dt.date, ...]
    blocks: tuple[BlockSpec, ...]
    themes: tuple[Theme, ...] = ()
    sectors: tuple[Sector, ...] = ()
    place: str | None = None
    question: str | None = None  # the theme question of the whole workshop, if any
    dots_per_participant: int | None = None
    summary: str | None = None  # the gallery's sentence: what the template is for, and its timing
    # Shipped templates only: the code of the demo workshop `workshop serve --demo` makes of it.
    demo: str | None = None

    def theme(self, theme_id: str | None) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)


@dataclass(frozen=True)
class TemplateProblem:
    """One thing wrong in a template file, said so a person can fix it."""

    file: str
    place: str  # "blocks[2].rounds[0].minutes", or "line 12, column 3" for TOML syntax
    wording: Wording

    @property
    def message(self) -> str:
        """In English; ``wording.render(gettext)`` gives it in a page's language."""
        return self.wording.render()

    def __str__(self) -> str:
        return f"{self.file}: {self.place}: {self.message}"


class TemplateError(ValueError):
    def __init__(self, problems: list[TemplateProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# ---------------------------------------------------------------------------------------------
# Limits (documented in docs/templates.md: keep both in step)

MAX_ID = 64  # block, theme, sector, slot and space ids
MAX_TITLE = 200  # workshop title, organiser, place, theme title, sector name, block title
MAX_QUESTION = 500  # workshop question, round question
MAX_DESCRIPTION = 2000  # block description, template summary
MAX_LABEL = 100  # round title, slot label, space name
MAX_DATES = 31
MAX_SECTORS = 50
MAX_THEMES = 100
MAX_TABLES = 200
MAX_BLOCKS = 50
MAX_ROUNDS = 20
MAX_SLOTS = 24
MAX_SPACES = 100
MINUTES = (1, 240)
TABLE_NUMBER = (1, 999)
CAPACITY = (1, 50)
SECTOR_COUNT = (1, 10_000)
DOTS = (1, 50)
VOTE_TOP = (1, 100)
LANGUAGES: tuple[str, ...] = ("fr", "en")

_TOP_KEYS = ("workshop", "sectors", "themes", "tables", "blocks")
_WORKSHOP_KEYS = (
    "title",
    "organiser",
    "language",
    "dates",
    "place",
    "question",
    "dots_per_participant",
    "summary",
    "demo",
)
_SECTOR_KEYS = ("id", "name", "count")
_THEME_KEYS = ("id", "title")
_TABLE_KEYS = ("number", "theme", "capacity")
_BLOCK_KEYS = (
    "id",
    "title",
    "day",
    "part",
    "method",
    "description",
    "rounds",
    "tables",
    "slots",
    "spaces",
    "phase",
    "vote_dots",
    "vote_top",
)
_ROUND_MODES = ("reveal", "moderated", "anonymous")
_ROUND_KEYS = ("question", "minutes", "title", *_ROUND_MODES)

_DEMO_CODE = re.compile(r"[A-Z0-9]{4,16}")  # a workshop code as stored (agenda/workshops.py)
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_TEMPLATE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*")
_TOML_PLACE = re.compile(r"^(?P<msg>.*?)\s*\((?:at )?line (?P<line>\d+), column (?P<col>\d+)\)\s*$", re.S)
_TOML_END = re.compile(r"^(?P<msg>.*?)\s*\(at end of document\)\s*$", re.S)
_MISSING = object()


# ---------------------------------------------------------------------------------------------
# Finding templates


def list_templates(sessions_dir: Path) -> list[Path]:
    """The ``*.toml`` files of ``sessions_dir``, sorted by name; [] when the folder is missing."""
    folder = Path(sessions_dir)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


def find_template(name: str | os.PathLike[str], sessions_dir: Path) -> Path:
    """A template by path or bare name (``cafe-conversation-2010`` or ``...toml``).

    A name with a path separator is a path: it must be an existing ``.toml`` file. A bare name
    is looked up in ``sessions_dir`` (with ``.toml`` added when missing), then as a ``.toml``
    file of the current folder. Bare names are restricted to letters, digits, ``-``, ``_`` and
    single dots, so ``..`` or ``\\`` never reach the file system. Anything else raises
    ``FileNotFoundError`` with the list of available templates.
    """
    text = os.fspath(name)
    if not isinstance(text, str):  # bytes paths
        raise FileNotFoundError(f"template name must be text, not {type(text).__name__}")
    folder = Path(sessions_dir)
    separators = {"/", os.sep} | ({os.altsep} if os.altsep else set())
    if "\x00" in text or not text.strip():
        raise FileNotFoundError(f"{text!r} is not a template name.{_available(folder)}")
    if any(sep in text for sep in separators):
        path = Path(text)
        if path.suffix == ".toml" and path.is_file():
            return path
        if path.suffix != ".toml":
            raise FileNotFoundError(f"{text}: a template file must end in .toml.{_available(folder)}")
        raise FileNotFoundError(f"{text}: no such template file.{_available(folder)}")
    if ".." in text or not _TEMPLATE_NAME.fullmatch(text):
        raise FileNotFoundError(
            f"{text!r} is not a valid template name (letters, digits, '-' and '_' only).{_available(folder)}"
        )
    file_name = text if text.endswith(".toml") else f"{text}.toml"
    candidate = folder / file_name
    if candidate.is_file():
        return candidate
    local = Path(file_name)
    if text.endswith(".toml") and local.is_file():
        return local
    raise FileNotFoundError(f"no template named {text!r} in {folder}.{_available(folder)}")


def demo_templates(sessions_dir: Path) -> tuple[list[Template], list[str]]:
    """The shipped templates of the folder (those whose ``[workshop]`` names a ``demo`` code), and
    one line per file that cannot be one. A facilitator's own file (no ``demo`` key) is left
    alone; a broken one, or a second file claiming a code already taken, is reported, never fatal."""
    shipped: list[Template] = []
    problems: list[str] = []
    claimed: dict[str, str] = {}
    for path in list_templates(sessions_dir):
        try:
            template, found = _read(path)
        except Exception as error:
            problems.append(f"{path.name}: skipped: cannot be read ({type(error).__name__})")
            continue
        if found or template is None:
            first = found[0] if found else None
            more = f" (and {len(found) - 1} more; run `workshop check {path.name}`)" if len(found) > 1 else ""
            problems.append(
                f"{path.name}: skipped: {first.place}: {first.message}{more}" if first else f"{path.name}: skipped"
            )
            continue
        if template.demo is None:
            continue
        if template.demo in claimed:
            problems.append(
                f"{path.name}: skipped: its demo code {template.demo} is already that of {claimed[template.demo]}"
            )
            continue
        claimed[template.demo] = path.name
        shipped.append(template)
    return shipped, problems


def _available(folder: Path) -> str:
    names = [p.stem for p in list_templates(folder)]
    if not names:
        return f" There are no templates in {folder}."
    return " Available templates: " + ", ".join(names) + "."


# ---------------------------------------------------------------------------------------------
# Reading and checking


def check_template(path: Path) -> list[TemplateProblem]:
    """Every problem in the file; an empty list when it is valid."""
    return _read(path)[1]


def load_template(path: Path) -> Template:
    """The template, or TemplateError listing every problem."""
    template, problems = _read(path)
    if problems or template is None:
        raise TemplateError(problems)
    return template


def _read(path: Path | str) -> tuple[Template | None, list[TemplateProblem]]:
    file = os.fspath(path)
    checker = _Checker(str(file))
    try:
        raw = Path(file).read_bytes()
    except FileNotFoundError:
        checker.bad("file", N_("no such file"))
        return None, checker.problems
    except IsADirectoryError:
        checker.bad("file", N_("is a folder, not a template file"))
        return None, checker.problems
    except OSError as exc:
        checker.bad("file", N_("cannot be read: %(reason)s"), reason=exc.strerror or str(exc))
        return None, checker.problems
    return read_text(raw, Path(file).stem, str(file))


def read_text(raw: bytes | str, name: str, file: str) -> tuple[Template | None, list[TemplateProblem]]:
    """A template from a file's content (an upload, a request's body): the template or its problems."""
    checker = _Checker(file)
    data = _parse(raw.encode("utf-8") if isinstance(raw, str) else raw, checker)
    if data is None:
        return None, checker.problems
    return read_data(data, name, file)


def read_data(data: dict[str, Any], name: str, file: str) -> tuple[Template | None, list[TemplateProblem]]:
    """A template from data shaped like the TOML file (the designer's form): the template or its problems."""
    checker = _Checker(file)
    template = _template(data, name, checker)
    if checker.problems:
        return None, checker.problems
    return template, []


def _parse(raw: bytes, c: _Checker) -> dict[str, Any] | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        c.bad(f"line {line}, column {column}", N_("is not valid UTF-8: save the file as UTF-8"))
        return None
    text = text.removeprefix("\ufeff")  # a byte-order mark, as some Windows editors write
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        if m := _TOML_PLACE.match(message):
            c.bad(f"line {m['line']}, column {m['col']}", N_("TOML syntax error: %(detail)s"), detail=m["msg"])
        elif m := _TOML_END.match(message):
            c.bad("end of file", N_("TOML syntax error: %(detail)s"), detail=m["msg"])
        else:
            c.bad("file", N_("TOML syntax error: %(detail)s"), detail=message)
        return None


def _at(place: str, key: str | int) -> str:
    """``blocks[2]`` + ``rounds`` -> ``blocks[2].rounds``; + 0 -> ``blocks[2].rounds[0]``."""
    if isinstance(key, int):
        return f"{place}[{key}]"
    shown = key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)
    return f"{place}.{shown}" if place else shown


def _kind(value: object) -> Wording:
    """How TOML calls the value's type, with the value when short: 'a string ("25")'."""
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return Wording(N_("an array of tables"))
        return Wording(N_("an array"))
    if isinstance(value, dict):
        return Wording(N_("a table"))
    if isinstance(value, bool):
        kind = N_("a boolean (%(value)s)")
    elif isinstance(value, int):
        kind = N_("an integer (%(value)s)")
    elif isinstance(value, float):
        kind = N_("a float (%(value)s)")
    elif isinstance(value, str):
        kind = N_("a string (%(value)s)")
    elif isinstance(value, dt.datetime):
        kind = N_("a date-time (%(value)s)")
    elif isinstance(value, dt.date):
        kind = N_("a date (%(value)s)")
    elif isinstance(value, dt.time):
        kind = N_("a time (%(value)s)")
    else:  # pragma: no cover - tomllib makes nothing else
        return Wording(type(value).__name__)
    if isinstance(value, str):
        shown = json.dumps(value if len(value) <= 40 else value[:37] + "...", ensure_ascii=False)
    elif isinstance(value, bool):
        shown = "true" if value else "false"
    else:
        shown = value.isoformat() if isinstance(value, (dt.date, dt.time)) else repr(value)
    return Wording(kind, {"value": shown})


class _Checker:
    """Collects problems while reading the parsed TOML; every reader returns None when bad."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[TemplateProblem] = []

    def bad(self, place: str, message: str, **params: Any) -> None:
        self.problems.append(TemplateProblem(self.file, place, Wording(message, params)))

    def keys(self, table: dict[str, Any], place: str, allowed: tuple[str, ...]) -> None:
        for key in table:
            if key in allowed:
                continue
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            if close:
                self.bad(
                    _at(place, key), N_("unknown key '%(key)s' (did you mean '%(close)s'?)"), key=key, close=close[0]
                )
            else:
                self.bad(
                    _at(place, key),
                    N_("unknown key '%(key)s' (allowed keys: %(allowed)s)"),
                    key=key,
                    allowed=", ".join(allowed),
                )

    def get(self, table: dict[str, Any], key: str, place: str, required: bool) -> Any:
        value = table.get(key, _MISSING)
        if value is _MISSING and required:
            self.bad(_at(place, key), N_("required key is missing"))
        return value

    def text(
        self,
        table: dict[str, Any],
        key: str,
        place: str,
        *,
        limit: int,
        required: bool = True,
        multiline: bool = False,
    ) -> str | None:
        value = self.get(table, key, place, required)
        if value is _MISSING:
            return None
        where = _at(place, key)
        if not isinstance(value, str):
            self.bad(where, N_("expected a string, got %(kind)s"), kind=_kind(value))
            return None
        value = unicodedata.normalize("NFC", value.strip())
        ok = True
        if not value:
            self.bad(
                where, N_("must not be empty") if required else N_("must not be empty (leave the key out instead)")
            )
            ok = False
        if len(value) > limit:
            self.bad(where, N_("is %(length)s characters long; the limit is %(limit)s"), length=len(value), limit=limit)
            ok = False
        if not multiline and ("\n" in value or "\r" in value):
            self.bad(where, N_("must fit on one line"))
            ok = False
        allowed = "\n\r\t" if multiline else "\t"
        control = next((ch for ch in value if unicodedata.category(ch) == "Cc" and ch not in allowed), None)
        if control is not None:
            self.bad(where, N_("contains a control character (%(character)s)"), character=f"U+{ord(control):04X}")
            ok = False
        return value if ok else None

    def slug(self, table: dict[str, Any], key: str, place: str) -> str | None:
        value = self.get(table, key, place, True)
        if value is _MISSING:
            return None
        where = _at(place, key)
        if not isinstance(value, str):
            self.bad(where, N_("expected a string, got %(kind)s"), kind=_kind(value))
            return None
        if len(value) > MAX_ID:
            self.bad(
                where, N_("is %(length)s characters long; the limit is %(limit)s"), length=len(value), limit=MAX_ID
            )
            return None
        if not _SLUG.fullmatch(value):
            self.bad(
                where,
                N_(
                    '%(value)s is not a valid id: use lowercase letters a-z, digits and single dashes between them (like "4-mai-am")'
                ),
                value=json.dumps(value, ensure_ascii=False),
            )
            return None
        return value

    def integer(
        self,
        table: dict[str, Any],
        key: str,
        place: str,
        bounds: tuple[int, int],
        *,
        required: bool = True,
        unit: str = "",
    ) -> int | None:
        value = self.get(table, key, place, required)
        if value is _MISSING:
            return None
        where = _at(place, key)
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
                self.bad(
                    where,
                    N_("expected an integer, got %(kind)s: write %(value)s without quotes"),
                    kind=_kind(value),
                    value=value.strip(),
                )
            elif isinstance(value, float) and value.is_integer():
                self.bad(
                    where, N_("expected an integer, got %(kind)s: write %(value)s"), kind=_kind(value), value=int(value)
                )
            else:
                self.bad(where, N_("expected an integer, got %(kind)s"), kind=_kind(value))
            return None
        low, high = bounds
        if not low <= value <= high:
            message = {
                "minutes": N_("must be between %(low)s and %(high)s minutes, got %(value)s"),
                "people": N_("must be between %(low)s and %(high)s people, got %(value)s"),
            }.get(unit, N_("must be between %(low)s and %(high)s, got %(value)s"))
            self.bad(where, message, low=low, high=high, value=value)
            return None
        return value

    def flag(self, table: dict[str, Any], key: str, place: str) -> bool | None:
        """An optional ``true`` / ``false``; None when left out or wrong (reported)."""
        value = self.get(table, key, place, False)
        if value is _MISSING:
            return None
        if not isinstance(value, bool):
            self.bad(_at(place, key), N_("expected true or false, got %(kind)s"), kind=_kind(value))
            return None
        return value

    def choice(self, table: dict[str, Any], key: str, place: str, choices: tuple[str, ...]) -> str | None:
        value = self.get(table, key, place, True)
        if value is _MISSING:
            return None
        where = _at(place, key)
        if not isinstance(value, str):
            self.bad(where, N_("expected a string, got %(kind)s"), kind=_kind(value))
            return None
        if value not in choices:
            options = ", ".join(f'"{c}"' for c in choices)
            self.bad(
                where,
                N_("%(value)s is not one of %(options)s"),
                value=json.dumps(value, ensure_ascii=False),
                options=options,
            )
            return None
        return value

    def date(self, value: Any, where: str) -> dt.date | None:
        if type(value) is dt.date:
            return value
        if isinstance(value, dt.datetime):
            self.bad(where, N_("expected a date like 2010-05-04, got %(kind)s: leave out the time"), kind=_kind(value))
        elif isinstance(value, str) and _looks_like_date(value):
            self.bad(
                where,
                N_("expected a date, got %(kind)s: write %(value)s without quotes"),
                kind=_kind(value),
                value=value.strip(),
            )
        else:
            self.bad(where, N_("expected a date like 2010-05-04, got %(kind)s"), kind=_kind(value))
        return None

    def table(self, value: Any, where: str, header: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.bad(where, N_("expected a table (%(header)s), got %(kind)s"), header=header, kind=_kind(value))
        return None

    def records(
        self,
        table: dict[str, Any],
        key: str,
        place: str,
        header: str,
        *,
        most: int,
        least: int = 0,
        required: bool = False,
    ) -> list[tuple[str, dict[str, Any]]] | None:
        """The tables of an array of tables, each with its place; None when the key is absent."""
        value = self.get(table, key, place, required)
        if value is _MISSING:
            return None
        where = _at(place, key)
        if not isinstance(value, list):
            self.bad(
                where, N_("expected an array of tables (%(header)s), got %(kind)s"), header=header, kind=_kind(value)
            )
            return []
        if len(value) < least:
            self.bad(where, N_("needs at least %(least)s %(header)s entries"), least=least, header=header)
        if len(value) > most:
            self.bad(where, N_("has %(count)s entries; the limit is %(most)s"), count=len(value), most=most)
        found = []
        for index, item in enumerate(value):
            item_place = _at(where, index)
            if isinstance(item, dict):
                found.append((item_place, item))
            else:
                self.bad(item_place, N_("expected a table (%(header)s), got %(kind)s"), header=header, kind=_kind(item))
        return found


def _looks_like_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text.strip())
    except ValueError:
        return False
    return True


def _template(data: dict[str, Any], name: str, c: _Checker) -> Template | None:
    c.keys(data, "", _TOP_KEYS)

    # [workshop]
    title = organiser = language = place = question = summary = demo = None
    dots = None
    dates: list[dt.date] | None = None
    raw_workshop = c.get(data, "workshop", "", True)
    workshop = None if raw_workshop is _MISSING else c.table(raw_workshop, "workshop", "[workshop]")
    if workshop is not None:
        c.keys(workshop, "workshop", _WORKSHOP_KEYS)
        title = c.text(workshop, "title", "workshop", limit=MAX_TITLE)
        organiser = c.text(workshop, "organiser", "workshop", limit=MAX_TITLE)
        language = c.choice(workshop, "language", "workshop", LANGUAGES)
        dates = _dates(workshop, c)
        place = c.text(workshop, "place", "workshop", limit=MAX_TITLE, required=False)
        question = c.text(workshop, "question", "workshop", limit=MAX_QUESTION, required=False)
        dots = c.integer(workshop, "dots_per_participant", "workshop", DOTS, required=False)
        summary = c.text(workshop, "summary", "workshop", limit=MAX_DESCRIPTION, required=False, multiline=True)
        demo = c.text(workshop, "demo", "workshop", limit=16, required=False)
        if demo is not None and not _DEMO_CODE.fullmatch(demo):
            c.bad(
                "workshop.demo",
                N_('%(value)s is not a workshop code: 4 to 16 capital letters or digits, like "CC2010"'),
                value=json.dumps(demo),
            )
            demo = None

    sectors = _sectors(data, c)
    themes, theme_ids = _themes(data, c)
    workshop_tables_raw = c.records(data, "tables", "", "[[tables]]", most=MAX_TABLES)
    workshop_tables = _tables(workshop_tables_raw or [], theme_ids, c)
    blocks = _blocks(data, dates, workshop_tables, bool(workshop_tables_raw), theme_ids, c)

    if c.problems:
        return None
    assert title and organiser and language and dates is not None and blocks is not None
    return Template(
        name=name,
        title=title,
        organiser=organiser,
        language=language,
        dates=tuple(dates),
        blocks=tuple(blocks),
        themes=tuple(themes),
        sectors=tuple(sectors),
        place=place,
        question=question,
        dots_per_participant=dots,
        summary=summary,
        demo=demo,
    )


def _dates(workshop: dict[str, Any], c: _Checker) -> list[dt.date] | None:
    value = c.get(workshop, "dates", "workshop", True)
    if value is _MISSING:
        return None
    where = "workshop.dates"
    if not isinstance(value, list):
        if type(value) is dt.date:
            c.bad(
                where, N_("expected an array of dates, got %(kind)s: write [%(value)s]"), kind=_kind(value), value=value
            )
        else:
            c.bad(
                where, N_("expected an array of dates like [2010-05-04, 2010-05-05], got %(kind)s"), kind=_kind(value)
            )
        return None
    if not value:
        c.bad(where, N_("needs at least one date"))
        return None
    if len(value) > MAX_DATES:
        c.bad(where, N_("has %(count)s dates; the limit is %(most)s"), count=len(value), most=MAX_DATES)
    dates = [c.date(v, _at(where, i)) for i, v in enumerate(value)]
    good = [d for d in dates if d is not None]
    if len(good) != len(dates):
        return None
    ok = True
    for i, (before, after) in enumerate(itertools.pairwise(good), start=1):
        if after == before:
            c.bad(_at(where, i), N_("%(date)s is given twice"), date=after)
            ok = False
        elif after < before:
            c.bad(
                _at(where, i),
                N_("%(date)s comes before %(before)s: list the dates in order"),
                date=after,
                before=before,
            )
            ok = False
    return good if ok else None


def _sectors(data: dict[str, Any], c: _Checker) -> list[Sector]:
    sectors: list[Sector] = []
    seen: dict[str, str] = {}
    for place, raw in c.records(data, "sectors", "", "[[sectors]]", most=MAX_SECTORS) or []:
        c.keys(raw, place, _SECTOR_KEYS)
        sector_id = c.slug(raw, "id", place)
        name = c.text(raw, "name", place, limit=MAX_TITLE)
        count = c.integer(raw, "count", place, SECTOR_COUNT, required=False)
        if sector_id is not None and _duplicate(sector_id, place, seen, "sector", c):
            sector_id = None
        if sector_id is not None and name is not None:
            sectors.append(Sector(id=sector_id, name=name, count=count))
    return sectors


def _themes(data: dict[str, Any], c: _Checker) -> tuple[list[Theme], set[str]]:
    themes: list[Theme] = []
    seen: dict[str, str] = {}
    ids: set[str] = set()  # every id written, valid or not, so tables do not repeat the problem
    for place, raw in c.records(data, "themes", "", "[[themes]]", most=MAX_THEMES) or []:
        c.keys(raw, place, _THEME_KEYS)
        if isinstance(raw.get("id"), str):
            ids.add(raw["id"])
        theme_id = c.slug(raw, "id", place)
        title = c.text(raw, "title", place, limit=MAX_TITLE)
        if theme_id is not None and _duplicate(theme_id, place, seen, "theme", c):
            theme_id = None
        if theme_id is not None and title is not None:
            themes.append(Theme(id=theme_id, title=title))
    return themes, ids


def _duplicate(value: str, place: str, seen: dict[str, str], what: str, c: _Checker) -> bool:
    if value in seen:
        message = {
            "block": N_('duplicate block id "%(value)s": already used by %(other)s'),
            "sector": N_('duplicate sector id "%(value)s": already used by %(other)s'),
            "theme": N_('duplicate theme id "%(value)s": already used by %(other)s'),
            "slot": N_('duplicate slot id "%(value)s": already used by %(other)s'),
            "space": N_('duplicate space id "%(value)s": already used by %(other)s'),
        }[what]
        c.bad(_at(place, "id"), message, value=value, other=seen[value])
        return True
    seen[value] = place
    return False


def _tables(records: list[tuple[str, dict[str, Any]]], theme_ids: set[str], c: _Checker) -> list[TableSpec]:
    tables: list[TableSpec] = []
    numbers: dict[int, str] = {}
    for place, raw in records:
        c.keys(raw, place, _TABLE_KEYS)
        number = c.integer(raw, "number", place, TABLE_NUMBER)
        theme = None
        raw_theme = c.get(raw, "theme", place, False)
        if raw_theme is not _MISSING:
            if not isinstance(raw_theme, str):
                c.bad(_at(place, "theme"), N_("expected a theme id (a string), got %(kind)s"), kind=_kind(raw_theme))
            elif raw_theme not in theme_ids:
                declared = ", ".join(f'"{t}"' for t in sorted(theme_ids)) or "none"
                c.bad(
                    _at(place, "theme"),
                    N_('theme "%(theme)s" is not declared in [[themes]] (declared: %(declared)s)'),
                    theme=raw_theme,
                    declared=declared,
                )
            else:
                theme = raw_theme
        capacity = c.integer(raw, "capacity", place, CAPACITY, required=False, unit="people")
        if number is not None:
            if number in numbers:
                c.bad(
                    _at(place, "number"),
                    N_("table %(number)s is already numbered at %(other)s"),
                    number=number,
                    other=numbers[number],
                )
                continue
            numbers[number] = place
            tables.append(TableSpec(number=number, theme=theme, capacity=capacity))
    return tables


def _blocks(
    data: dict[str, Any],
    dates: list[dt.date] | None,
    workshop_tables: list[TableSpec],
    workshop_has_tables: bool,
    theme_ids: set[str],
    c: _Checker,
) -> list[BlockSpec] | None:
    records = c.records(data, "blocks", "", "[[blocks]]", least=1, most=MAX_BLOCKS, required=True)
    if records is None:
        return None
    blocks: list[BlockSpec] = []
    seen: dict[str, str] = {}
    for place, raw in records:
        c.keys(raw, place, _BLOCK_KEYS)
        block_id = c.slug(raw, "id", place)
        if block_id is not None and _duplicate(block_id, place, seen, "block", c):
            block_id = None
        title = c.text(raw, "title", place, limit=MAX_TITLE)
        day = None
        raw_day = c.get(raw, "day", place, True)
        if raw_day is not _MISSING:
            day = c.date(raw_day, _at(place, "day"))
            if day is not None and dates is not None and day not in dates:
                listed = ", ".join(d.isoformat() for d in dates)
                c.bad(
                    _at(place, "day"), N_("%(day)s is not one of workshop.dates (%(listed)s)"), day=day, listed=listed
                )
                day = None
        part = c.choice(raw, "part", place, PARTS)
        method = c.choice(raw, "method", place, METHODS)
        description = c.text(raw, "description", place, limit=MAX_DESCRIPTION, required=False, multiline=True)
        rounds = _rounds(raw, place, c)
        phase = c.choice(raw, "phase", place, PHASES) if "phase" in raw else None
        vote_dots = c.integer(raw, "vote_dots", place, DOTS, required=False)
        vote_top = c.integer(raw, "vote_top", place, VOTE_TOP, required=False)
        tables_raw = c.records(raw, "tables", place, "[[blocks.tables]]", least=1, most=MAX_TABLES)
        tables = _tables(tables_raw or [], theme_ids, c)
        slots = _named(raw, "slots", place, "[[blocks.slots]]", "label", MAX_SLOTS, Slot, c)
        spaces = _named(raw, "spaces", place, "[[blocks.spaces]]", "name", MAX_SPACES, Space, c)

        if method == WORLD_CAFE:
            if tables_raw is None:
                if not workshop_has_tables:
                    c.bad(
                        _at(place, "tables"),
                        N_(
                            "a world-cafe block needs at least one table: add [[blocks.tables]] to this block or [[tables]] to the workshop"
                        ),
                    )
                tables = list(workshop_tables)
            for key in ("vote_dots", "vote_top"):
                if key in raw:
                    c.bad(_at(place, key), N_("only open-space blocks have a dot vote"))
            for key, items in (("slots", slots), ("spaces", spaces)):
                if items is not None:
                    c.bad(
                        _at(place, key),
                        N_("only open-space blocks have slots")
                        if key == "slots"
                        else N_("only open-space blocks have spaces"),
                    )
        elif method == OPEN_SPACE:
            if tables_raw is not None:
                c.bad(_at(place, "tables"), N_("only world-cafe blocks have tables"))
            for key, items in (("slots", slots), ("spaces", spaces)):
                if items is None:
                    c.bad(
                        _at(place, key),
                        N_("an open-space block needs at least one slot ([[blocks.slots]])")
                        if key == "slots"
                        else N_("an open-space block needs at least one space ([[blocks.spaces]])"),
                    )

        if block_id is None or title is None or day is None or part is None or method is None or rounds is None:
            continue  # its problems are already reported
        blocks.append(
            BlockSpec(
                id=block_id,
                title=title,
                day=day,
                part=cast(Part, part),
                method=cast(Method, method),
                rounds=tuple(rounds),
                tables=tuple(tables) if method == WORLD_CAFE else (),
                slots=tuple(slots or ()) if method == OPEN_SPACE else (),
                spaces=tuple(spaces or ()) if method == OPEN_SPACE else (),
                description=description,
                phase=phase,
                vote_dots=vote_dots if method == OPEN_SPACE else None,
                vote_top=vote_top if method == OPEN_SPACE else None,
            )
        )
    return blocks


def _rounds(block: dict[str, Any], place: str, c: _Checker) -> list[RoundSpec] | None:
    records = c.records(block, "rounds", place, "[[blocks.rounds]]", least=1, most=MAX_ROUNDS, required=True)
    if records is None:
        return None
    rounds: list[RoundSpec] = []
    for round_place, raw in records:
        c.keys(raw, round_place, _ROUND_KEYS)
        question = c.text(raw, "question", round_place, limit=MAX_QUESTION, multiline=True)
        minutes = c.integer(raw, "minutes", round_place, MINUTES, unit="minutes")
        title = c.text(raw, "title", round_place, limit=MAX_LABEL, required=False)
        modes = {name: bool(c.flag(raw, name, round_place)) for name in _ROUND_MODES}
        if question is not None and minutes is not None:
            rounds.append(RoundSpec(question=question, minutes=minutes, title=title, **modes))
    return rounds if records and len(rounds) == len(records) else None


def _named(
    block: dict[str, Any],
    key: str,
    place: str,
    header: str,
    text_key: str,
    most: int,
    kind: type,
    c: _Checker,
) -> list[Any] | None:
    """The slots or spaces of a block (``id`` plus ``label`` or ``name``); None when absent."""
    records = c.records(block, key, place, header, least=1, most=most)
    if records is None:
        return None
    found = []
    seen: dict[str, str] = {}
    for item_place, raw in records:
        c.keys(raw, item_place, ("id", text_key))
        item_id = c.slug(raw, "id", item_place)
        text = c.text(raw, text_key, item_place, limit=MAX_LABEL)
        if item_id is not None and _duplicate(item_id, item_place, seen, key[:-1], c):
            item_id = None
        if item_id is not None and text is not None:
            found.append(kind(item_id, text))
    return found


# ---------------------------------------------------------------------------------------------
# Writing


def template_data(template: Template) -> dict[str, Any]:
    """The template as the TOML file holds it: ``read_data`` of it gives the same template back.

    Every block lists its own tables, so a workshop whose blocks differ keeps them apart.
    """
    workshop: dict[str, Any] = {
        "title": template.title,
        "organiser": template.organiser,
        "language": template.language,
        "dates": list(template.dates),
    }
    optional = (
        ("place", template.place),
        ("question", template.question),
        ("dots_per_participant", template.dots_per_participant),
        ("summary", template.summary),
        ("demo", template.demo),  # shipped templates only; a workshop's agenda.toml never has one
    )
    workshop |= {key: value for key, value in optional if value is not None}
    data: dict[str, Any] = {"workshop": workshop}
    if template.sectors:
        data["sectors"] = [
            {"id": s.id, "name": s.name} | ({"count": s.count} if s.count is not None else {}) for s in template.sectors
        ]
    if template.themes:
        data["themes"] = [{"id": t.id, "title": t.title} for t in template.themes]
    data["blocks"] = [_block_data(block) for block in template.blocks]
    return data


def _block_data(block: BlockSpec) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": block.id,
        "title": block.title,
        "day": block.day,
        "part": block.part,
        "method": block.method,
    }
    optional = (
        ("description", block.description),
        ("phase", block.phase),
        ("vote_dots", block.vote_dots),
        ("vote_top", block.vote_top),
    )
    data |= {key: value for key, value in optional if value is not None}
    data["rounds"] = [
        ({"title": r.title} if r.title is not None else {})
        | {"question": r.question, "minutes": r.minutes}
        | {name: True for name in _ROUND_MODES if getattr(r, name)}
        for r in block.rounds
    ]
    if block.method == WORLD_CAFE:
        data["tables"] = [
            {"number": t.number}
            | ({"theme": t.theme} if t.theme is not None else {})
            | ({"capacity": t.capacity} if t.capacity is not None else {})
            for t in block.tables
        ]
    else:
        data["slots"] = [{"id": s.id, "label": s.label} for s in block.slots]
        data["spaces"] = [{"id": s.id, "name": s.name} for s in block.spaces]
    return data


def template_toml(template: Template) -> str:
    """The template as a file for ``sessions/``, ``workshop check`` and ``POST /workshops``."""
    import tomli_w

    header = "# Agenda exported by workshop; the format is described in docs/templates.md.\n\n"
    return header + tomli_w.dumps(template_data(template), multiline_strings=True, indent=2)
