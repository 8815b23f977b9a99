"""Photos of the tablecloths (World Café) and the flipcharts (Open Space): who may add one, where
it goes, the limits, and what the board, the console and the results read. The caller commits;
two uploads racing for the same number or slot meet a unique constraint, and the caller tries
again (the count is then read afresh, so the limits hold across processes).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import delete, func, select

from workshop.agenda.read import current_block
from workshop.broadcasts import Broadcast
from workshop.clock import iso
from workshop.domain import photos as rules
from workshop.domain.errors import WorkshopError
from workshop.domain.photos import CleanPhoto, PhotoItem
from workshop.extensions import db
from workshop.models import Block, Participant, Round, Topic, Workshop
from workshop.models.photo import Photo
from workshop.rooms import room_for

# Everything but the two pictures: lists never load the bytes.
LISTED = (
    Photo.id,
    Photo.block_id,
    Photo.round_id,
    Photo.table_number,
    Photo.topic_id,
    Photo.width,
    Photo.height,
    Photo.created_at,
    Photo.number,
    Photo.sha256,
)


def photo_url(code: str, photo_id: str, thumbnail: bool = False) -> str:
    """The address the board, the console and the documents use (``workshop.photos.routes``)."""
    return f"/w/{code}/photos/{photo_id}{'.thumb' if thumbnail else ''}.jpg"


def photo_json(code: str, photo, round_number: int | None = None, topic_title: str | None = None) -> dict:
    """A photo as events and states carry it (``photo`` is a Photo or a row of LISTED).
    ``round_number``: the round's place in its block (1, 2…), for the photo's caption."""
    return {
        "id": photo.id,
        "url": photo_url(code, photo.id),
        "thumb": photo_url(code, photo.id, thumbnail=True),
        "block": photo.block_id,
        "round": photo.round_id,
        "round_number": round_number,
        "table": photo.table_number,
        "topic": photo.topic_id,
        "topic_title": topic_title,
        "width": photo.width,
        "height": photo.height,
        "created_at": iso(photo.created_at),
    }


def _listed(workshop: Workshop, block: Block | None = None, *extra, where=None):
    query = (
        select(*LISTED, (Round.position + 1).label("round_number"), Topic.title.label("topic_title"), *extra)
        .outerjoin(Round, Round.id == Photo.round_id)
        .outerjoin(Topic, Topic.id == Photo.topic_id)
        .where(Photo.workshop_id == workshop.id)
    )
    if block is not None:
        query = query.where(Photo.block_id == block.id)
    if where is not None:
        query = query.where(where)
    return db.session.execute(query.order_by(Photo.created_at, Photo.number)).all()


def _row_json(code: str, row) -> dict:
    return photo_json(code, row, row.round_number, row.topic_title)


def one_photo_json(workshop: Workshop, photo_id: str) -> dict:
    row = next((r for r in _listed(workshop, None, where=Photo.id == photo_id)), None)
    if row is None:
        raise WorkshopError("unknown_photo")
    return _row_json(workshop.code, row)


def photos_json(workshop: Workshop) -> list[dict]:
    """Every photo of the workshop, oldest first: the board's and the console's state."""
    return [_row_json(workshop.code, row) for row in _listed(workshop)]


# --- adding


def check_uploader(
    workshop: Workshop,
    participant: Participant | None,
    *,
    table: int | None = None,
    round_id: int | None = None,
    topic_id: str | None = None,
) -> None:
    """Refuses (not_host, not_convener, a place that does not exist) before the picture is read:
    a stranger's file is never decoded."""
    if topic_id is not None:
        _session_place(workshop, participant, topic_id)
    else:
        _table_place(workshop, participant, table, round_id)


