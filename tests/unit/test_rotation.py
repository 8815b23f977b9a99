"""The World Café rotation planner: its promises hold for any input, and it beats random seating."""

from __future__ import annotations

import functools
import itertools
import random
import statistics
from collections import Counter

import pytest

from workshop.domain import rotation
from workshop.domain.errors import WorkshopError
from workshop.domain.rotation import Person, TableSeat, plan_block, plan_round, random_seating

# The round table of the seed: 29 members from 7 sectors.
SECTORS = {  # sector: (members, short name for their ids)
    "signataires": (7, "sig"),
    "employabilité": (7, "emp"),
    "accueil et intégration": (3, "acc"),
    "éducation": (3, "edu"),
    "territoriaux": (4, "ter"),
    "employeurs": (4, "eur"),
    "santé": (1, "san"),
}
MEMBERS = [Person(f"{short}-{i}", sector) for sector, (count, short) in SECTORS.items() for i in range(count)]
SECTOR_OF = {p.id: p.sector for p in MEMBERS}
SEEDS = range(8)


def cafe_tables(seed: int) -> list[TableSeat]:
    """5 tables of 8 (one per objective), hosted by 5 members drawn with the seed."""
    hosts = random.Random(seed).sample([p.id for p in MEMBERS], 5)
    return [TableSeat(number, 8, host) for number, host in enumerate(hosts, start=1)]


@functools.cache
def cafe_block(seed: int, rounds: int = 3) -> tuple[dict, ...]:
    return tuple(plan_block(MEMBERS, cafe_tables(seed), rounds, seed))


def random_block(seed: int, rounds: int = 3) -> list[dict]:
    rng = random.Random(seed)
    return [random_seating(MEMBERS, cafe_tables(seed), rng) for _ in range(rounds)]


@pytest.fixture
def quick(monkeypatch):
    """A small search budget: the promises below hold whatever the budget."""
    monkeypatch.setattr(rotation, "STEPS_PER_PERSON", 100)
    monkeypatch.setattr(rotation, "MIN_STEPS", 100)


def random_case(seed: int):
    """Some people, some of them absent, tables of any capacity with or without a host, a history."""
    rng = random.Random(seed)
    everyone = [Person(f"p{i}", rng.choice(["a", "b", "c", None])) for i in range(rng.randint(0, 24))]
    present = [p for p in everyone if rng.random() < 0.85]
    hosts = rng.sample([p.id for p in everyone], min(len(everyone), rng.randint(0, 4)))
    tables = []
    for number in range(rng.randint(1, 6)):
        capacity = rng.choice([None, rng.randint(1, 9)])
        host = hosts[number] if number < len(hosts) else None
        tables.append(TableSeat(number + 10, capacity, host))
    seats = sum(t.capacity or len(present) for t in tables)
    present = present[:seats]
    history = [
        {t.number: tuple(rng.sample([p.id for p in everyone], min(3, len(everyone)))) for t in tables}
        for _ in range(rng.randint(0, 2))
    ]
    return present, tables, history


def assert_valid(seating: dict, present: list[Person], tables: list[TableSeat]) -> None:
    ids = {p.id for p in present}
    assert set(seating) == {t.number for t in tables}
    seated = Counter(i for people in seating.values() for i in people)
    assert set(seated) == ids, "everyone present is seated, no one else"
    assert all(n == 1 for n in seated.values()), "no one is seated twice"
    for table in tables:
        if table.capacity is not None:
            assert len(seating[table.number]) <= table.capacity
        if table.host in ids:
            assert seating[table.number][0] == table.host, "the host sits at their own table"


def sizes_even(seating: dict, tables: list[TableSeat]) -> bool:
    """No table could take one more person from a table two larger than itself."""
    room = {t.number: t.capacity for t in tables}
    for people_a in seating.values():
        for b, people_b in seating.items():
            if len(people_a) >= len(people_b) + 2 and (room[b] is None or len(people_b) < room[b]):
                return False
    return True


# -- promises that hold for every input -----------------------------------------------------------


