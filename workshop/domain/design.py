"""The designer's rules: the agenda as a form, the edits a facilitator makes, and what the day allows.

The form's field names are the places of the template file (``blocks[1].rounds[0].question``), so
the one validator of ``workshop check`` (``agenda.read_data``) names the field of each problem. An
item already saved carries its database id as ``_id``; ids of blocks, themes, slots and spaces are
made from their titles, so nobody types one.

What the day allows (``change_problems``) depends on what happened: a round that has started keeps
its place; a round, block or table holding notes can be renamed but not removed.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from workshop.domain.agenda import (
    MAX_BLOCKS,
    MAX_DATES,
    MAX_ROUNDS,
    MAX_SECTORS,
    MAX_SLOTS,
    MAX_SPACES,
    MAX_TABLES,
    MAX_THEMES,
)
from workshop.domain.methods import OPEN_SPACE, WORLD_CAFE
from workshop.domain.wording import N_, Wording

MAX_FIELDS = 6000  # a form with more fields than the largest agenda the limits allow is refused
MAX_PATH = 80
_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d{1,4}\])*")
_TOKEN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d{1,4})\]")

# The lists a facilitator adds to, with the most each may hold (the template's limits).
LISTS: dict[str, int] = {
    "workshop.dates": MAX_DATES,
    "sectors": MAX_SECTORS,
    "themes": MAX_THEMES,
    "blocks": MAX_BLOCKS,
    "rounds": MAX_ROUNDS,
    "tables": MAX_TABLES,
    "slots": MAX_SLOTS,
    "spaces": MAX_SPACES,
}
_LIST_PATH = re.compile(r"^(workshop\.dates|sectors|themes|blocks|blocks\[\d{1,4}\]\.(?:rounds|tables|slots|spaces))$")
_ITEM_PATH = re.compile(
    r"^(workshop\.dates|sectors|themes|blocks|blocks\[\d{1,4}\]\.(?:rounds|tables|slots|spaces))\[(\d{1,4})\]$"
)


_LIST = object()  # marks, while reading a form, a node whose keys are list indices


class FormError(ValueError):
    """The form cannot be read at all (a forged or truncated post)."""


# ---------------------------------------------------------------------------------------------
# The form: flat field names <-> the template's nested data


def parse_path(path: str) -> list[str | int]:
    """``blocks[1].rounds[0].question`` -> ``["blocks", 1, "rounds", 0, "question"]``."""
    if len(path) > MAX_PATH or not _PATH.fullmatch(path):
        raise FormError(path[:MAX_PATH])
    return [name if name else int(index) for name, index in _TOKEN.findall(path)]


def unflatten(fields: Mapping[str, str]) -> dict[str, Any]:
    """``{"blocks[0].title": "x"}`` -> ``{"blocks": [{"title": "x"}]}``; lists keep their indices' order."""
    if len(fields) > MAX_FIELDS:
        raise FormError("too many fields")
    root: dict[Any, Any] = {}
    for path, value in fields.items():
        tokens = parse_path(path)
        node = root
        for token, following in itertools.pairwise(tokens):
            child = node.get(token)
            if child is None:
                child = node[token] = {}
            elif not isinstance(child, dict):
                raise FormError(path)
            node = child
            if isinstance(following, int):
                node[_LIST] = True
        if tokens[-1] in node:
            raise FormError(path)
        node[tokens[-1]] = value
    return _lists(root)


def _lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    if node.pop(_LIST, False):
        if any(not isinstance(key, int) for key in node):
            raise FormError("a list mixes names and numbers")
        return [_lists(node[key]) for key in sorted(node)]
    if any(isinstance(key, int) for key in node):
        raise FormError("a list mixes names and numbers")
    return {key: _lists(value) for key, value in node.items()}


def place(*tokens: str | int) -> str:
    """The field name of a place: ``place("blocks", 1, "title")`` -> ``blocks[1].title``."""
    text = ""
    for token in tokens:
        text += f"[{token}]" if isinstance(token, int) else (f".{token}" if text else token)
    return text


def get_at(data: Any, path: str) -> Any:
    node = data
    for token in parse_path(path):
        try:
            node = node[token]
        except (KeyError, IndexError, TypeError):
            raise FormError(path) from None
    return node


# ---------------------------------------------------------------------------------------------
# From the form's strings to the template's values