def add_photo(
    workshop: Workshop,
    clean: CleanPhoto,
    now: dt.datetime,
    *,
    participant: Participant | None = None,
    table: int | None = None,
    round_id: int | None = None,
    topic_id: str | None = None,
    per_place: int | None = None,
    per_workshop: int | None = None,
) -> tuple[Photo, list[Broadcast]]:
    """Attaches a photo: ``participant`` None is the facilitator (who names the table).

    World Café: to a table of the current block in a round of it that has started (the running
    one, else the last one started, unless the phone names another); only that table's host may.
    Open Space (``topic_id``): to a session of the workshop; only its convener may. The same
    picture sent twice to the same place is stored once.
    """
    per_place = per_place or rules.PER_PLACE
    per_workshop = per_workshop or rules.PER_WORKSHOP
    if topic_id is not None:
        block, round_, table, topic = _session_place(workshop, participant, topic_id)
    else:
        block, round_, table = _table_place(workshop, participant, table, round_id)
        topic = None
    place = rules.place_of(round_.id if round_ else None, table, topic.id if topic else None)
    same = db.session.execute(
        select(Photo).where(Photo.workshop_id == workshop.id, Photo.place == place, Photo.sha256 == clean.sha256)
    ).scalar_one_or_none()
    if same is not None:
        return same, []
    at_place, last_slot = db.session.execute(
        select(func.count(Photo.id), func.max(Photo.slot)).where(Photo.workshop_id == workshop.id, Photo.place == place)
    ).one()
    if at_place >= per_place:
        raise WorkshopError("photo_limit_place", max=per_place)
    in_workshop, last_number = db.session.execute(
        select(func.count(Photo.id), func.max(Photo.number)).where(Photo.workshop_id == workshop.id)
    ).one()
    if in_workshop >= per_workshop:
        raise WorkshopError("photo_limit_workshop", max=per_workshop)
    photo = Photo(
        id=str(uuid.uuid4()),
        workshop_id=workshop.id,
        block_id=block.id,
        round_id=round_.id if round_ else None,
        table_number=table,
        topic_id=topic.id if topic else None,
        place=place,
        number=(last_number or 0) + 1,
        slot=(last_slot or 0) + 1,
        uploader_id=participant.id if participant else None,
        created_at=now,
        width=clean.width,
        height=clean.height,
        sha256=clean.sha256,
        jpeg=clean.jpeg,
        thumbnail=clean.thumbnail,
    )
    db.session.add(photo)
    db.session.flush()
    shown = photo_json(workshop.code, photo, round_.position + 1 if round_ else None, topic.title if topic else None)
    return photo, [Broadcast("photo:added", {"photo": shown}, _rooms(workshop, photo))]


def _rooms(workshop: Workshop, photo: Photo) -> tuple[str, ...]:
    rooms = [room_for(workshop.code, "board"), room_for(workshop.code, "facilitator")]
    if photo.table_number is not None:
        rooms.append(room_for(workshop.code, "table", photo.table_number))
    if photo.topic_id is not None:
        rooms.append(room_for(workshop.code, "topic", photo.topic_id))
    return tuple(rooms)


def _table_place(workshop: Workshop, participant: Participant | None, table: int | None, round_id: int | None):
    block = current_block(workshop)
    if block is None or not block.is_world_cafe:
        raise WorkshopError("not_world_cafe")
    if participant is not None:
        hosted = next((t.number for t in block.tables if t.host_id == participant.id), None)
        if hosted is None or (table is not None and table != hosted):
            raise WorkshopError("not_host")
        table = hosted
    elif table is None:
        raise WorkshopError("missing_field", field="table")
    elif table not in {t.number for t in block.tables}:
        raise WorkshopError("unknown_table", table=table)
    return block, photo_round(block, round_id), table


def photo_round(block: Block, round_id: int | None) -> Round:
    """The round a tablecloth photo belongs to: the one named (of this block, started), else the
    running one, else the last one started (the photo taken as a round closed)."""
    started = [r for r in block.rounds if r.status != "pending"]
    if round_id is not None:
        named = next((r for r in block.rounds if r.id == round_id), None)
        if named is None:
            raise WorkshopError("unknown_round", round=round_id)
        if named.status == "pending":
            raise WorkshopError("round_not_started")
        return named
    running = next((r for r in started if r.status == "running"), None)
    if running is not None:
        return running
    if not started:
        raise WorkshopError("photo_no_round")
    return max(started, key=lambda r: (r.started_at or dt.datetime.min.replace(tzinfo=dt.UTC), r.position))


