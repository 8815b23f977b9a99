"""Group commit (workshop/realtime/group_commit.py): writes queued together share one commit; a
bad one fails alone with its own error; the agenda cache follows every change of the agenda."""

from __future__ import annotations

import threading
import time
import uuid
from types import SimpleNamespace

import pytest

from workshop import clock
from workshop.agenda.cache import agenda_cache
from workshop.domain.errors import WorkshopError
from workshop.extensions import db
from workshop.live import notes
from workshop.models import Note
from workshop.realtime.group_commit import group_commit_for


@pytest.fixture
def running(create_workshop, connect):
    """A 2010 Café whose first round runs, and a phone at table 1."""
    keys = create_workshop()
    facilitator = connect({"code": keys["code"], "role": "facilitator", "key": keys["facilitator_key"]})
    first = facilitator.ack["state"]["blocks"][0]["rounds"][0]["id"]
    assert facilitator.emit("round:start", {"round": first}, callback=True)["ok"]
    phone = connect({"code": keys["code"], "role": "participant", "table": 1, "name": "Awa"})
    assert phone.ack["ok"], phone.ack
    return {
        "code": keys["code"],
        "facilitator": facilitator,
        "facilitator_key": keys["facilitator_key"],
        "phone": phone,
        "round": first,
    }


def _wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.005)


def _poster(app, code: str) -> notes.Poster:
    from workshop.models import Participant, Workshop

    with app.app_context():
        workshop = db.session.query(Workshop).filter_by(code=code).one()
        awa = db.session.query(Participant).filter_by(workshop_id=workshop.id, name="Awa").one()
        return notes.Poster(workshop.id, code, awa.id, awa.name, awa.table_number)


def _run_together(app, jobs: list[tuple]) -> list:
    """Submits every job from its own thread while the commit lock is held, so that they all
    queue for one batch; returns each job's result or the error it raised."""
    committer = group_commit_for(app)
    outcomes: list = [None] * len(jobs)

    def submit(index: int, work, atomic: bool) -> None:
        with app.app_context():
            try:
                outcomes[index] = committer.submit(work, atomic)
            except Exception as error:  # the test looks at it
                outcomes[index] = error

    threads = [threading.Thread(target=submit, args=(i, work, atomic)) for i, (work, atomic) in enumerate(jobs)]
    with committer._commit_lock:
        for thread in threads:
            thread.start()
        _wait_for(lambda: len(committer._queue) == len(jobs))
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_notes_queued_together_share_one_commit_and_a_bad_one_fails_alone(app, running):
    poster = _poster(app, running["code"])
    committer = group_commit_for(app)
    batches = committer.batches
    ids = [str(uuid.uuid4()) for _ in range(5)]

    def note(note_id: str, text: str):
        return lambda: notes.post_note_lean(poster, note_id, text, clock.now())

    def half_written():  # writes, then is refused: its savepoint takes its write back
        db.session.add(
            Note(
                id=str(uuid.uuid4()),
                workshop_id=poster.workshop_id,
                text="jamais",
                hidden=False,
                created_at=clock.now(),
            )
        )
        db.session.flush()
        raise WorkshopError("round_closed")

    jobs = [(note(i, f"Idée {n}"), True) for n, i in enumerate(ids)]
    jobs += [(note(str(uuid.uuid4()), "   "), True), (note(ids[0], "Idée 0"), True), (half_written, False)]
    outcomes = _run_together(app, jobs)

    assert committer.batches == batches + 1  # one transaction, one commit for all eight
    posted = [outcomes[i] for i in (0, 1, 2, 3, 4, 6)]  # the threads queue in any order
    assert sorted(data["id"] for data, _ in posted) == sorted([*ids, ids[0]])
    # The same id twice: stored once, broadcast once (whichever of the two came first).
    assert sum(len(broadcasts) for _, broadcasts in posted) == 5
    assert isinstance(outcomes[5], WorkshopError) and outcomes[5].code == "empty_note"
    assert isinstance(outcomes[7], WorkshopError) and outcomes[7].code == "round_closed"
    with app.app_context():
        stored = {n.id for n in db.session.query(Note).filter_by(workshop_id=poster.workshop_id)}
    assert stored == set(ids)


def test_a_note_after_the_round_closes_is_refused_the_cache_follows(app, running):
    phone, facilitator = running["phone"], running["facilitator"]
    first = phone.emit("note:post", {"id": str(uuid.uuid4()), "text": "Avant"}, callback=True)
    assert first["ok"], first
    built = agenda_cache.builds
    again = phone.emit("note:post", {"id": str(uuid.uuid4()), "text": "Encore"}, callback=True)
    assert again["ok"] and agenda_cache.builds == built  # the agenda read once, not per note
    assert facilitator.emit("round:close", {"round": running["round"]}, callback=True)["ok"]
    late = phone.emit("note:post", {"id": str(uuid.uuid4()), "text": "Après"}, callback=True)
    assert late["ok"] is False and late["error"]["code"] == "round_closed"
    # A resend of a note stored before the close is still acknowledged, with the stored note.
    resend = phone.emit("note:post", {"id": first["note"]["id"], "text": "Avant"}, callback=True)
    assert resend["ok"] and resend["note"]["id"] == first["note"]["id"]


