from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.models.base import Base

if TYPE_CHECKING:
    from workshop.models.workshop import Workshop


class Participant(Base):
    """A phone, known by the token it keeps; no account, the name is optional."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(String(60))
    sector: Mapped[str | None] = mapped_column(String(64))
    table_number: Mapped[int | None]
    created_at: Mapped[dt.datetime]
    last_seen_at: Mapped[dt.datetime]
    # The roster (known before the day): imported people have no phone until they scan their passport.
    on_roster: Mapped[bool] = mapped_column(default=False, server_default=false())
    fixed_table: Mapped[int | None]  # sits at this table every round (the roster says so)
    arrived_at: Mapped[dt.datetime | None]  # first seen with a phone; None: expected, not here yet

    workshop: Mapped[Workshop] = relationship(back_populates="participants")
