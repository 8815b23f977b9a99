from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.domain.methods import OPEN_SPACE, WORLD_CAFE
from workshop.models.base import Base

if TYPE_CHECKING:
    from workshop.models.round import Round
    from workshop.models.table import Table
    from workshop.models.workshop import Workshop


class Block(Base):
    """A half-day of the agenda, run with one method."""

    __tablename__ = "block"
    __table_args__ = (UniqueConstraint("workshop_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))  # the template's block id
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    day: Mapped[dt.date]
    part: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(16))
    description: Mapped[str | None] = mapped_column(Text)
    phase: Mapped[str | None] = mapped_column(String(16))  # appreciative inquiry: discover, dream, design, deliver
    slots: Mapped[list[dict]] = mapped_column(JSON, default=list)  # open space: [{"id", "label"}]
    spaces: Mapped[list[dict]] = mapped_column(JSON, default=list)  # open space: [{"id", "name"}]
    # World Café: after the rounds, the harvest in plenary ("closed" once it is over).
    harvest: Mapped[str] = mapped_column(String(16), default="none", server_default="none")
    harvest_opened_at: Mapped[dt.datetime | None]  # the harvest can be cancelled for a few seconds
    # Open Space convergence: the dot vote of the block and how many topics go to action planning.
    vote_status: Mapped[str] = mapped_column(String(16), default="none", server_default="none")
    vote_dots: Mapped[int] = mapped_column(default=5, server_default="5")
    vote_top: Mapped[int] = mapped_column(default=3, server_default="3")
    # World Café: when the stored rotation plan (Seat.planned_table of the pending rounds) was last
    # made, and what it was made from (cafe/seating.py re-plans only when that changes).
    planned_at: Mapped[dt.datetime | None]
    plan_basis: Mapped[dict | None] = mapped_column(JSON)

    workshop: Mapped[Workshop] = relationship(back_populates="blocks", foreign_keys=[workshop_id])
    rounds: Mapped[list[Round]] = relationship(
        back_populates="block", order_by="Round.position", cascade="all, delete-orphan"
    )
    tables: Mapped[list[Table]] = relationship(
        back_populates="block", order_by="Table.number", cascade="all, delete-orphan"
    )

    @property
    def is_world_cafe(self) -> bool:
        """A World Café with its tables (rotations, seats, a harvest); without tables a block's
        rounds run as plain rounds."""
        return self.method == WORLD_CAFE and bool(self.tables)

    @property
    def is_open_space(self) -> bool:
        return self.method == OPEN_SPACE