def test_joins_of_a_storm_are_seated_together_and_follow_their_table(create_workshop, connect, monkeypatch):
    """A World Café round runs; within the seating interval the first join is seated at once,
    the others together when the interval ends (here: when the test ends it): each is told its table and its socket enters
    the table's room (a note then reaches that table's phones)."""
    from workshop.realtime.presence import seating_updates

    monkeypatch.setattr(seating_updates, "interval", 1000.0)  # every join after the first waits
    keys = create_workshop()
    facilitator = connect({"code": keys["code"], "role": "facilitator", "key": keys["facilitator_key"]})
    first = facilitator.ack["state"]["blocks"][0]["rounds"][0]["id"]
    assert facilitator.emit("round:start", {"round": first}, callback=True)["ok"]
    phones = [connect({"code": keys["code"], "role": "participant", "name": f"P{i}"}) for i in range(6)]
    assert all(p.ack["ok"] for p in phones)
    assert phones[0].ack["state"]["me"]["table"] is not None  # seated at once
    assert [p.ack["state"]["me"]["table"] for p in phones[1:]] == [None] * 5  # within the interval
    monkeypatch.setattr(seating_updates, "interval", 0.0)  # the interval ends

    seated: dict[int, int] = {}

    def all_seated() -> bool:
        for index, phone in enumerate(phones):
            for event in phone.get_received():
                if event["name"] == "table:seated":
                    seated[index] = event["args"][0]["table"]
        return all(i in seated for i in range(1, 6))

    _wait_for(all_seated)
    # The last phone's note reaches a phone of the same table (its socket is in the room).
    table = seated[5]
    mate = next((phones[i] for i in range(1, 5) if seated[i] == table), None)
    note = phones[5].emit("note:post", {"id": str(uuid.uuid4()), "text": "Bonjour"}, callback=True)
    assert note["ok"] and note["note"]["table"] == table, note
    if mate is not None:
        assert any(e["name"] == "note:added" for e in mate.get_received())


def test_a_phone_moved_from_the_console_s_plain_form_posts_at_its_new_table(running, client):
    """The lean path takes the table from the phone's socket (set at its join); a move its socket
    never heard of (the console's plain form, a plan at a round's start) must not file the next
    note under the old table."""
    code, phone = running["code"], running["phone"]
    state = running["facilitator"].emit("state:get", {}, callback=True)["state"]
    awa = next(p["id"] for p in state["participants"] if p["name"] == "Awa")
    assert client.get(f"/w/{code}/facilitate?key={running['facilitator_key']}").status_code == 302
    moved = client.post(f"/w/{code}/participants/{awa}/move", data={"table": "2"})
    assert moved.status_code == 303, moved.get_data(as_text=True)[:300]
    ack = phone.emit("note:post", {"id": str(uuid.uuid4()), "text": "Après le déplacement"}, callback=True)
    assert ack["ok"], ack
    assert ack["note"]["table"] == 2


def test_what_a_transaction_older_than_a_change_reads_is_not_kept_as_the_new_copy(app, running):
    """A transaction that began before a change committed elsewhere reads the database as it was
    (SQLite's snapshot): the agenda it builds serves it, but is not cached as the current copy
    (a console once read a round's old end after extending it)."""
    from sqlalchemy import select

    from workshop.models import Workshop

    with app.app_context():
        workshop_id = db.session.execute(select(Workshop.id).where(Workshop.code == running["code"])).scalar_one()
        agenda_cache.invalidate()  # a change committed by another request after this one began
        built = agenda_cache.builds
        agenda_cache.facts(workshop_id)
        agenda_cache.facts(workshop_id)
        assert agenda_cache.builds == built + 2  # read again each time: nothing was kept
        db.session.rollback()  # a new transaction sees the change: its copy is kept
        agenda_cache.facts(workshop_id)
        agenda_cache.facts(workshop_id)
        assert agenda_cache.builds == built + 3


