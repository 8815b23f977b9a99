from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from workshop.models.base import Base


class ServerKey(Base):
    """A key of the server itself, not of a workshop ("organiser"); only its SHA-256 is kept."""

    __tablename__ = "server_key"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]
