from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.models.base import Base

if TYPE_CHECKING:
    from workshop.models.block import Block
    from workshop.models.participant import Participant


class Table(Base):
    """A World Café table of a block; numbers stay the same across blocks (the printed cards)."""

    __tablename__ = "cafe_table"
    __table_args__ = (UniqueConstraint("block_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    block_id: Mapped[int] = mapped_column(ForeignKey("block.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    theme: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int | None]
    host_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))

    block: Mapped[Block] = relationship(back_populates="tables")
    host: Mapped[Participant | None] = relationship()
