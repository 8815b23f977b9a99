"""The JSON the server sends to the pages' scripts, declared once.

Each shape here is mirrored as a JSDoc ``@typedef`` of the same name in ``static/js/shapes.js``,
which ``tsc --checkJs`` checks the scripts against; ``tests/unit/test_shapes.py`` keeps the two
lists of fields the same. ``shown``: the texts as the live pages print them (typography)."""

from typing import NotRequired, TypedDict


class ErrorJSON(TypedDict):
    code: str
    message: str


class AckJSON(TypedDict):
    """Every acknowledgement: ``ok``, and ``error`` when it is false; the event adds its own keys."""

    ok: bool
    error: NotRequired[ErrorJSON]


class WorkshopJSON(TypedDict):
    code: str
    title: str
    language: str
    organiser: str | None
    place: str | None
    question: str | None
    dates: list[str]
    sectors: list[str]
    shown: dict[str, str]


class RoundJSON(TypedDict):
    id: int
    block: int
    position: int
    title: str | None
    question: str
    minutes: int
    status: str  # "pending" | "running" | "closed"
    started_at: str | None
    ends_at: str | None
    closed_at: str | None
    version: int
    reveal: bool  # facilitation modes of the round (workshop.domain.modes)
    moderated: bool
    anonymous: bool
    shown: dict[str, str]


class TableJSON(TypedDict):
    number: int
    theme: str | None
    capacity: int | None
    host: str | None
    host_id: int | None
    shown: dict[str, str]


class WallJSON(TypedDict):
    slots: list[dict]
    spaces: list[dict]
    cells: list[dict]


class VoteJSON(TypedDict):
    status: str
    dots: int | None
    top: int | None


class BlockJSON(TypedDict):
    id: int
    key: str | None
    title: str
    day: str
    part: str | None
    method: str  # "world-cafe" | "open-space"
    description: str | None
    harvest: str
    harvest_opened_at: str | None
    rounds: list[RoundJSON]
    tables: list[TableJSON]
    shown: dict[str, str]
    wall: NotRequired[WallJSON]  # open-space blocks
    vote: NotRequired[VoteJSON]  # open-space blocks


class NoteJSON(TypedDict):
    id: str
    text: str
    round: int | None
    block: int | None
    table: int | None
    topic: str | None
    color: str | None
    author: str | None
    created_at: str | None
    votes: int
    hidden: bool
    kind: str
    starred: bool
    theme: int | None
    section: int | None
    tag: str | None
    owner: str | None
    due: str | None
    revealed: bool  # false: waiting for the facilitator's reveal (reveal mode)
    approved: bool  # false: waiting in the moderation queue (moderated mode)
    anonymous: bool  # posted in an anonymous round: ``author`` is null for everyone
    shown: NotRequired[dict[str, str]]  # only when a text prints differently


class TopicJSON(TypedDict):
    id: str
    block: int
    title: str
    description: str | None
    convener: str | None
    convener_id: int | None
    slot: str | None
    space: str | None
    attendance: int
    votes: int
    selected: bool
    shown: dict[str, str]


class WaitingJSON(TypedDict):
    """``notes:waiting`` and the board's and console's ``waiting``: notes of the round not yet
    revealed or approved (neither hidden)."""

    round: int | None
    count: int


class NotesShownJSON(TypedDict):
    """``notes:shown``: notes revealed or approved together, as this audience may see them."""

    round: int
    table: int | None
    notes: list[NoteJSON]


class CurrentJSON(TypedDict):
    block: int | None
    round: int | None


class MeJSON(TypedDict):
    """A phone's own part of its snapshot."""

    token: str
    name: str | None
    sector: str | None
    table: int | None
    notes: list[str]
    host: int | None
    move: dict | None
    expected: int | None
    topics: list[str]
    attending: str | None
    dots: list[dict]
    dots_left: int | None


class SnapshotJSON(TypedDict):
    """The state of `join`'s ack and of `state:get`: what one role may see."""

    workshop: WorkshopJSON
    blocks: list[BlockJSON]
    current: CurrentJSON
    notes: list[NoteJSON]
    topics: list[TopicJSON]
    now: str
    role: str  # "participant" | "board" | "facilitator"
    me: NotRequired[MeJSON]  # a phone's
    themes: NotRequired[list[dict]]  # board, facilitator
    sections: NotRequired[list[dict]]  # board, facilitator
    board_view: NotRequired[str]  # board, facilitator
    photos: NotRequired[list[dict]]  # board, facilitator
    seating: NotRequired[dict]  # facilitator
    participants: NotRequired[list[dict]]  # facilitator
    waiting: NotRequired[WaitingJSON]  # board, facilitator: the current round's waiting notes


class TermJSON(TypedDict):
    """A key term of the visible notes: its most frequent written form, the notes that hold it."""

    term: str
    count: int
    notes: list[str]


class TermsJSON(TypedDict):
    """`terms:get`'s ack (besides ``ok``) and ``GET /w/CODE/terms.json``: most frequent first."""

    terms: list[TermJSON]
