"""The tables, typed (SQLAlchemy 2.x). One model per file."""

from .base import Base
from .block import Block
from .curation import Section, Theme
from .note import Note
from .participant import Participant
from .photo import Photo
from .round import Round
from .seat import Seat
from .server_key import ServerKey
from .table import Table
from .topic import Attendance, DotVote, Topic
from .workshop import Workshop

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
