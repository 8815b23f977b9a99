from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.domain.modes import RoundModes
from workshop.models.base import Base

if TYPE_CHECKING:
    from workshop.models.block import Block


class Round(Base):
    """One timed question of a block; its status follows ``workshop.domain.rounds``."""

    __tablename__ = "round"

    id: Mapped[int] = mapped_column(primary_key=True)
    block_id: Mapped[int] = mapped_column(ForeignKey("block.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str | None] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    minutes: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    started_at: Mapped[dt.datetime | None]
    ends_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]
    # What a facilitator's press says it saw (workshop.domain.rounds.press): one more at each change.
    timer_version: Mapped[int] = mapped_column(default=0, server_default="0")
    timer_action: Mapped[str | None] = mapped_column(String(32))
    # Facilitation modes (workshop.domain.modes): they apply to the notes posted while they hold.
    reveal: Mapped[bool] = mapped_column(default=False, server_default=false())
    moderated: Mapped[bool] = mapped_column(default=False, server_default=false())
    anonymous: Mapped[bool] = mapped_column(default=False, server_default=false())

    block: Mapped[Block] = relationship(back_populates="rounds")

    @property
    def modes(self) -> RoundModes:
        return RoundModes(reveal=bool(self.reveal), moderated=bool(self.moderated), anonymous=bool(self.anonymous))
