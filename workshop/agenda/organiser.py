"""The organiser key: the server's own, not a workshop's. It creates, lists, changes and retires
workshops. Only its SHA-256 is stored, in the database, so a new key works at once in every process."""

from __future__ import annotations

import datetime as dt
import hmac

from sqlalchemy import select

from workshop.agenda.keys import hash_key, new_key
from workshop.extensions import db
from workshop.models import ServerKey

ORGANISER = "organiser"


def _stored() -> ServerKey | None:
    return db.session.get(ServerKey, ORGANISER)


def ensure_organiser_key(now: dt.datetime) -> str | None:
    """At first start: a new key, returned once to be printed; None when one exists already."""
    if _stored() is not None:
        return None
    return replace_organiser_key(now)


def replace_organiser_key(now: dt.datetime) -> str:
    """A new key; the old one stops working at once. The caller commits."""
    key = new_key()
    row = _stored()
    if row is None:
        db.session.add(ServerKey(name=ORGANISER, key_hash=hash_key(key), created_at=now))
    else:
        row.key_hash = hash_key(key)
        row.created_at = now
    db.session.flush()
    return key


def is_organiser_key(key: object) -> bool:
    """Compared in constant time with the stored hash; False when no key was ever made."""
    if not isinstance(key, str) or not key or len(key) > 200:
        return False
    stored = db.session.execute(select(ServerKey.key_hash).where(ServerKey.name == ORGANISER)).scalar_one_or_none()
    return stored is not None and hmac.compare_digest(hash_key(key), stored)
