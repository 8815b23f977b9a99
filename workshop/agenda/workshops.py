"""Creating workshops from templates, finding them by code, and their keys."""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from workshop.agenda.keys import hash_key, new_key
from workshop.agenda.organiser import is_organiser_key
from workshop.domain.agenda import Template
from workshop.domain.errors import WorkshopError
from workshop.extensions import db
from workshop.models import Block, Round, Table, Workshop

# No 0/O, 1/I/L: codes are read from a projector and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
CODE_PATTERN = re.compile(r"^[A-Z0-9]{4,16}$")


@dataclass(frozen=True)
class Keys:
    facilitator: str
    secretariat: str


def normalise_code(code: object) -> str | None:
    """The code as stored (upper case), or None when it cannot be a code at all."""
    if not isinstance(code, str):
        return None
    code = code.strip().upper()
    return code if CODE_PATTERN.match(code) else None


def find_workshop(code: object) -> Workshop:
    clean = normalise_code(code)
    workshop = None
    if clean is not None:
        workshop = db.session.execute(select(Workshop).where(Workshop.code == clean)).scalar_one_or_none()
    if workshop is None:
        raise WorkshopError("unknown_workshop")
    return workshop


def key_role(workshop: Workshop, key: object) -> str | None:
    """ "facilitator", "secretariat" or None, compared in constant time; the organiser key acts as
    every workshop's facilitator key."""
    if not isinstance(key, str) or not key or len(key) > 200:
        return None
    digest = hash_key(key)
    if hmac.compare_digest(digest, workshop.facilitator_key_hash):
        return "facilitator"
    if hmac.compare_digest(digest, workshop.secretariat_key_hash):
        return "secretariat"
    # The server's organiser may open every workshop as its facilitator (the home page's links).
    return "facilitator" if is_organiser_key(key) else None


def _unused_code() -> str:
    for _ in range(50):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.execute(select(Workshop.id).where(Workshop.code == code)).first() is None:
            return code
    raise RuntimeError("could not find a free workshop code")


def create_workshop(template: Template, now: dt.datetime, code: str | None = None) -> tuple[Workshop, Keys]:
    """A new workshop with the template's agenda; the keys are returned once, never stored."""
    if code is not None:
        code = normalise_code(code)
        if code is None:
            raise WorkshopError("bad_code")
        if db.session.execute(select(Workshop.id).where(Workshop.code == code)).first() is not None:
            raise WorkshopError("code_taken", code=code)
    keys = Keys(facilitator=new_key(), secretariat=new_key())
    workshop = Workshop(
        code=code or _unused_code(),
        title=template.title,
        organiser=template.organiser,
        language=template.language,
        place=template.place,
        question=template.question,
        dates=[d.isoformat() for d in template.dates],
        sectors=[{"id": s.id, "name": s.name, "count": s.count} for s in template.sectors],
        themes=[{"id": t.id, "title": t.title} for t in template.themes],
        template_name=template.name,
        facilitator_key_hash=hash_key(keys.facilitator),
        secretariat_key_hash=hash_key(keys.secretariat),
        created_at=now,
    )
    for position, spec in enumerate(template.blocks):
        block = Block(
            key=spec.id,
            position=position,
            title=spec.title,
            day=spec.day,
            part=spec.part,
            method=spec.method,
            description=spec.description,
            phase=spec.phase,
            slots=[{"id": s.id, "label": s.label} for s in spec.slots],
            spaces=[{"id": s.id, "name": s.name} for s in spec.spaces],
            vote_dots=spec.vote_dots or template.dots_per_participant or 5,
            vote_top=spec.vote_top or 3,
        )
        block.rounds = [
            Round(
                position=i,
                title=r.title,
                question=r.question,
                minutes=r.minutes,
                status="pending",
                reveal=r.reveal,
                moderated=r.moderated,
                anonymous=r.anonymous,
            )
            for i, r in enumerate(spec.rounds)
        ]
        block.tables = [
            Table(
                number=t.number,
                theme=(template.theme(t.theme).title if template.theme(t.theme) else None),
                capacity=t.capacity,
            )
            for t in spec.tables
        ]
        workshop.blocks.append(block)
    db.session.add(workshop)
    db.session.flush()
    workshop.current_block_id = workshop.blocks[0].id if workshop.blocks else None
    return workshop, keys


def rotate_keys(workshop: Workshop) -> Keys:
    keys = Keys(facilitator=new_key(), secretariat=new_key())
    workshop.facilitator_key_hash = hash_key(keys.facilitator)
    workshop.secretariat_key_hash = hash_key(keys.secretariat)
    return keys
