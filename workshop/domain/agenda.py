"""Workshop templates: the agenda a facilitator starts from, read from a TOML file in ``sessions/``.

The file format is documented in ``docs/templates.md``. Loading never trusts the file: every
problem is reported with the file and the place in it (``blocks[2].rounds[0].minutes``).
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

Method = Literal["world-cafe", "open-space"]
Part = Literal["am", "pm", "day", "evening"]
METHODS: tuple[str, ...] = ("world-cafe", "open-space")
PARTS: tuple[str, ...] = ("am", "pm", "day", "evening")


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
    # Shipped templates only: the code of the demo workshop `workshop serve --demo` makes of it.
    demo: str | None = None

    def theme(self, theme_id: str | None) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)


@dataclass(frozen=True)
class TemplateProblem:
    """One thing wrong in a template file, said so a person can fix it."""

    file: str
    place: str  # "blocks[2].rounds[0].minutes", or "line 12, column 3" for TOML syntax
    message: str

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
MAX_DESCRIPTION = 2000  # block description
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
LANGUAGES: tuple[str, ...] = ("fr", "en")

_TOP_KEYS = ("workshop", "sectors", "themes", "tables", "blocks")
_WORKSHOP_KEYS = (
    "title", "organiser", "language", "dates", "place", "question", "dots_per_participant", "demo",
)
_SECTOR_KEYS = ("id", "name", "count")
_THEME_KEYS = ("id", "title")
_TABLE_KEYS = ("number", "theme", "capacity")
_BLOCK_KEYS = (
    "id", "title", "day", "part", "method", "description", "rounds", "tables", "slots", "spaces",
)
_ROUND_KEYS = ("question", "minutes", "title")

_DEMO_CODE = re.compile(r"[A-Z0-9]{4,16}")  # a workshop code as stored (services/workshops.py)
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
            raise FileNotFoundError(
                f"{text}: a template file must end in .toml.{_available(folder)}"
            )
        raise FileNotFoundError(f"{text}: no such template file.{_available(folder)}")
    if ".." in text or not _TEMPLATE_NAME.fullmatch(text):
        raise FileNotFoundError(
            f"{text!r} is not a valid template name (letters, digits, '-' and '_' only)."
            f"{_available(folder)}"
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
        except Exception as error:  # noqa: BLE001  (whatever is in the file, start-up goes on)
            problems.append(f"{path.name}: skipped: cannot be read ({type(error).__name__})")
            continue
        if found or template is None:
            first = found[0] if found else None
            more = f" (and {len(found) - 1} more; run `workshop check {path.name}`)" if len(found) > 1 else ""
            problems.append(f"{path.name}: skipped: {first.place}: {first.message}{more}" if first else f"{path.name}: skipped")
            continue
        if template.demo is None:
            continue
        if template.demo in claimed:
            problems.append(f"{path.name}: skipped: its demo code {template.demo} is already that of {claimed[template.demo]}")
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
    data = _parse(Path(file), checker)
    if data is None:
        return None, checker.problems
    template = _template(data, Path(file).stem, checker)
    if checker.problems:
        return None, checker.problems
    return template, []


def _parse(path: Path, c: _Checker) -> dict[str, Any] | None:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        c.bad("file", "no such file")
        return None
    except IsADirectoryError:
        c.bad("file", "is a folder, not a template file")
        return None
    except OSError as exc:
        c.bad("file", f"cannot be read: {exc.strerror or exc}")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        c.bad(f"line {line}, column {column}", "is not valid UTF-8: save the file as UTF-8")
        return None
    text = text.removeprefix("\ufeff")  # a byte-order mark, as some Windows editors write
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        if m := _TOML_PLACE.match(message):
            c.bad(f"line {m['line']}, column {m['col']}", f"TOML syntax error: {m['msg']}")
        elif m := _TOML_END.match(message):
            c.bad("end of file", f"TOML syntax error: {m['msg']}")
        else:
            c.bad("file", f"TOML syntax error: {message}")
        return None


def _at(place: str, key: str | int) -> str:
    """``blocks[2]`` + ``rounds`` -> ``blocks[2].rounds``; + 0 -> ``blocks[2].rounds[0]``."""
    if isinstance(key, int):
        return f"{place}[{key}]"
    shown = key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)
    return f"{place}.{shown}" if place else shown


def _kind(value: object) -> str:
    """How TOML calls the value's type, with the value when short: 'a string ("25")'."""
    if isinstance(value, bool):
        kind = "a boolean"
    elif isinstance(value, int):
        kind = "an integer"
    elif isinstance(value, float):
        kind = "a float"
    elif isinstance(value, str):
        kind = "a string"
    elif isinstance(value, dt.datetime):
        kind = "a date-time"
    elif isinstance(value, dt.date):
        kind = "a date"
    elif isinstance(value, dt.time):
        kind = "a time"
    elif isinstance(value, list):
        return "an array of tables" if value and all(isinstance(v, dict) for v in value) else "an array"
    elif isinstance(value, dict):
        return "a table"
    else:  # pragma: no cover - tomllib makes nothing else
        return type(value).__name__
    if isinstance(value, str):
        shown = json.dumps(value if len(value) <= 40 else value[:37] + "...", ensure_ascii=False)
    elif isinstance(value, bool):
        shown = "true" if value else "false"
    else:
        shown = value.isoformat() if isinstance(value, (dt.date, dt.time)) else repr(value)
    return f"{kind} ({shown})"


