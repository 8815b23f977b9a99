"""The roster: the people expected at a workshop, read from the CSV a spreadsheet exports.

A roster file has one person a row: a name, optionally a sector, a fixed table and a role (the
host of a World Café table). Spreadsheets export with ``;`` (French settings) or ``,``, in UTF-8
with or without a byte-order mark, or in Windows-1252 (Excel on Windows): all are read. A first
row naming the columns (in French or English) may put them in any order; without it, the order
is name, sector, table, role.

    read_roster(data, sectors, tables) -> Roster(rows, errors)

``sectors``: the workshop's sectors as {id: name} (a cell may hold either, any case); empty means
any sector is taken as written. ``tables``: the table numbers a person may be fixed at. Each row
is either in ``rows`` or has one ``RowError`` (its line in the file, a code and its values, for
``messages.describe``); nothing is dropped silently.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

NAME_MAX = 60
SECTOR_MAX = 64
MAX_ROWS = 2000
MAX_BYTES = 200 * 1024

COLUMNS = {
    "name": {"name", "nom", "nom complet", "full name", "participant", "participante", "personne", "person"},
    "sector": {"sector", "secteur", "secteurs", "sectors"},
    "table": {"table", "table fixe", "fixed table", "no de table", "numero de table", "table number"},
    "role": {"role", "host", "hote", "hôte", "fonction"},
}
HOST_WORDS = {
    "host",
    "hote",
    "hôte",
    "hotesse",
    "hôtesse",
    "hôte ou hôtesse",
    "animateur",
    "animatrice",
    "oui",
    "yes",
    "x",
}
GUEST_WORDS = {"", "participant", "participante", "guest", "invite", "invité", "invitée", "non", "no"}


@dataclass(frozen=True)
class RosterRow:
    line: int
    name: str
    sector: str | None = None  # a sector id of the workshop (or as written, without sectors)
    table: int | None = None
    host: bool = False


@dataclass(frozen=True)
class RowError:
    line: int
    code: str
    params: dict = field(default_factory=dict)


@dataclass
class Roster:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class RosterFileError(ValueError):
    """The whole file is unreadable (empty, too big, not text): ``code`` says why."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; NUL bytes mean it is not a text file."""
    if len(data) > MAX_BYTES:
        raise RosterFileError("roster_too_big", max=MAX_BYTES // 1024)
    if b"\x00" in data:
        raise RosterFileError("roster_not_text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return unicodedata.normalize("NFC", text)


def _fold(value: str) -> str:
    """Lower case, no accents, single spaces: how column names and roles compare."""
    plain = unicodedata.normalize("NFKD", value.strip().lower())
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).replace("°", "").split())


def _separator(text: str) -> str:
    """The separator of the first non-empty line: the most frequent of ``;``, ``,`` and tab."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


def _header(cells: list[str]) -> dict[str, int] | None:
    """Column positions when the first row names the columns, else None."""
    folded = [_fold(c) for c in cells]
    found = {}
    for key, names in COLUMNS.items():
        folded_names = {_fold(n) for n in names}
        for index, cell in enumerate(folded):
            if cell in folded_names and key not in found:
                found[key] = index
    return found if "name" in found else None


def read_roster(data: bytes, sectors: Mapping[str, str], tables: Collection[int]) -> Roster:
    text = decode(data)
    if not text.strip():
        raise RosterFileError("roster_empty")
    lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text)))
    numbered = [(i, row) for i, row in enumerate(lines, start=1) if any(c.strip() for c in row)]
    if not numbered:
        raise RosterFileError("roster_empty")
    columns = _header(numbered[0][1])
    if columns is not None:
        numbered = numbered[1:]
    else:
        columns = {"name": 0, "sector": 1, "table": 2, "role": 3}
    if len(numbered) > MAX_ROWS:
        raise RosterFileError("roster_too_long", max=MAX_ROWS)
    by_sector = {}
    for sector_id, name in sectors.items():
        by_sector[_fold(sector_id)] = sector_id
        by_sector[_fold(name)] = sector_id
    roster = Roster()
    seen: dict[str, int] = {}
    hosts: dict[int, int] = {}
    for line, cells in numbered:

        def cell(key: str) -> str:
            index = columns.get(key)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        error = None
        name = " ".join(cell("name").split())
        sector_cell, table_cell, role_cell = cell("sector"), cell("table"), _fold(cell("role"))
        sector: str | None = None
        table: int | None = None
        if not name:
            error = RowError(line, "roster_no_name")
        elif len(name) > NAME_MAX:
            error = RowError(line, "roster_name_too_long", {"max": NAME_MAX})
        elif _fold(name) in seen:
            error = RowError(line, "roster_twice", {"name": name, "other": seen[_fold(name)]})
        if error is None and sector_cell:
            if by_sector:
                sector = by_sector.get(_fold(sector_cell))
                if sector is None:
                    error = RowError(line, "roster_unknown_sector", {"sector": sector_cell[:SECTOR_MAX]})
            elif len(sector_cell) > SECTOR_MAX:
                error = RowError(line, "roster_sector_too_long", {"max": SECTOR_MAX})
            else:
                sector = sector_cell
        if error is None and table_cell:
            digits = table_cell.lower().removeprefix("table").strip()
            if not digits.isdigit() or len(digits) > 4:
                error = RowError(line, "roster_bad_table", {"table": table_cell[:20]})
            elif int(digits) not in tables:
                error = RowError(line, "roster_unknown_table", {"table": int(digits)})
            else:
                table = int(digits)
        host = role_cell in {_fold(w) for w in HOST_WORDS}
        if error is None and not host and role_cell not in {_fold(w) for w in GUEST_WORDS}:
            error = RowError(line, "roster_bad_role", {"role": cell("role")[:30]})
        if error is None and host and table is not None and table in hosts:
            error = RowError(line, "roster_two_hosts", {"table": table, "other": hosts[table]})
        if error is not None:
            roster.errors.append(error)
            continue
        seen[_fold(name)] = line
        if host and table is not None:
            hosts[table] = line
        roster.rows.append(RosterRow(line=line, name=name, sector=sector, table=table, host=host))
    return roster