_INT_KEYS = {"minutes", "number", "capacity", "count", "vote_dots", "vote_top", "dots_per_participant"}
_FLAG_KEYS = {"reveal", "moderated", "anonymous"}  # a round's facilitation modes: checkboxes
# What an empty field leaves out, by where it stands; an empty required field stays, to be reported.
_OPTIONAL = {
    "workshop": {"place", "question", "summary", "dots_per_participant"},
    "blocks": {"description", "phase", "vote_dots", "vote_top"},
    "rounds": {"title"},
    "tables": {"theme", "capacity"},
    "sectors": {"count"},
}


def coerce(data: Any, key: str | None = None, where: str | None = None) -> Any:
    """Whole numbers and dates from the form's text; an empty optional field is left out.

    What cannot be converted stays text, and the template's validator says what is wrong with it.
    """
    if isinstance(data, dict):
        optional = _OPTIONAL.get(where or "", set())
        clean = {}
        for name, value in data.items():
            value = coerce(value, name, name if name == "workshop" else where)
            if isinstance(value, str) and not value.strip() and name in optional:
                continue
            clean[name] = value
        return clean
    if isinstance(data, list):
        return [coerce(item, key, key) for item in data]
    if not isinstance(data, str):
        return data
    text = data.strip()
    if key in _FLAG_KEYS:  # a ticked box; an unticked one is not sent, and means false
        return text in ("1", "on", "true")
    if key in _INT_KEYS and re.fullmatch(r"[+-]?\d{1,9}", text):
        return int(text)
    if key in ("day", "dates") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return data
    return data


def slugify(text: str, fallback: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:40].strip("-")
    return slug or fallback


def fill_ids(data: dict[str, Any]) -> None:
    """Gives every new block, sector, theme, slot and space an id made from its title, unique in its list."""

    def give(items: list, text_key: str, fallback: str) -> None:
        taken = {
            item.get("id")
            for item in items
            if isinstance(item, dict) and isinstance(item.get("id"), str) and item.get("id")
        }
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict) or (isinstance(item.get("id"), str) and item["id"]):
                continue
            text = item.get(text_key)
            base = slugify(text if isinstance(text, str) else "", f"{fallback}-{number}")
            candidate, suffix = base, 2
            while candidate in taken:
                candidate, suffix = f"{base}-{suffix}", suffix + 1
            item["id"] = candidate
            taken.add(candidate)

    for key, text_key, fallback in (
        ("sectors", "name", "secteur"),
        ("themes", "title", "theme"),
        ("blocks", "title", "bloc"),
    ):
        if isinstance(data.get(key), list):
            give(data[key], text_key, fallback)
    for block in data.get("blocks") or []:
        if isinstance(block, dict):
            for key, text_key, fallback in (("slots", "label", "creneau"), ("spaces", "name", "espace")):
                if isinstance(block.get(key), list):
                    give(block[key], text_key, fallback)


def without_ids(data: Any) -> Any:
    """The data the template validator reads: database ids and form-only fields left out."""
    if isinstance(data, dict):
        return {k: without_ids(v) for k, v in data.items() if not k.startswith("_")}
    if isinstance(data, list):
        return [without_ids(item) for item in data]
    return data


# ---------------------------------------------------------------------------------------------
# What happened on the day, and what it allows


@dataclass
class Facts:
    """What the database says about the saved agenda: statuses, and what holds people's work."""

    round_status: dict[int, str] = field(default_factory=dict)
    round_minutes: dict[int, int] = field(default_factory=dict)
    round_block: dict[int, int] = field(default_factory=dict)
    round_order: dict[int, list[int]] = field(default_factory=dict)  # block id -> round ids in order
    round_notes: dict[int, int] = field(default_factory=dict)
    block_method: dict[int, str] = field(default_factory=dict)
    block_notes: dict[int, int] = field(default_factory=dict)
    block_topics: dict[int, int] = field(default_factory=dict)
    table_block: dict[int, int] = field(default_factory=dict)
    table_number: dict[int, int] = field(default_factory=dict)
    table_notes: dict[int, int] = field(default_factory=dict)  # table id -> notes written at it
    used_slots: dict[int, set[str]] = field(default_factory=dict)  # block id -> slots holding a topic
    used_spaces: dict[int, set[str]] = field(default_factory=dict)

    def started(self, round_id: int) -> bool:
        return self.round_status.get(round_id, "pending") != "pending"

    def block_started(self, block_id: int) -> bool:
        return any(self.started(r) for r in self.round_order.get(block_id, []))


@dataclass(frozen=True)
class Problem:
    place: str
    wording: Wording