def test_joins_queued_together_share_one_commit_and_a_bad_one_fails_alone(app, create_workshop, connect):
    """Five phones join within the same few milliseconds: one transaction, one commit. A join
    refused after its participant was written (a full table) and one with a code nobody was given
    fail alone, each with its own error; the others are stored, acknowledged and in their rooms."""
    keys = create_workshop()
    code = keys["code"]
    facilitator = connect({"code": code, "role": "facilitator", "key": keys["facilitator_key"]})
    for _ in range(8):  # table 1 of the 2010 café holds 8
        assert connect({"code": code, "role": "participant", "table": 1}).ack["ok"]
    joins = [
        {"code": code, "role": "participant", "name": "Awa"},
        {"code": code, "role": "participant", "name": "Marc"},
        {"code": code, "role": "participant", "name": "Lina", "table": 1},  # refused after its INSERT
        {"code": "ZZZZ99", "role": "participant", "name": "Nulle part"},
        {"code": code, "role": "participant", "name": "Yves"},
    ]
    phones = [connect() for _ in joins]
    committer = group_commit_for(app)
    batches = committer.batches
    acks: list = [None] * len(joins)

    def join(index: int) -> None:
        acks[index] = phones[index].emit("join", joins[index], callback=True)

    threads = [threading.Thread(target=join, args=(i,)) for i in range(len(joins))]
    with committer._commit_lock:  # every join queues for the same batch
        for thread in threads:
            thread.start()
        _wait_for(lambda: len(committer._queue) == len(joins))
    for thread in threads:
        thread.join(timeout=30)

    assert committer.batches == batches + 1  # one transaction, one commit for the five
    for index in (0, 1, 4):
        assert acks[index]["ok"] and acks[index]["participant"], acks[index]
        assert acks[index]["state"]["me"]["name"] == joins[index]["name"]
    assert acks[2]["ok"] is False and acks[2]["error"]["code"] == "table_full", acks[2]
    assert acks[3]["ok"] is False and acks[3]["error"]["code"] == "unknown_workshop", acks[3]
    names = [p["name"] for p in facilitator.emit("state:get", {}, callback=True)["state"]["participants"]]
    assert sorted(n for n in names if n) == ["Awa", "Marc", "Yves"]  # Lina's participant rolled back alone
    # The phones that joined entered their rooms: the round's start reaches them, not the others.
    for phone in phones:
        phone.get_received()
    first = facilitator.ack["state"]["blocks"][0]["rounds"][0]["id"]
    assert facilitator.emit("round:start", {"round": first}, callback=True)["ok"]
    told = [any(e["name"] == "round:started" for e in phone.get_received()) for phone in phones]
    assert told == [True, True, False, False, True]


def test_a_join_is_acknowledged_after_its_commit(app, create_workshop, connect, monkeypatch):
    """The join's write goes through the group commit; its socket enters its rooms only once the
    batch has committed, and a failed commit acknowledges nobody (the phone joins again)."""
    from workshop.realtime.presence import presence

    code = create_workshop()["code"]
    phone = connect()
    committer = group_commit_for(app)
    jobs = committer.jobs
    real_commit = db.session.commit
    in_rooms_at_commit: list[bool] = []

    def failing_commit():
        in_rooms_at_commit.append(bool(presence.connections(code)))
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(db.session, "commit", failing_commit)
    failed = phone.emit("join", {"code": code, "role": "participant", "name": "Awa"}, callback=True)
    monkeypatch.setattr(db.session, "commit", real_commit)
    assert failed["ok"] is False and failed["error"]["code"] == "internal", failed
    assert in_rooms_at_commit == [False]  # nobody in the rooms before the commit
    assert presence.connections(code) == []  # nor after a failed one
    joined = phone.emit("join", {"code": code, "role": "participant", "name": "Awa"}, callback=True)
    assert joined["ok"], joined
    assert committer.jobs == jobs + 2  # both went through the group commit
    assert [c.name for _, c in presence.connections(code)] == ["Awa"]


def test_a_phone_gone_while_its_join_was_committed_is_not_counted(app, create_workshop, connect):
    """Its socket left during the group commit's wait: the join is stored, but the socket enters
    no room and is not counted as present (its seat would be kept for nobody)."""
    from workshop.realtime.presence import presence

    code = create_workshop()["code"]
    phone = connect()
    committer = group_commit_for(app)
    acks: list = []
    thread = threading.Thread(
        target=lambda: acks.append(phone.emit("join", {"code": code, "role": "participant"}, callback=True))
    )
    with committer._commit_lock:
        thread.start()
        _wait_for(lambda: len(committer._queue) == 1)
        phone.disconnect()
    thread.join(timeout=30)
    assert acks[0]["ok"], acks  # stored (the phone is told if it comes back with its token)
    assert presence.connections(code) == []


def test_a_lone_write_commits_at_once_and_close_writes_wait_for_company(app, monkeypatch):
    """The leader waits the window only when writes come close together: a note in a quiet room is
    committed at once, the second of two notes a millisecond apart waits for others to join it."""
    from workshop.realtime import group_commit

    committer = group_commit.GroupCommit(window_ms=2.0)
    waits: list[float] = []
    ticks = iter([100.0, 100.001, 100.5])  # a first write, one a millisecond later, one 499 ms later
    clock = SimpleNamespace(sleep=waits.append, monotonic=lambda: next(ticks))
    monkeypatch.setattr(group_commit, "time", clock)  # this module's clock only
    with app.app_context():
        assert committer.submit(lambda: "first") == "first"
        assert waits == []
        assert committer.submit(lambda: "close") == "close"
        assert waits == [0.002]
        assert committer.submit(lambda: "later") == "later"
        assert waits == [0.002]
    assert committer.batches == 3
