from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base

if TYPE_CHECKING:
    from .participant import Participant


class Note(Base):
    """A sticky note. Its id is made by the phone, so a resend is recognised and stored once."""

    __tablename__ = "note"
    __table_args__ = (Index("ix_note_workshop_table", "workshop_id", "table_number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    block_id: Mapped[int | None] = mapped_column(ForeignKey("block.id", ondelete="SET NULL"))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("round.id", ondelete="SET NULL"), index=True)
    table_number: Mapped[int | None]
    topic_id: Mapped[str | None] = mapped_column(String(36), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text)
    color: Mapped[str | None] = mapped_column(String(16))
    hidden: Mapped[bool] = mapped_column(default=False)
    # "note" during a round; "harvest" for the key ideas a table brings to the plenary.
    kind: Mapped[str] = mapped_column(String(16), default="note", server_default="note")
    starred: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Curation for the preliminary results: the facilitator's theme, or a section directly.
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("section.id", ondelete="SET NULL"))
    # Open Space session reports: key-point | proposal | action; an action may carry an owner and a date.
    tag: Mapped[str | None] = mapped_column(String(16))
    owner: Mapped[str | None] = mapped_column(String(60))
    due: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime]

    author: Mapped[Participant | None] = relationship()

    @property
    def report_tag(self) -> str:
        """A session report's tag; a report line without one is a key point."""
        return self.tag or "key-point"