def _id(item: Any) -> int | None:
    value = item.get("_id") if isinstance(item, dict) else None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def removal_problem(path: str, item: Any, facts: Facts) -> Problem | None:
    """Why this item cannot be removed, or None."""
    kind = _ITEM_PATH.match(path)
    if kind is None or not isinstance(item, dict):
        return None
    what = kind.group(1).rsplit(".", 1)[-1]
    item_id = _id(item)
    if what == "rounds" and item_id is not None:
        notes = facts.round_notes.get(item_id, 0)
        if notes:
            return Problem(
                path,
                Wording(
                    N_("This round holds %(count)s notes: you can rename it, but not remove it."), {"count": notes}
                ),
            )
        if facts.round_status.get(item_id) == "running":
            return Problem(path, Wording(N_("This round is running: close it before removing it.")))
        if facts.started(item_id):
            return Problem(path, Wording(N_("This round has already taken place: it stays in the agenda.")))
    if what == "blocks" and item_id is not None:
        notes = facts.block_notes.get(item_id, 0)
        if notes:
            return Problem(
                path,
                Wording(
                    N_("This block holds %(count)s notes: you can rename it, but not remove it."), {"count": notes}
                ),
            )
        if facts.block_topics.get(item_id, 0):
            return Problem(
                path, Wording(N_("Topics were proposed in this block: you can rename it, but not remove it."))
            )
        if facts.block_started(item_id):
            return Problem(path, Wording(N_("A round of this block has started: the block stays in the agenda.")))
    if what == "tables" and item_id is not None:
        notes = facts.table_notes.get(item_id, 0)
        if notes:
            return Problem(
                path,
                Wording(
                    N_("Notes were written at this table (%(count)s): you can change its theme, but not remove it."),
                    {"count": notes},
                ),
            )
    if what in ("slots", "spaces"):
        block_id = _id({"_id": item.get("_block")})
        if block_id is not None:
            used = (facts.used_slots if what == "slots" else facts.used_spaces).get(block_id, set())
            if item.get("id") in used:
                message = (
                    N_("A topic is placed in this time slot: move it before removing the slot.")
                    if what == "slots"
                    else N_("A topic is placed in this space: move it before removing the space.")
                )
                return Problem(path, Wording(message))
    return None


def change_problems(data: dict[str, Any], facts: Facts) -> list[Problem]:
    """What the new agenda would change that the day no longer allows."""
    problems: list[Problem] = []
    blocks = [b for b in data.get("blocks") or [] if isinstance(b, dict)]
    kept_blocks = {_id(b) for b in blocks} - {None}
    for block_id in set(facts.block_method) - kept_blocks:
        problem = removal_problem("blocks[0]", {"_id": block_id}, facts)
        if problem is not None:
            problems.append(Problem("blocks", problem.wording))
    kept_rounds: set[int] = set()
    kept_tables: set[int] = set()
    for b_index, block in enumerate(blocks):
        block_id = _id(block)
        rounds = [r for r in block.get("rounds") or [] if isinstance(r, dict)]
        if block_id is not None and block_id in facts.block_method:
            method = block.get("method")
            if method != facts.block_method[block_id] and (
                facts.block_started(block_id) or facts.block_notes.get(block_id) or facts.block_topics.get(block_id)
            ):
                problems.append(
                    Problem(
                        place("blocks", b_index, "method"),
                        Wording(N_("This block has already started: its method can no longer change.")),
                    )
                )
        seen_pending = False
        started_order: list[int] = []
        for r_index, round_ in enumerate(rounds):
            round_id = _id(round_)
            if round_id is None or round_id not in facts.round_status:
                seen_pending = True
                continue
            kept_rounds.add(round_id)
            if facts.round_block.get(round_id) != block_id:
                problems.append(
                    Problem(
                        place("blocks", b_index, "rounds", r_index),
                        Wording(N_("A round cannot move to another block.")),
                    )
                )
                continue
            if not facts.started(round_id):
                seen_pending = True
                continue
            started_order.append(round_id)
            if seen_pending:
                problems.append(
                    Problem(
                        place("blocks", b_index, "rounds", r_index),
                        Wording(N_("A round that has started stays before the rounds not yet started.")),
                    )
                )
            if facts.round_status[round_id] == "closed" and round_.get("minutes") != facts.round_minutes.get(round_id):
                problems.append(
                    Problem(
                        place("blocks", b_index, "rounds", r_index, "minutes"),
                        Wording(N_("This round is over: its length can no longer change.")),
                    )
                )
        if block_id is not None:
            before = [r for r in facts.round_order.get(block_id, []) if facts.started(r) and r in started_order]
            if before != started_order:
                problems.append(
                    Problem(
                        place("blocks", b_index, "rounds"), Wording(N_("Rounds that have started keep their order."))
                    )
                )
        for t_index, table in enumerate(t for t in block.get("tables") or [] if isinstance(t, dict)):
            table_id = _id(table)
            if table_id is None or table_id not in facts.table_block:
                continue
            kept_tables.add(table_id)
            if facts.table_notes.get(table_id) and table.get("number") != facts.table_number.get(table_id):
                problems.append(
                    Problem(
                        place("blocks", b_index, "tables", t_index, "number"),
                        Wording(N_("Notes were written at this table: its number stays, as on the printed cards.")),
                    )
                )
        for key in ("slots", "spaces"):
            if block_id is None:
                continue
            used = (facts.used_slots if key == "slots" else facts.used_spaces).get(block_id, set())
            present = {item.get("id") for item in block.get(key) or [] if isinstance(item, dict)}
            if used - present:
                message = (
                    N_("A topic is placed in a removed time slot: move it first.")
                    if key == "slots"
                    else N_("A topic is placed in a removed space: move it first.")
                )
                problems.append(Problem(place("blocks", b_index, key), Wording(message)))
    for round_id in set(facts.round_status) - kept_rounds:
        if facts.round_block.get(round_id) not in kept_blocks:
            continue  # the whole block goes; its own check speaks
        problem = removal_problem("blocks[0].rounds[0]", {"_id": round_id}, facts)
        if problem is not None:
            index = next(i for i, b in enumerate(blocks) if _id(b) == facts.round_block[round_id])
            problems.append(Problem(place("blocks", index, "rounds"), problem.wording))
    for table_id in set(facts.table_block) - kept_tables:
        if facts.table_block[table_id] not in kept_blocks:
            continue
        problem = removal_problem("blocks[0].tables[0]", {"_id": table_id}, facts)
        if problem is not None:
            index = next(i for i, b in enumerate(blocks) if _id(b) == facts.table_block[table_id])
            problems.append(Problem(place("blocks", index, "tables"), problem.wording))
    return problems


