"""Issue 16, as a property: whatever the arrivals, departures, sittings elsewhere and round closes,
what each phone was told is the stored plan, and the printed plan is the stored plan.

The planner's search budget is cut down here: the property is about agreement, not quality.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workshop import clock
from workshop.config import PROJECT_ROOT
from workshop.domain import rotation
from workshop.domain.agenda import load_template
from workshop.domain.errors import WorkshopError

CAFE_2010 = PROJECT_ROOT / "sessions" / "cafe-conversation-2010.toml"

ROSTER = 6
POOL = 10  # 6 on the roster, 4 walk-ins

steps = st.lists(
    st.one_of(
        st.tuples(st.just("arrive"), st.integers(0, POOL - 1)),
        st.tuples(st.just("leave"), st.integers(0, POOL - 1)),
        st.tuples(st.just("sit"), st.integers(0, POOL - 1), st.integers(1, 5)),
        st.tuples(st.just("next"), st.just(0)),
    ),
    min_size=1,
    max_size=25,
)


@pytest.fixture
def small_search(monkeypatch):
    monkeypatch.setattr(rotation, "STEPS_PER_PERSON", 20)
    monkeypatch.setattr(rotation, "MIN_STEPS", 50)
    monkeypatch.setattr(rotation, "CHAINS", 1)
    monkeypatch.setattr(rotation, "EXTRA_CHAINS", 0)
    monkeypatch.setattr(rotation, "REPAIR_STEPS", 20)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=steps)
def test_phones_stored_plan_and_printed_plan_agree(app, small_search, script):
    from workshop.agenda.workshops import create_workshop
    from workshop.cafe import pages as cafe_pages
    from workshop.cafe import seating
    from workshop.cafe import writes as cafe
    from workshop.cafe.roster import import_roster
    from workshop.extensions import db
    from workshop.live import participants, rounds
    from workshop.live.snapshot import pending_move
    from workshop.models import Participant

    with app.app_context():
        now = clock.now()
        workshop, _keys = create_workshop(load_template(CAFE_2010), now)
        db.session.flush()
        block = workshop.blocks[0]
        workshop.current_block_id = block.id
        roster = "\n".join(f"Personne {i};sante" for i in range(ROSTER)).encode()
        import_roster(workshop, roster, now)
        people = {p.name: p for p in workshop.participants}
        pool: list[Participant | None] = [people[f"Personne {i}"] for i in range(ROSTER)] + [None] * (POOL - ROSTER)
        told: dict[int, dict[int, int]] = {}  # round id -> participant id -> table told
        gone: set[int] = set()

        def hear(broadcasts):
            for b in broadcasts:
                if b.event in ("table:move", "table:seated"):
                    pid = int(b.rooms[0].rsplit(":", 1)[-1])
                    told.setdefault(b.payload["round"], {})[pid] = b.payload["table"]

        for step in script:
            kind, index = step[0], step[1]
            person = pool[index]
            try:
                if kind == "arrive":
                    person = participants.join(workshop, now, token=person.token if person else None)
                    pool[index] = person
                    gone.discard(person.id)
                    hear(seating.follow(workshop, block, now))
                    move = pending_move(block, person)  # what the phone's join state says
                    if move is not None:
                        told.setdefault(move["round"], {})[person.id] = move["table"]
                elif kind == "leave" and person is not None:
                    hear(seating.depart(workshop, person, now))
                    gone.add(person.id)
                    # What the phone was told no longer holds: if the person comes back, the
                    # join tells them again (a round that closed meanwhile went on without them).
                    for said in told.values():
                        said.pop(person.id, None)
                elif kind == "sit" and person is not None and person.arrived_at is not None:
                    hear(cafe.arrive(workshop, person, step[2], now))
                    round_ = seating.round_being_seated(block)
                    if round_ is not None:
                        told.setdefault(round_.id, {})[person.id] = step[2]  # the phone said it
                elif kind == "next":
                    running = next((r for r in block.rounds if r.status == "running"), None)
                    if running is not None:
                        hear(rounds.close_round(workshop, running.id, now))
                    else:
                        pending = next((r for r in block.rounds if r.status == "pending"), None)
                        if pending is not None:
                            hear(rounds.start_round(workshop, pending.id, now))
            except WorkshopError:
                db.session.rollback()
                return  # a refusal (a full table) ends the story: nothing half-done to compare
            db.session.flush()
            printed = cafe_pages.rotation_plan(workshop, block)
            view = seating.plan_view(workshop, block)
            for k, round_ in enumerate(block.rounds):
                seats = seating.seats_of([round_])[round_.id]
                stored = {
                    pid: seating.seat_number(seat)
                    for pid, seat in seats.items()
                    if seating.seat_number(seat) is not None
                }
                on_paper = {
                    p.id: item.table.number
                    for item in printed[k].tables
                    for p in ([item.host] if item.host else []) + item.people
                }
                assert on_paper == stored, (step, round_.position)
                assert {pid: view.table_of(pid)[k] for pid in stored} == stored
                for pid, table in told.get(round_.id, {}).items():
                    if pid in gone:
                        continue
                    assert stored.get(pid) == table, (step, round_.position, pid)
        db.session.rollback()
