from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from workshop.models.base import Base


class Topic(Base):
    """An Open Space session proposed at the marketplace; its id is made by the phone."""

    __tablename__ = "topic"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    block_id: Mapped[int] = mapped_column(ForeignKey("block.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(String(200))
    convener_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    convener_name: Mapped[str | None] = mapped_column(String(60))
    slot: Mapped[str | None] = mapped_column(String(64))
    space: Mapped[str | None] = mapped_column(String(64))
    withdrawn: Mapped[bool] = mapped_column(default=False)
    selected: Mapped[bool] = mapped_column(default=False)  # among the top K of the closed vote
    created_at: Mapped[dt.datetime]


class Attendance(Base):
    """A participant in a session, from ``since`` until they walk to another (law of two feet)."""

    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[str] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    since: Mapped[dt.datetime]
    until: Mapped[dt.datetime | None]


class DotVote(Base):
    """One dot of the convergence vote; its id is made by the phone, so a resend counts once."""

    __tablename__ = "dot"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    block_id: Mapped[int] = mapped_column(ForeignKey("block.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    target: Mapped[str] = mapped_column(String(48))  # "topic:<id>" or "note:<id>"
    created_at: Mapped[dt.datetime]
