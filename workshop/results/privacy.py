"""Deleting what people wrote, once the results are out (docs/privacy.md)."""

from __future__ import annotations

from sqlalchemy import delete, select, text, update

from workshop.extensions import db
from workshop.models import Attendance, Block, DotVote, Note, Participant, Photo, Seat, Table, Topic, Workshop


def purge_workshop(workshop: Workshop) -> dict[str, int]:
    """Participants, notes, photos, topics, votes, attendance and seats go; the agenda and the facilitator's
    themes and sections (written by the facilitator, not by participants) stay. On SQLite the
    freed pages are overwritten with zeros (``secure_delete``); ``scrub`` then clears the rest."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(text("PRAGMA secure_delete=ON"))
    participants = select(Participant.id).where(Participant.workshop_id == workshop.id)
    topics = select(Topic.id).where(Topic.workshop_id == workshop.id)
    blocks = select(Block.id).where(Block.workshop_id == workshop.id)
    counts = {}
    db.session.execute(update(Table).where(Table.block_id.in_(blocks)).values(host_id=None))
    counts["dots"] = db.session.execute(delete(DotVote).where(DotVote.workshop_id == workshop.id)).rowcount
    db.session.execute(delete(Attendance).where(Attendance.topic_id.in_(topics)))
    db.session.execute(delete(Seat).where(Seat.participant_id.in_(participants)))
    counts["photos"] = db.session.execute(delete(Photo).where(Photo.workshop_id == workshop.id)).rowcount
    counts["notes"] = db.session.execute(delete(Note).where(Note.workshop_id == workshop.id)).rowcount
    counts["topics"] = db.session.execute(delete(Topic).where(Topic.workshop_id == workshop.id)).rowcount
    counts["participants"] = db.session.execute(
        delete(Participant).where(Participant.workshop_id == workshop.id)
    ).rowcount
    db.session.expire_all()
    return counts


PURGED_TABLES = ("participant", "note", "photo", "topic", "attendance", "dot", "seat", "cafe_table")


def scrub() -> str | None:
    """After the purge is committed, what deleted rows left in the database files goes too.

    SQLite: the write-ahead log is copied into the file and emptied (``wal_checkpoint(TRUNCATE)``),
    then ``VACUUM`` rewrites the file without its free pages, and the log is emptied again.
    PostgreSQL: ``VACUUM`` of the purged tables (docs/privacy.md says what it does not remove).
    Returns a warning to show when it could not finish (another process holding the database)."""
    engine = db.engine
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if engine.dialect.name == "sqlite":
            busy = connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).first()
            connection.execute(text("VACUUM"))
            busy = connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).first() or busy
            if busy and busy[0]:
                return "the server is reading the database: its log was not emptied; run purge again once it stops"
        elif engine.dialect.name == "postgresql":
            names = set(engine.dialect.get_table_names(connection))
            tables = [name for name in PURGED_TABLES if name in names]
            if tables:
                connection.execute(text("VACUUM " + ", ".join(f'"{name}"' for name in tables)))
    return None