class _Checker:
    """Collects problems while reading the parsed TOML; every reader returns None when bad."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[TemplateProblem] = []

    def bad(self, place: str, message: str) -> None:
        self.problems.append(TemplateProblem(self.file, place, message))

    def keys(self, table: dict[str, Any], place: str, allowed: tuple[str, ...]) -> None:
        for key in table:
            if key in allowed:
                continue
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "allowed keys: " + ", ".join(allowed)
            self.bad(_at(place, key), f"unknown key '{key}' ({hint})")

    def get(self, table: dict[str, Any], key: str, place: str, required: bool) -> Any:
        value = table.get(key, _MISSING)
        if value is _MISSING and required:
            self.bad(_at(place, key), "required key is missing")
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
            self.bad(where, f"expected a string, got {_kind(value)}")
            return None
        value = unicodedata.normalize("NFC", value.strip())
        ok = True
        if not value:
            self.bad(where, "must not be empty" + ("" if required else " (leave the key out instead)"))
            ok = False
        if len(value) > limit:
            self.bad(where, f"is {len(value)} characters long; the limit is {limit}")
            ok = False
        if not multiline and ("\n" in value or "\r" in value):
            self.bad(where, "must fit on one line")
            ok = False
        allowed = "\n\r\t" if multiline else "\t"
        control = next(
            (ch for ch in value if unicodedata.category(ch) == "Cc" and ch not in allowed), None
        )
        if control is not None:
            self.bad(where, f"contains a control character (U+{ord(control):04X})")
            ok = False
        return value if ok else None

    def slug(self, table: dict[str, Any], key: str, place: str) -> str | None:
        value = self.get(table, key, place, True)
        if value is _MISSING:
            return None
        where = _at(place, key)
        if not isinstance(value, str):
            self.bad(where, f"expected a string, got {_kind(value)}")
            return None
        if len(value) > MAX_ID:
            self.bad(where, f"is {len(value)} characters long; the limit is {MAX_ID}")
            return None
        if not _SLUG.fullmatch(value):
            self.bad(
                where,
                f"{json.dumps(value, ensure_ascii=False)} is not a valid id: use lowercase letters "
                "a-z, digits and single dashes between them (like \"4-mai-am\")",
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
            hint = ""
            if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
                hint = f": write {value.strip()} without quotes"
            elif isinstance(value, float) and value.is_integer():
                hint = f": write {int(value)}"
            self.bad(where, f"expected an integer, got {_kind(value)}{hint}")
            return None
        low, high = bounds
        if not low <= value <= high:
            self.bad(where, f"must be between {low} and {high}{unit}, got {value}")
            return None
        return value

    def choice(
        self, table: dict[str, Any], key: str, place: str, choices: tuple[str, ...]
    ) -> str | None:
        value = self.get(table, key, place, True)
        if value is _MISSING:
            return None
        where = _at(place, key)
        if not isinstance(value, str):
            self.bad(where, f"expected a string, got {_kind(value)}")
            return None
        if value not in choices:
            options = ", ".join(f'"{c}"' for c in choices)
            self.bad(where, f"{json.dumps(value, ensure_ascii=False)} is not one of {options}")
            return None
        return value

    def date(self, value: Any, where: str) -> dt.date | None:
        if type(value) is dt.date:  # noqa: E721 - a datetime is a date too, and is refused
            return value
        if isinstance(value, dt.datetime):
            self.bad(where, f"expected a date like 2010-05-04, got {_kind(value)}: leave out the time")
        elif isinstance(value, str) and _looks_like_date(value):
            self.bad(where, f"expected a date, got {_kind(value)}: write {value.strip()} without quotes")
        else:
            self.bad(where, f"expected a date like 2010-05-04, got {_kind(value)}")
        return None

    def table(self, value: Any, where: str, header: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.bad(where, f"expected a table ({header}), got {_kind(value)}")
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
            self.bad(where, f"expected an array of tables ({header}), got {_kind(value)}")
            return []
        if len(value) < least:
            self.bad(where, f"needs at least {least} {header} entr{'y' if least == 1 else 'ies'}")
        if len(value) > most:
            self.bad(where, f"has {len(value)} entries; the limit is {most}")
        found = []
        for index, item in enumerate(value):
            item_place = _at(where, index)
            if isinstance(item, dict):
                found.append((item_place, item))
            else:
                self.bad(item_place, f"expected a table ({header}), got {_kind(item)}")
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
    title = organiser = language = place = question = demo = None
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
        demo = c.text(workshop, "demo", "workshop", limit=16, required=False)
        if demo is not None and not _DEMO_CODE.fullmatch(demo):
            c.bad("workshop.demo", f"{json.dumps(demo)} is not a workshop code: 4 to 16 capital letters or digits, like \"CC2010\"")
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
        demo=demo,
    )


def _dates(workshop: dict[str, Any], c: _Checker) -> list[dt.date] | None:
    value = c.get(workshop, "dates", "workshop", True)
    if value is _MISSING:
        return None
    where = "workshop.dates"
    if not isinstance(value, list):
        if type(value) is dt.date:  # noqa: E721
            c.bad(where, f"expected an array of dates, got {_kind(value)}: write [{value}]")
        else:
            c.bad(where, f"expected an array of dates like [2010-05-04, 2010-05-05], got {_kind(value)}")
        return None
    if not value:
        c.bad(where, "needs at least one date")
        return None
    if len(value) > MAX_DATES:
        c.bad(where, f"has {len(value)} dates; the limit is {MAX_DATES}")
    dates = [c.date(v, _at(where, i)) for i, v in enumerate(value)]
    good = [d for d in dates if d is not None]
    if len(good) != len(dates):
        return None
    ok = True
    for i, (before, after) in enumerate(zip(good, good[1:]), start=1):
        if after == before:
            c.bad(_at(where, i), f"{after} is given twice")
            ok = False
        elif after < before:
            c.bad(_at(where, i), f"{after} comes before {before}: list the dates in order")
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
        c.bad(_at(place, "id"), f"duplicate {what} id \"{value}\": already used by {seen[value]}")
        return True
    seen[value] = place
    return False


def _tables(
    records: list[tuple[str, dict[str, Any]]], theme_ids: set[str], c: _Checker
) -> list[TableSpec]:
    tables: list[TableSpec] = []
    numbers: dict[int, str] = {}
    for place, raw in records:
        c.keys(raw, place, _TABLE_KEYS)
        number = c.integer(raw, "number", place, TABLE_NUMBER)
        theme = None
        raw_theme = c.get(raw, "theme", place, False)
        if raw_theme is not _MISSING:
            if not isinstance(raw_theme, str):
                c.bad(_at(place, "theme"), f"expected a theme id (a string), got {_kind(raw_theme)}")
            elif raw_theme not in theme_ids:
                declared = ", ".join(f'"{t}"' for t in sorted(theme_ids)) or "none"
                c.bad(
                    _at(place, "theme"),
                    f"theme \"{raw_theme}\" is not declared in [[themes]] (declared: {declared})",
                )
            else:
                theme = raw_theme
        capacity = c.integer(raw, "capacity", place, CAPACITY, required=False, unit=" people")
        if number is not None:
            if number in numbers:
                c.bad(_at(place, "number"), f"table {number} is already numbered at {numbers[number]}")
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
    records = c.records(
        data, "blocks", "", "[[blocks]]", least=1, most=MAX_BLOCKS, required=True
    )
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
                c.bad(_at(place, "day"), f"{day} is not one of workshop.dates ({listed})")
                day = None
        part = c.choice(raw, "part", place, PARTS)
        method = c.choice(raw, "method", place, METHODS)
        description = c.text(
            raw, "description", place, limit=MAX_DESCRIPTION, required=False, multiline=True
        )
        rounds = _rounds(raw, place, c)
        tables_raw = c.records(raw, "tables", place, "[[blocks.tables]]", least=1, most=MAX_TABLES)
        tables = _tables(tables_raw or [], theme_ids, c)
        slots = _named(raw, "slots", place, "[[blocks.slots]]", "label", MAX_SLOTS, Slot, c)
        spaces = _named(raw, "spaces", place, "[[blocks.spaces]]", "name", MAX_SPACES, Space, c)

        if method == "world-cafe":
            if tables_raw is None:
                if not workshop_has_tables:
                    c.bad(
                        _at(place, "tables"),
                        "a world-cafe block needs at least one table: add [[blocks.tables]] "
                        "to this block or [[tables]] to the workshop",
                    )
                tables = list(workshop_tables)
            for key, items in (("slots", slots), ("spaces", spaces)):
                if items is not None:
                    c.bad(_at(place, key), f"only open-space blocks have {key}")
        elif method == "open-space":
            if tables_raw is not None:
                c.bad(_at(place, "tables"), "only world-cafe blocks have tables")
            for key, items, header in (
                ("slots", slots, "[[blocks.slots]]"),
                ("spaces", spaces, "[[blocks.spaces]]"),
            ):
                if items is None:
                    c.bad(
                        _at(place, key),
                        f"an open-space block needs at least one {key[:-1]} ({header})",
                    )

        if (
            block_id is None
            or title is None
            or day is None
            or part is None
            or method is None
            or rounds is None
        ):
            continue  # its problems are already reported
        blocks.append(
            BlockSpec(
                id=block_id,
                title=title,
                day=day,
                part=cast(Part, part),
                method=cast(Method, method),
                rounds=tuple(rounds),
                tables=tuple(tables) if method == "world-cafe" else (),
                slots=tuple(slots or ()) if method == "open-space" else (),
                spaces=tuple(spaces or ()) if method == "open-space" else (),
                description=description,
            )
        )
    return blocks


def _rounds(block: dict[str, Any], place: str, c: _Checker) -> list[RoundSpec] | None:
    records = c.records(
        block, "rounds", place, "[[blocks.rounds]]", least=1, most=MAX_ROUNDS, required=True
    )
    if records is None:
        return None
    rounds: list[RoundSpec] = []
    for round_place, raw in records:
        c.keys(raw, round_place, _ROUND_KEYS)
        question = c.text(raw, "question", round_place, limit=MAX_QUESTION, multiline=True)
        minutes = c.integer(raw, "minutes", round_place, MINUTES, unit=" minutes")
        title = c.text(raw, "title", round_place, limit=MAX_LABEL, required=False)
        if question is not None and minutes is not None:
            rounds.append(RoundSpec(question=question, minutes=minutes, title=title))
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
