from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workshop.models.base import Base


class Section(Base):
    """A part of the preliminary results the facilitator writes, e.g. « Résultats préliminaires – Table »."""

    __tablename__ = "section"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")  # Markdown, sanitized when rendered
    intro_html: Mapped[str] = mapped_column(Text, default="")  # rendered and sanitized once, when saved
    position: Mapped[int] = mapped_column(default=0)


class Theme(Base):
    """Notes grouped by the facilitator under a name; may be filed under a section."""

    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    block_id: Mapped[int | None] = mapped_column(ForeignKey("block.id", ondelete="SET NULL"))
    section_id: Mapped[int | None] = mapped_column(ForeignKey("section.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