@pytest.mark.parametrize("seed", range(40))
def test_every_plan_seats_everyone_present_once_hosts_at_home_within_capacity(quick, seed):
    present, tables, history = random_case(seed)
    planned = plan_block(present, tables, 2, seed, history)
    assert len(planned) == 2
    for seating in planned:
        assert_valid(seating, present, tables)
        assert sizes_even(seating, tables)
    assert_valid(plan_round(present, tables, history, seed), present, tables)
    assert_valid(random_seating(present, tables, random.Random(seed)), present, tables)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_cafe_block_keeps_hosts_home_and_moves_everyone_else(seed):
    tables = cafe_tables(seed)
    block = cafe_block(seed)
    for seating in block:
        assert_valid(seating, MEMBERS, tables)
        assert sorted(len(people) for people in seating.values()) == [5, 6, 6, 6, 6]
    for before, after in itertools.pairwise(block):
        for number, people in after.items():
            stayed = set(people[1:]) & set(before[number])
            assert not stayed, f"table {number}: {stayed} did not move"


def test_the_same_seed_gives_the_same_plan():
    tables = cafe_tables(3)
    assert plan_block(MEMBERS, tables, 2, seed=3) == plan_block(MEMBERS, tables, 2, seed=3)
    assert plan_round(MEMBERS, tables, seed=5) == plan_round(MEMBERS, tables, seed=5)


def test_absent_people_are_ignored_and_an_absent_host_frees_the_table(quick):
    tables = [TableSeat(1, 3, "ana"), TableSeat(2, 3, "bob")]
    history = [{1: ("ana", "carl", "dina"), 2: ("bob", "eve", "gone")}]
    present = [Person(i) for i in ("bob", "carl", "dina", "eve")]  # ana and "gone" are absent
    seating = plan_round(present, tables, history, seed=1)
    assert_valid(seating, present, tables)
    assert seating[2][0] == "bob"
    assert "ana" not in seating[1] and "gone" not in seating[2]
    # carl and dina met at table 1: they are split, and each meets someone new.
    assert rotation.repeat_encounters(history + [seating]) == 0
    # A table of the history that no longer exists still tells who met whom.
    history.append({99: ("carl", "eve")})
    assert_valid(plan_round(present, tables, history, seed=1), present, tables)


def test_people_who_met_are_split_in_the_next_round(quick):
    # 16 people at 4 tables of 4: the next round can mix all four groups at every table.
    people = [Person(f"p{i}") for i in range(16)]
    tables = [TableSeat(n, 4) for n in range(4)]
    first = {n: tuple(f"p{4 * n + k}" for k in range(4)) for n in range(4)}
    for seed in SEEDS:
        second = plan_round(people, tables, [first], seed)
        assert rotation.repeat_encounters([first, second]) == 0


def test_more_people_than_seats_is_refused():
    tables = [TableSeat(1, 8, "a"), TableSeat(2, 8)]
    people = [Person(f"p{i}") for i in range(17)]
    for plan in (lambda: plan_round(people, tables), lambda: plan_block(people, tables, 3)):
        with pytest.raises(WorkshopError) as refused:
            plan()
        assert refused.value.code == "tables_full"
        assert refused.value.params == {"people": 17, "seats": 16}
    with pytest.raises(WorkshopError):
        random_seating(people, tables, random.Random(0))
    # Exactly full is fine.
    assert_valid(plan_round(people[:16], tables), people[:16], tables)


def test_malformed_input_is_a_programming_error():
    with pytest.raises(ValueError):
        plan_round([Person("a"), Person("a")], [TableSeat(1)])
    with pytest.raises(ValueError):
        plan_round([Person("a")], [TableSeat(1), TableSeat(1)])
    with pytest.raises(ValueError):
        plan_round([Person("a")], [TableSeat(1, host="a"), TableSeat(2, host="a")])
    with pytest.raises(ValueError):
        plan_round([Person("a")], [TableSeat(1, capacity=0)])
    with pytest.raises(ValueError):
        plan_block([Person("a")], [TableSeat(1)], rounds=-1)


# -- edge cases -----------------------------------------------------------------------------------