# ---------------------------------------------------------------------------------------------
# The edits: add, remove, move, set how many tables


@dataclass(frozen=True)
class Defaults:
    """What a new item holds, in the page's language (the domain does not translate)."""

    block_title: str
    question: str
    round_title: str  # "Round %(number)s"
    sector: str
    theme: str
    slot: str
    space: str
    today: dt.date
    minutes: int = 20


def apply_action(
    data: dict[str, Any], action: str, facts: Facts, defaults: Defaults
) -> tuple[dict[str, Any], Problem | None]:
    """The agenda after one button of the designer, or the same agenda and why it cannot be done."""
    data = copy.deepcopy(data)
    verb, _, target = action.partition(":")
    if verb == "save":
        return data, None
    if verb == "add":
        path, _, method = target.partition(":")
        if not _LIST_PATH.match(path):
            raise FormError(action)
        items = _list_at(data, path)
        kind = path if path == "workshop.dates" else path.rsplit(".", 1)[-1]
        if len(items) >= LISTS[kind]:
            return data, Problem(path, Wording(N_("This list is full (%(most)s at most)."), {"most": LISTS[kind]}))
        items.append(_new_item(data, path, kind, method, items, defaults))
        return data, None
    match = _ITEM_PATH.match(target)
    if match is None:
        raise FormError(action)
    path, index = match.group(1), int(match.group(2))
    items = _list_at(data, path)
    if index >= len(items):
        raise FormError(action)
    if verb == "remove":
        problem = removal_problem(target, _with_block(items[index], data, path), facts)
        if problem is not None:
            return data, problem
        del items[index]
        return data, None
    if verb in ("up", "down"):
        other = index - 1 if verb == "up" else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
        return data, None
    raise FormError(action)


def set_table_count(
    data: dict[str, Any], block_index: int, count: Any, facts: Facts
) -> tuple[dict[str, Any], Problem | None]:
    """Adds numbered tables, or removes the last empty ones, until the block has ``count``."""
    data = copy.deepcopy(data)
    where = place("blocks", block_index, "_count")
    try:
        wanted = int(str(count).strip())
    except ValueError:
        return data, Problem(where, Wording(N_("Write a whole number of tables.")))
    if not 1 <= wanted <= MAX_TABLES:
        return data, Problem(
            where, Wording(N_("A World Café block has between 1 and %(most)s tables."), {"most": MAX_TABLES})
        )
    tables = _list_at(data, place("blocks", block_index, "tables"))
    template = next((t for t in reversed(tables) if isinstance(t, dict)), {})
    while len(tables) < wanted:
        numbers = [t.get("number") for t in tables if isinstance(t, dict) and isinstance(t.get("number"), int)]
        new = {"number": max(numbers, default=0) + 1}
        if isinstance(template.get("capacity"), int):
            new["capacity"] = template["capacity"]
        tables.append(new)
    while len(tables) > wanted:
        path = place("blocks", block_index, "tables", len(tables) - 1)
        problem = removal_problem(path, tables[-1], facts)
        if problem is not None:
            return data, Problem(where, problem.wording)
        tables.pop()
    return data, None


