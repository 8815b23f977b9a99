from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, and_, false, true
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.domain.modes import in_results, is_public
from workshop.models.base import Base

if TYPE_CHECKING:
    from workshop.models.participant import Participant


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
    # Facilitation modes of its round (workshop.domain.modes), set when it is posted.
    revealed: Mapped[bool] = mapped_column(default=True, server_default=true())
    approved: Mapped[bool] = mapped_column(default=True, server_default=true())
    anonymous: Mapped[bool] = mapped_column(default=False, server_default=false())

    author: Mapped[Participant | None] = relationship()

    @property
    def report_tag(self) -> str:
        """A session report's tag; a report line without one is a key point."""
        return self.tag or "key-point"

    @hybrid_property
    def public(self) -> bool:
        """On the board and the other phones (``domain.modes.is_public``); a SQL condition too."""
        # None before the first flush: the column defaults (revealed, approved) hold.
        return is_public(bool(self.hidden), self.revealed is not False, self.approved is not False)

    @public.inplace.expression
    @classmethod
    def _public_expression(cls):
        return and_(cls.hidden.is_(False), cls.revealed.is_(True), cls.approved.is_(True))

    @hybrid_property
    def in_results(self) -> bool:
        """In the preliminary results (``domain.modes.in_results``): approved, not hidden."""
        return in_results(bool(self.hidden), self.approved is not False)

    @in_results.inplace.expression
    @classmethod
    def _in_results_expression(cls):
        return and_(cls.hidden.is_(False), cls.approved.is_(True))

    @property
    def author_name(self) -> str | None:
        """The name shown with the note: none in an anonymous round."""
        if self.anonymous or self.author is None:
            return None
        return self.author.name
