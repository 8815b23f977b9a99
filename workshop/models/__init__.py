"""The tables, typed (SQLAlchemy 2.x). One model per file."""

from workshop.models.base import Base
from workshop.models.block import Block
from workshop.models.curation import Section, Theme
from workshop.models.note import Note
from workshop.models.participant import Participant
from workshop.models.photo import Photo
from workshop.models.round import Round
from workshop.models.seat import Seat
from workshop.models.server_key import ServerKey
from workshop.models.table import Table
from workshop.models.topic import Attendance, DotVote, Topic
from workshop.models.workshop import Workshop

__all__ = [
    "Attendance",
    "Base",
    "Block",
    "DotVote",
    "Note",
    "Participant",
    "Photo",
    "Round",
    "Seat",
    "Section",
    "ServerKey",
    "Table",
    "Theme",
    "Topic",
    "Workshop",
]
