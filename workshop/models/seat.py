from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workshop.models.base import Base


class Seat(Base):
    """Where a participant was asked to sit for a World Café round, and where they said they sat."""

    __tablename__ = "seat"
    __table_args__ = (UniqueConstraint("round_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    planned_table: Mapped[int | None]  # from the rotation plan
    table: Mapped[int | None]  # where the participant said they sat (table:arrive)
    arrived_at: Mapped[dt.datetime | None]
