"""Deleting what people wrote, once the results are out (docs/privacy.md)."""
from __future__ import annotations

from sqlalchemy import delete, select, update

from ..extensions import db
from ..models import Attendance, Block, DotVote, Note, Participant, Photo, Seat, Table, Topic, Workshop


def purge_workshop(workshop: Workshop) -> dict[str, int]:
    """Participants, notes, photos, topics, votes, attendance and seats go; the agenda and the facilitator's
    themes and sections (written by the facilitator, not by participants) stay."""
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