def _session_place(workshop: Workshop, participant: Participant | None, topic_id: str):
    topic = db.session.get(Topic, topic_id)
    if topic is None or topic.workshop_id != workshop.id or topic.withdrawn:
        raise WorkshopError("unknown_topic")
    if participant is not None and topic.convener_id != participant.id:
        raise WorkshopError("not_convener")
    block = db.session.get(Block, topic.block_id)
    return block, None, None, topic


# --- reading, removing


def photo_bytes(workshop: Workshop, photo_id: str, thumbnail: bool = False) -> bytes:
    column = Photo.thumbnail if thumbnail else Photo.jpeg
    data = db.session.execute(
        select(column).where(Photo.workshop_id == workshop.id, Photo.id == photo_id)
    ).scalar_one_or_none()
    if data is None:
        raise WorkshopError("unknown_photo")
    return data


def remove_photo(workshop: Workshop, photo_id: str) -> list[Broadcast]:
    """The facilitator takes a photo away (a face, a name that should not be there)."""
    photo = db.session.execute(
        select(Photo).where(Photo.workshop_id == workshop.id, Photo.id == photo_id)
    ).scalar_one_or_none()
    if photo is None:
        raise WorkshopError("unknown_photo")
    rooms = _rooms(workshop, photo)
    db.session.execute(delete(Photo).where(Photo.id == photo.id))
    db.session.expunge(photo)
    return [
        Broadcast("photo:removed", {"photo": photo_id, "block": photo.block_id, "table": photo.table_number}, rooms)
    ]


def table_photos(workshop: Workshop, block: Block | None, table: int | None) -> list[dict]:
    """The photos of one table in a block (the host's list on the phone), oldest first."""
    if block is None or table is None:
        return []
    return [_row_json(workshop.code, row) for row in _listed(workshop, block) if row.table_number == table]


def gallery(workshop: Workshop) -> dict:
    """What the board's and the console's photo strips show at page load: the current block's
    photos per table (World Café) or per session (Open Space)."""
    block = current_block(workshop)
    photos = [_row_json(workshop.code, row) for row in _listed(workshop, block)] if block is not None else []
    tables = [
        {"number": t.number, "theme": t.theme, "photos": [p for p in photos if p["table"] == t.number]}
        for t in (block.tables if block is not None else [])
    ]
    topics: dict[str, dict] = {}
    for p in photos:
        if p["topic"] is not None:
            topics.setdefault(p["topic"], {"id": p["topic"], "title": p["topic_title"], "photos": []})["photos"].append(
                p
            )
    return {
        "block": block,
        "photos": photos,
        "tables": [t for t in tables if t["photos"]],
        "all_tables": tables,
        "topics": list(topics.values()),
        "started_rounds": [r for r in (block.rounds if block is not None else []) if r.status != "pending"],
    }


# --- the results


def photo_items(workshop: Workshop, base_url: str = "") -> list[PhotoItem]:
    """Every photo with its JPEG, for the results documents (which embed them)."""
    rows = _listed(workshop, None, Photo.jpeg)
    return [
        PhotoItem(
            id=row.id,
            url=base_url + photo_url(workshop.code, row.id),
            block=row.block_id,
            round=row.round_id,
            table=row.table_number,
            topic=row.topic_id,
            width=row.width,
            height=row.height,
            created_at=row.created_at,
            sha256=row.sha256,
            jpeg=row.jpeg,
        )
        for row in rows
    ]


def illustrate(synthesis, workshop: Workshop, base_url: str | None = None):
    """The synthesis with the workshop's photos, which every renderer of ``workshop.results.export`` places
    under their table and round (or session). Links are absolute where the public address is
    known (``workshop.address.site_url``: never a request's Host header), so a downloaded Markdown
    file still links."""
    if base_url is None:
        from workshop.address import site_url

        base_url = site_url()
    synthesis.photos = photo_items(workshop, base_url)
    return synthesis
