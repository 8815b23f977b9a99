"""The agenda of a saved workshop as a template, and the designer's saves.

``agenda_template`` is what ``GET /w/CODE/agenda.toml`` writes and what a copy starts from;
``editable_data`` is the designer's form; ``save_agenda`` writes a checked agenda back, keeping
every id (and so every note, seat and topic) of what stays.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from sqlalchemy import func, select

from workshop.broadcasts import Broadcast
from workshop.clock import iso
from workshop.domain import design
from workshop.domain.agenda import (
    MAX_ROUNDS,
    BlockSpec,
    RoundSpec,
    Sector,
    Slot,
    Space,
    TableSpec,
    Template,
    Theme,
    read_data,
    template_data,
)
from workshop.domain.design import Facts, Problem
from workshop.domain.methods import OPEN_SPACE, WORLD_CAFE
from workshop.extensions import db
from workshop.models import Block, Note, Round, Seat, Table, Topic, Workshop
from workshop.rooms import room_for


def workshop_themes(workshop: Workshop) -> list[dict]:
    """The workshop's themes; an older workshop's are made from its tables' theme titles."""
    if workshop.themes:
        return list(workshop.themes)
    titles: list[str] = []
    for block in workshop.blocks:
        for table in block.tables:
            if table.theme and table.theme not in titles:
                titles.append(table.theme)
    data = [{"title": title} for title in titles]
    design.fill_ids({"themes": data})
    return data


def agenda_template(workshop: Workshop) -> Template:
    """The workshop's agenda as it stands now, as a template (the wording asked, not the first one)."""
    themes = workshop_themes(workshop)
    theme_of_title = {t["title"]: t["id"] for t in reversed(themes)}
    blocks = []
    for block in workshop.blocks:
        world_cafe = block.method == WORLD_CAFE
        blocks.append(
            BlockSpec(
                id=block.key,
                title=block.title,
                day=block.day,
                part=block.part,  # type: ignore[arg-type]
                method=block.method,  # type: ignore[arg-type]
                rounds=tuple(
                    RoundSpec(
                        question=r.question,
                        minutes=r.minutes,
                        title=r.title,
                        reveal=bool(r.reveal),
                        moderated=bool(r.moderated),
                        anonymous=bool(r.anonymous),
                    )
                    for r in block.rounds
                ),
                tables=tuple(
                    TableSpec(
                        number=t.number, theme=theme_of_title.get(t.theme) if t.theme else None, capacity=t.capacity
                    )
                    for t in block.tables
                )
                if world_cafe
                else (),
                slots=tuple(Slot(s["id"], s["label"]) for s in block.slots or []) if not world_cafe else (),
                spaces=tuple(Space(s["id"], s["name"]) for s in block.spaces or []) if not world_cafe else (),
                description=block.description,
                phase=block.phase,
                vote_dots=None if world_cafe else block.vote_dots,
                vote_top=None if world_cafe else block.vote_top,
            )
        )
    return Template(
        name=workshop.template_name or workshop.code.lower(),
        title=workshop.title,
        organiser=workshop.organiser,
        language=workshop.language,
        dates=tuple(dt.date.fromisoformat(d) for d in workshop.dates),
        blocks=tuple(blocks),
        themes=tuple(Theme(t["id"], t["title"]) for t in themes),
        sectors=tuple(Sector(s["id"], s["name"], s.get("count")) for s in workshop.sectors or []),
        place=workshop.place,
        question=workshop.question,
    )


def editable_data(workshop: Workshop) -> dict:
    """The designer's form: the template's data, each saved block, round and table with its ``_id``."""
    data = template_data(agenda_template(workshop))
    data["workshop"].setdefault("place", "")
    data["workshop"].setdefault("question", "")
    for block, spec in zip(workshop.blocks, data["blocks"]):
        spec["_id"] = block.id
        for round_, round_spec in zip(block.rounds, spec["rounds"]):
            round_spec["_id"] = round_.id
        for table, table_spec in zip(block.tables, spec.get("tables", [])):
            table_spec["_id"] = table.id
    return data