def _with_block(item: Any, data: dict, path: str) -> Any:
    """A slot or space with its block's id, so the removal check can look at the wall."""
    if not isinstance(item, dict) or not path.startswith("blocks["):
        return item
    block = get_at(data, path.split(".")[0])
    return item | {"_block": _id(block)} if isinstance(block, dict) else item


def _list_at(data: dict, path: str) -> list:
    """The list at a path, made empty when the agenda has none yet (a block's first slot)."""
    *parents, last = parse_path(path)
    node: Any = data
    for token in parents:
        try:
            node = node[token]
        except (KeyError, IndexError, TypeError):
            raise FormError(path) from None
    if not isinstance(node, dict) or not isinstance(last, str):
        raise FormError(path)
    value = node.setdefault(last, [])
    if not isinstance(value, list):
        raise FormError(path)
    return value


def _new_item(data: dict, path: str, kind: str, method: str, items: list, defaults: Defaults) -> Any:
    number = len(items) + 1
    if kind == "workshop.dates":
        last = max((d for d in items if isinstance(d, dt.date)), default=None)
        return (last + dt.timedelta(days=1)) if last else defaults.today
    if kind == "sectors":
        return {"name": defaults.sector % {"number": number}}
    if kind == "themes":
        return {"title": defaults.theme % {"number": number}}
    if kind == "rounds":
        return {
            "title": defaults.round_title % {"number": number},
            "question": defaults.question,
            "minutes": defaults.minutes,
        }
    if kind == "tables":
        numbers = [t.get("number") for t in items if isinstance(t, dict) and isinstance(t.get("number"), int)]
        return {"number": max(numbers, default=0) + 1}
    if kind == "slots":
        return {"label": defaults.slot % {"number": number}}
    if kind == "spaces":
        return {"name": defaults.space % {"number": number}}
    # a block: on the last block's day, after it
    dates = (data.get("workshop") or {}).get("dates") or []
    previous = next((b for b in reversed(items) if isinstance(b, dict)), {})
    day = previous.get("day") or (dates[0] if dates else defaults.today)
    block: dict[str, Any] = {
        "title": defaults.block_title,
        "day": day,
        "part": previous.get("part") or "am",
        "method": OPEN_SPACE if method == OPEN_SPACE else WORLD_CAFE,
        "rounds": [
            {"title": defaults.round_title % {"number": 1}, "question": defaults.question, "minutes": defaults.minutes}
        ],
    }
    if block["method"] == WORLD_CAFE:
        tables = next((b.get("tables") for b in reversed(items) if isinstance(b, dict) and b.get("tables")), None)
        block["tables"] = (
            [{k: v for k, v in t.items() if k != "_id"} for t in tables]
            if tables
            else [{"number": n} for n in range(1, 5)]
        )
    else:
        block["rounds"][0]["minutes"] = 90
        block["slots"] = [{"label": defaults.slot % {"number": n}} for n in (1, 2)]
        block["spaces"] = [{"name": defaults.space % {"number": n}} for n in (1, 2, 3)]
    return block


def fit_methods(data: dict[str, Any], defaults: Defaults) -> None:
    """A block keeps only what its method uses: a block switched to Open Space gets slots and
    spaces instead of tables, and the other way round."""
    for block in data.get("blocks") or []:
        if not isinstance(block, dict):
            continue
        if block.get("method") == OPEN_SPACE:
            block.pop("tables", None)
            block.setdefault("slots", [{"label": defaults.slot % {"number": n}} for n in (1, 2)])
            block.setdefault("spaces", [{"name": defaults.space % {"number": n}} for n in (1, 2, 3)])
        elif block.get("method") == WORLD_CAFE:
            for key in ("slots", "spaces", "vote_dots", "vote_top"):
                block.pop(key, None)
            block.setdefault("tables", [{"number": n} for n in range(1, 5)])