def test_one_table_seats_everyone_there():
    people = [Person(f"p{i}", "s") for i in range(7)]
    planned = plan_block(people, [TableSeat(1, None, "p3")], 3)
    assert all(s == {1: ("p3", "p0", "p1", "p2", "p4", "p5", "p6")} for s in planned)


def test_more_tables_than_people_leaves_tables_empty_one_person_each():
    people = [Person(i) for i in "abc"]
    tables = [TableSeat(n) for n in range(5)]
    for seating in plan_block(people, tables, 3, seed=2):
        assert sorted(len(p) for p in seating.values()) == [0, 0, 1, 1, 1]
    assert plan_round([], tables) == {n: () for n in range(5)}


def test_everyone_a_host_stays_home():
    people = [Person(i) for i in "abcd"]
    tables = [TableSeat(n, 2, host) for n, host in enumerate("abcd")]
    assert plan_block(people, tables, 2) == [{0: ("a",), 1: ("b",), 2: ("c",), 3: ("d",)}] * 2


def test_no_sectors_at_all_still_rotates(quick):
    people = [Person(f"p{i}") for i in range(12)]
    tables = [TableSeat(n, 4) for n in range(3)]
    planned = plan_block(people, tables, 2, seed=4)
    for seating in planned:
        assert_valid(seating, people, tables)
    assert rotation.sector_mix(planned[0], {p.id: None for p in people}) == 1.0


def test_no_rounds_is_an_empty_plan():
    assert plan_block(MEMBERS, cafe_tables(0), 0) == []


def test_capacities_shape_the_sizes():
    people = [Person(f"p{i}") for i in range(10)]
    tables = [TableSeat(1, 2), TableSeat(2, None), TableSeat(3, 3)]
    seating = plan_round(people, tables)
    assert [len(seating[n]) for n in (1, 2, 3)] == [2, 5, 3]


# -- the measures -------------------------------------------------------------------------------


def test_repeat_encounters_counts_each_pair_once_per_round():
    rounds = [
        {1: ("a", "b", "c"), 2: ("d", "e")},
        {1: ("a", "b", "d"), 2: ("c", "e")},  # a-b again
        {1: ("a", "b", "c"), 2: ("d", "e")},  # a-b, a-c, b-c, d-e again
    ]
    assert rotation.repeat_encounters(rounds[:1]) == 0
    assert rotation.repeat_encounters(rounds[:2]) == 1
    assert rotation.repeat_encounters(rounds) == 5


def test_sector_mix_is_one_when_every_table_is_as_mixed_as_it_can_be():
    sectors = {"a": "x", "b": "y", "c": "x", "d": "y", "e": None}
    assert rotation.sector_mix({1: ("a", "b"), 2: ("c", "d", "e")}, sectors) == 1.0
    assert rotation.sector_mix({1: ("a", "c"), 2: ("b", "d", "e")}, sectors) == 0.5


def test_the_lower_bound_of_the_cafe():
    tables = cafe_tables(0)
    # Tables of 6 drawn from the 5 tables of the round before: one pair at least has met.
    assert rotation.repeat_lower_bound(MEMBERS, tables, 1) == 0
    assert rotation.repeat_lower_bound(MEMBERS, tables, 3) == 8
    assert rotation.repeat_lower_bound(MEMBERS, tables, 4) == 12
    big = [Person(f"p{i}") for i in range(200)]
    assert rotation.repeat_lower_bound(big, [TableSeat(n, 8) for n in range(25)], 4) == 0
    # Pairs: 6 people in 2 tables of 3 cannot meet new people for ever.
    six = [Person(f"p{i}") for i in range(6)]
    assert rotation.repeat_lower_bound(six, [TableSeat(1, 3), TableSeat(2, 3)], 4) == 4 * 6 - 15

    # Pinned: a host and two people fixed at her table meet again every round after the first.
    twelve = [Person(f"p{i}", table=2 if i in (3, 4) else None) for i in range(12)]
    hosted = [TableSeat(1, 4, host="p0"), TableSeat(2, 4, host="p1"), TableSeat(3, 4)]
    assert rotation.repeat_lower_bound(twelve, hosted, 3) == 3 * 2
    assert rotation.repeat_lower_bound(twelve, hosted, 1) == 0


