from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workshop.models.base import Base


class Photo(Base):
    """A photo of a table's tablecloth in a round (World Café), or of a session's flipchart (Open
    Space): a clean JPEG (``workshop.domain.photos``), kept in the database so every server
    process serves it. Its id is made here, so its address never changes and caches keep it."""

    __tablename__ = "photo"
    # The limits hold across processes: a photo takes the next number of its workshop and the next
    # slot of its place, and two uploads racing for the same one meet this constraint.
    __table_args__ = (
        UniqueConstraint("workshop_id", "number", name="uq_photo_number"),
        UniqueConstraint("workshop_id", "place", "slot", name="uq_photo_place_slot"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    block_id: Mapped[int] = mapped_column(ForeignKey("block.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("round.id", ondelete="SET NULL"))
    table_number: Mapped[int | None]
    topic_id: Mapped[str | None] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"))
    place: Mapped[str] = mapped_column(String(80))  # workshop.domain.photos.place_of
    number: Mapped[int]  # 1, 2, 3… in the workshop
    slot: Mapped[int]  # 1, 2, 3… at its place
    # None: the facilitator's, or the uploader's phone was purged.
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime]
    width: Mapped[int]
    height: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    jpeg: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    thumbnail: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
