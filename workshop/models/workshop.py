from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.models.base import Base

if TYPE_CHECKING:
    from workshop.models.block import Block
    from workshop.models.participant import Participant


class Workshop(Base):
    __tablename__ = "workshop"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    organiser: Mapped[str] = mapped_column(String(300), default="")
    language: Mapped[str] = mapped_column(String(8), default="fr")
    place: Mapped[str | None] = mapped_column(String(300))
    question: Mapped[str | None] = mapped_column(Text)
    dates: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO dates
    sectors: Mapped[list[dict]] = mapped_column(JSON, default=list)  # [{"id", "name", "count"}]
    # The template's themes, [{"id", "title"}]; a table holds its theme's title (what every page shows).
    themes: Mapped[list[dict]] = mapped_column(JSON, default=list, server_default="[]")
    template_name: Mapped[str | None] = mapped_column(String(100))
    # Keys are never stored, only their SHA-256 (they are long random values, so no salt is needed).
    facilitator_key_hash: Mapped[str] = mapped_column(String(64))
    secretariat_key_hash: Mapped[str] = mapped_column(String(64))
    # Not a foreign key: block and workshop would point at each other, which PostgreSQL and
    # SQLite migrations cannot create in one step. Services keep it pointing at a block of ours.
    current_block_id: Mapped[int | None]
    # What the projector shows: "live" (the wall of the current round) or "results" (the curation).
    board_view: Mapped[str] = mapped_column(String(16), default="live", server_default="live")
    created_at: Mapped[dt.datetime]

    blocks: Mapped[list[Block]] = relationship(
        back_populates="workshop",
        order_by="Block.position",
        foreign_keys="Block.workshop_id",
        cascade="all, delete-orphan",
    )
    participants: Mapped[list[Participant]] = relationship(back_populates="workshop", cascade="all, delete-orphan")