def version(data: dict) -> str:
    """A short digest of an agenda: a save made from an older page is told so."""
    text = json.dumps(design.without_ids(data), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def facts_for(workshop: Workshop) -> Facts:
    facts = Facts()
    for block in workshop.blocks:
        facts.block_method[block.id] = block.method
        facts.round_order[block.id] = [r.id for r in block.rounds]
        for round_ in block.rounds:
            facts.round_status[round_.id] = round_.status
            facts.round_minutes[round_.id] = round_.minutes
            facts.round_block[round_.id] = block.id
        for table in block.tables:
            facts.table_block[table.id] = block.id
            facts.table_number[table.id] = table.number
    notes = db.session.execute(
        select(Note.block_id, Note.round_id, Note.table_number, func.count())
        .where(Note.workshop_id == workshop.id)
        .group_by(Note.block_id, Note.round_id, Note.table_number)
    ).all()
    tables = {(facts.table_block[t], facts.table_number[t]): t for t in facts.table_block}
    for block_id, round_id, number, count in notes:
        if block_id is not None:
            facts.block_notes[block_id] = facts.block_notes.get(block_id, 0) + count
        if round_id is not None:
            facts.round_notes[round_id] = facts.round_notes.get(round_id, 0) + count
        table_id = tables.get((block_id, number))
        if table_id is not None:
            facts.table_notes[table_id] = facts.table_notes.get(table_id, 0) + count
    for topic in db.session.execute(select(Topic).where(Topic.workshop_id == workshop.id)).scalars():
        facts.block_topics[topic.block_id] = facts.block_topics.get(topic.block_id, 0) + 1
        if topic.slot and not topic.withdrawn:
            facts.used_slots.setdefault(topic.block_id, set()).add(topic.slot)
        if topic.space and not topic.withdrawn:
            facts.used_spaces.setdefault(topic.block_id, set()).add(topic.space)
    return facts


def check_agenda(data: dict, facts: Facts, file: str) -> tuple[Template | None, list[Problem]]:
    """The one validator of template files, then what the day allows."""
    template, problems = read_data(design.without_ids(data), "designer", file)
    found = [Problem(p.place, p.wording) for p in problems]
    found += design.change_problems(data, facts)
    return (template if not found else None), found


def save_agenda(workshop: Workshop, data: dict, template: Template, now: dt.datetime) -> list[Broadcast]:
    """Writes a checked agenda; what stays keeps its id; every open page is told to read it again."""
    workshop.title = template.title
    workshop.organiser = template.organiser
    workshop.language = template.language
    workshop.place = template.place
    workshop.question = template.question
    workshop.dates = [d.isoformat() for d in template.dates]
    workshop.sectors = [{"id": s.id, "name": s.name, "count": s.count} for s in template.sectors]
    workshop.themes = [{"id": t.id, "title": t.title} for t in template.themes]

    old_blocks = {b.id: b for b in workshop.blocks}
    kept: list[Block] = []
    for position, (spec, form) in enumerate(zip(template.blocks, data["blocks"])):
        block = old_blocks.pop(design_id(form), None) if design_id(form) in old_blocks else None
        if block is None:
            block = Block(
                key=_free_key(spec.id, workshop),
                position=position,
                title=spec.title,
                day=spec.day,
                part=spec.part,
                method=spec.method,
            )
            workshop.blocks.append(block)
        _write_block(workshop, block, spec, form, template, now)
        block.position = position
        kept.append(block)
    for block in old_blocks.values():
        _forget_block(workshop, block)
    workshop.blocks[:] = kept
    for position, block in enumerate(kept):
        block.position = position
    if workshop.current_block_id not in {b.id for b in kept if b.id is not None}:
        db.session.flush()
        workshop.current_block_id = kept[0].id if kept else None
    db.session.flush()
    return [
        Broadcast(
            "block:changed",
            {"block": workshop.current_block_id, "now": iso(now), "agenda": True},
            (room_for(workshop.code, "all"),),
        )
    ]


def design_id(form: dict) -> int | None:
    value = form.get("_id")
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _free_key(key: str, workshop: Workshop) -> str:
    taken = {b.key for b in workshop.blocks}
    candidate, suffix = key, 2
    while candidate in taken:
        candidate, suffix = f"{key}-{suffix}", suffix + 1
    return candidate


def _write_block(
    workshop: Workshop, block: Block, spec: BlockSpec, form: dict, template: Template, now: dt.datetime
) -> None:
    block.title = spec.title
    block.day = spec.day
    block.part = spec.part
    block.method = spec.method
    block.description = spec.description
    block.phase = spec.phase
    block.slots = [{"id": s.id, "label": s.label} for s in spec.slots]
    block.spaces = [{"id": s.id, "name": s.name} for s in spec.spaces]
    if spec.method == OPEN_SPACE:
        block.vote_dots = spec.vote_dots or block.vote_dots or 5
        block.vote_top = spec.vote_top or block.vote_top or 3

    old_rounds = {r.id: r for r in block.rounds}
    rounds: list[Round] = []
    for position, (round_spec, round_form) in enumerate(zip(spec.rounds, form.get("rounds") or [])):
        round_ = old_rounds.pop(design_id(round_form), None) if design_id(round_form) in old_rounds else None
        if round_ is None:
            round_ = Round(
                position=position,
                title=round_spec.title,
                question=round_spec.question,
                minutes=round_spec.minutes,
                status="pending",
            )
        elif round_.status == "running" and round_.minutes != round_spec.minutes and round_.ends_at is not None:
            # A running round's new length moves its end by the difference.
            round_.ends_at = round_.ends_at + dt.timedelta(minutes=round_spec.minutes - round_.minutes)
        round_.title = round_spec.title
        round_.question = round_spec.question
        round_.minutes = round_spec.minutes
        round_.position = position
        if round_.status != "closed":  # a closed round keeps its facilitation modes (domain.modes.change)
            round_.reveal, round_.moderated = round_spec.reveal, round_spec.moderated
            round_.anonymous = round_spec.anonymous
        rounds.append(round_)
    for round_ in old_rounds.values():
        db.session.execute(Seat.__table__.delete().where(Seat.round_id == round_.id))
    block.rounds[:] = rounds

    old_tables = {t.id: t for t in block.tables}
    renumbered = [
        old_tables[design_id(f)]
        for t, f in zip(spec.tables, form.get("tables") or [])
        if design_id(f) in old_tables and old_tables[design_id(f)].number != t.number
    ]
    if renumbered:
        # Numbers are unique per block: a swap goes through numbers nobody uses.
        for table in renumbered:
            table.number = -table.id
        db.session.flush()
    tables: list[Table] = []
    for table_spec, table_form in zip(spec.tables, form.get("tables") or []):
        table = old_tables.pop(design_id(table_form), None) if design_id(table_form) in old_tables else None
        if table is None:
            table = Table(number=table_spec.number)
        table.number = table_spec.number
        theme = template.theme(table_spec.theme)
        table.theme = theme.title if theme else None
        table.capacity = table_spec.capacity
        tables.append(table)
    if old_tables or any(t.id is None for t in tables):
        # Numbers are unique per block: free the old ones before the new rows take them.
        for table in old_tables.values():
            db.session.delete(table)
        db.session.flush()
    block.tables[:] = sorted(tables, key=lambda t: t.number)


def _forget_block(workshop: Workshop, block: Block) -> None:
    for round_ in block.rounds:
        db.session.execute(Seat.__table__.delete().where(Seat.round_id == round_.id))
    db.session.delete(block)


def add_round_after_current(
    workshop: Workshop, block_id: int, seen_rounds: int | None, title: str, question: str, now: dt.datetime
) -> tuple[int | None, list[Broadcast]]:
    """A round after the one running (else the last one started, else at the end) of the block:
    its position, or None when the block already has more rounds than the console showed (the
    same press from a second console: one round, not two)."""
    from workshop.agenda.read import find_block
    from workshop.domain.errors import WorkshopError

    block = find_block(workshop, block_id)
    rounds = list(block.rounds)
    if seen_rounds is not None and len(rounds) != seen_rounds:
        return None, []
    if len(rounds) >= MAX_ROUNDS:
        raise WorkshopError("too_many_items")
    running = [r for r in rounds if r.status == "running"]
    started = [r for r in rounds if r.started_at is not None]
    anchor = running[0] if running else (max(started, key=lambda r: r.started_at) if started else None)
    index = rounds.index(anchor) + 1 if anchor is not None else len(rounds)
    rounds.insert(index, Round(position=index, title=title, question=question, minutes=20, status="pending"))
    for position, round_ in enumerate(rounds):
        round_.position = position
    block.rounds[:] = rounds
    db.session.flush()
    return index, [
        Broadcast(
            "block:changed",
            {"block": workshop.current_block_id, "now": iso(now), "agenda": True},
            (room_for(workshop.code, "all"),),
        )
    ]