def test_a_floor_no_plan_reaches_gets_a_bounded_search(monkeypatch):
    """Above the floor, the extra chains and repairs stop once their work is spent (a roster with
    people fixed at tables once kept a 40-person plan busy for 80 s of CPU); the plan stays valid."""
    counted = []
    chain = rotation._Block.chain

    def counting(self, steps):
        counted.append(steps)
        return chain(self, steps)

    monkeypatch.setattr(rotation._Block, "chain", counting)
    monkeypatch.setattr(rotation, "EXTRA_WORK", 1)
    people = [Person(f"p{i}", table=2 if i in (3, 4) else None) for i in range(12)]
    tables = [TableSeat(1, 4, host="p0"), TableSeat(2, 4, host="p1"), TableSeat(3, 4)]
    plan = plan_block(people, tables, 3, seed=1)
    assert len(counted) == rotation.CHAINS  # none of the EXTRA_CHAINS: the work was spent at once
    for seating in plan:
        assert seating[2][:3] == ("p1", "p3", "p4")
        assert sorted(i for ids in seating.values() for i in ids) == sorted(p.id for p in people)


# -- better than random -------------------------------------------------------------------------


def test_the_cafe_block_meets_far_fewer_people_again_than_random_seating():
    planner = [rotation.repeat_encounters(cafe_block(seed)) for seed in SEEDS]
    baseline = [rotation.repeat_encounters(random_block(seed)) for seed in SEEDS]
    floor = rotation.repeat_lower_bound(MEMBERS, cafe_tables(0), 3)
    assert all(floor <= p < b for p, b in zip(planner, baseline)), (planner, baseline)
    assert statistics.mean(planner) <= statistics.mean(baseline) / 3, (planner, baseline)


def test_the_cafe_block_mixes_sectors_better_than_random_seating():
    def mix(block):
        return statistics.mean(rotation.sector_mix(s, SECTOR_OF) for s in block)

    planner = [mix(cafe_block(seed)) for seed in SEEDS]
    baseline = [mix(random_block(seed)) for seed in SEEDS]
    assert all(p > b for p, b in zip(planner, baseline)), (planner, baseline)
    assert statistics.mean(planner) >= statistics.mean(baseline) + 0.05


# --- issue 16: people fixed at a table; the classic designs


def test_people_fixed_at_a_table_stay_there_behind_its_host(quick):
    people = [Person(f"p{i}", table=2 if i in (3, 4) else None) for i in range(12)]
    tables = [TableSeat(1, 4, host="p0"), TableSeat(2, 4, host="p1"), TableSeat(3, 4)]
    for seating in plan_block(people, tables, 3, seed=1):
        assert seating[2][:3] == ("p1", "p3", "p4")
        assert seating[1][0] == "p0"
        assert sorted(i for ids in seating.values() for i in ids) == sorted(p.id for p in people)


def test_more_people_fixed_at_a_table_than_it_seats_is_refused():
    people = [Person(f"p{i}", table=1) for i in range(3)]
    with pytest.raises(WorkshopError) as refused:
        plan_block(people, [TableSeat(1, 2), TableSeat(2, 4)], 2)
    assert refused.value.code == "table_full"
    with pytest.raises(ValueError):
        plan_block([Person("a", table=9)], [TableSeat(1)], 1)


def test_kirkmans_fifteen_schoolgirls_walk_seven_days_without_meeting_twice():
    """15 people at 5 tables of 3 for 7 rounds: every pair meets exactly once (the planner
    before issue 16 left up to 6 repeats here)."""
    people = [Person(f"g{i}") for i in range(15)]
    plan = plan_block(people, [TableSeat(n, 3) for n in range(1, 6)], 7, seed=0)
    assert rotation.repeat_encounters(plan) == 0
    pairs = Counter(frozenset((a, b)) for s in plan for ids in s.values() for a in ids for b in ids if a < b)
    assert len(pairs) == 105 and set(pairs.values()) == {1}
