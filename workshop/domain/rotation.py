"""World Café rotation: who sits at which table in the next round.

Between rounds the hosts stay and everyone else moves. The planner seats the people present so
that, in this order of importance, they meet people they have not sat with yet in the block,
they leave the table of their previous round, each table mixes sectors, and they discover tables
(themes) they have not visited. Table sizes are a rule, not a preference: they differ by at
most one wherever the capacities allow it (a table of 3 beside a table of 8 is no conversation).

The API::

    Person(id, sector=None, table=None)         # a participant present; sector is optional;
                                                # table: sits there every round (the roster says so)
    TableSeat(number, capacity=None, host=None) # capacity None = unlimited; the host never moves
    Seating = dict[int, tuple[str, ...]]        # table number -> ids, host first, then in
                                                # the order of ``people``

    plan_round(people, tables, history=(), seed=0) -> Seating
        The next round. ``history`` is the block's earlier rounds, oldest first. Every person
        present is seated exactly once; ids in the history but not present are ignored; a host
        who is absent leaves their table unhosted for the round. Every table is in the result,
        possibly empty (more tables than people). A person with a fixed ``table`` sits there every
        round, after the host, like a host who does not host. One seed, one seating: the search is
        seeded with ``random.Random(seed)`` and counts steps, not seconds.
    plan_block(people, tables, rounds, seed=0, history=()) -> list[Seating]
        ``rounds`` rounds planned together, for the facilitator to print before the block: a
        seating of round 2 is judged by what it leaves possible in rounds 3 and 4 too, which
        reaches far fewer repeats than planning one round at a time. When someone leaves or
        arrives mid-block, plan the rest again with the rounds held so far as ``history``.
    random_seating(people, tables, rng) -> Seating
        The baseline: the same table sizes and hosts, everyone else shuffled.
    repeat_encounters(history) -> int
        Pairs who sit together again: for each round, the pairs seated at one table who had
        already sat together in an earlier round (each pair once per round), summed.
    sector_mix(seating, sectors_by_id) -> float
        Mean over the tables of (distinct sectors) / min(people with a sector, sectors present).
        1.0 is perfect mixing; people without a sector are left out.
    repeat_lower_bound(people, tables, rounds) -> int
        A floor no planner can beat for a whole block with balanced tables (see its docstring).

Refusals: more people than seats raises ``WorkshopError("tables_full", people=..., seats=...)``.
Malformed input (two people with one id, two tables with one number, one host at two tables,
a capacity under 1) raises ``ValueError``: it is a programming error, not the facilitator's.

The method: table sizes are fixed first (fill the smallest table that has room: the most even
sizes the capacities allow, the same in every round). A greedy pass seats each round, hosts
first, then the people who know the most others, each where they add the least cost. Simulated
annealing then swaps two non-hosts of one round between tables (or moves one to a table one
smaller, which keeps the sizes even), first under gentle weights where the flaws weigh alike
(under the strict ones the pattern of who met whom freezes before the sectors get mixed), then
under the strict weights; three such chains, the best kept, and a last descent takes every
improving swap left. A swap's cost change is a few lookups in per-person tallies of
acquaintances at each table. About 0.2 s a round for the 29 members, 0.5 s for 200 people at
25 tables (docs/benchmarks.md).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from workshop.domain.errors import WorkshopError

Seating = dict[int, tuple[str, ...]]


@dataclass(frozen=True)
class Weights:
    """What each flaw of a seating costs the search."""

    repeat: int  # two people who already sat together in the block sit together again
    again: int  # ...for each further round they already shared (prefer pairs met once)
    stay: int  # a non-host stays at the table of their previous (or next) round
    sector: int  # two people of one sector at one table
    revisit: int  # a non-host comes back to a table visited in another round


# The method's order: meeting new people outweighs everything, then moving, then sectors.
STRICT = Weights(repeat=1000, again=20, stay=100, sector=10, revisit=1)
# Under the strict weights the repeat structure freezes before the sectors get mixed; the
# search first explores with flaws of comparable weight, then settles under the strict ones.
GENTLE = Weights(repeat=30, again=2, stay=20, sector=10, revisit=1)
# The repair looks at meetings only: moving and mixing are settled after (see ``repair``).
MEETINGS = Weights(repeat=30, again=2, stay=0, sector=0, revisit=0)

# Search budget per round planned: annealing steps per movable person, within bounds.
STEPS_PER_PERSON = 4_000
MIN_STEPS = 2_000
MAX_STEPS = 100_000
SETTLE = 0.1  # share of the steps spent under the strict weights
CHAINS = 3
EXTRA_CHAINS = 6  # more chains while a plan made ahead leaves more repeats than the floor
REPAIR_STEPS = 4_000  # min-conflicts steps after the chains, while repeats exceed the floor...
REPAIR_MAX_PEOPLE = 60  # ...for up to this many people who move (each step scans them all)
REPAIR_STALL = 200  # steps without a better plan before a shake
# The work allowed above the floor, in swaps weighed (the repairs' scans, the extra chains' steps):
# about 2 s of CPU. A floor no plan can reach (people fixed at a table, uneven tables) must not
# keep the server busy for a minute; a design that exists is found well within it.
EXTRA_WORK = 600_000
HOT, COLD = 20.0, 1.0  # annealing temperatures, in cost units


@dataclass(frozen=True)
class Person:
    id: str
    sector: str | None = None
    table: int | None = None  # a fixed table: never moved


@dataclass(frozen=True)
class TableSeat:
    number: int
    capacity: int | None = None
    host: str | None = None


def plan_round(
    people: Iterable[Person],
    tables: Iterable[TableSeat],
    history: Sequence[Mapping[int, Sequence[str]]] = (),
    seed: int = 0,
) -> Seating:
    return plan_block(people, tables, 1, seed, history)[0]


def plan_block(
    people: Iterable[Person],
    tables: Iterable[TableSeat],
    rounds: int,
    seed: int = 0,
    history: Sequence[Mapping[int, Sequence[str]]] = (),
) -> list[Seating]:
    if rounds < 0:
        raise ValueError("rounds must be 0 or more")
    people, tables = list(people), list(tables)
    _check(people, tables)
    block = _Block(people, tables, history, rounds, random.Random(seed))
    # Planned ahead (no history), the floor is known: a plan above it earns a few more chains.
    block.search(repeat_lower_bound(people, tables, rounds) if not history else None)
    return block.seatings()


def random_seating(people: Iterable[Person], tables: Iterable[TableSeat], rng: random.Random) -> Seating:
    people, tables = list(people), list(tables)
    _check(people, tables)
    pinned = _pinned(people, tables)
    sizes = _table_sizes(tables, [len(ids) for ids in pinned], len(people), rng)
    fixed = {i for ids in pinned for i in ids}
    guests = [p.id for p in people if p.id not in fixed]
    rng.shuffle(guests)
    seating: Seating = {}
    for table, ids, size in zip(tables, pinned, sizes):
        seated = list(ids)
        take = size - len(seated)
        seated += guests[:take]
        del guests[:take]
        seating[table.number] = tuple(seated)
    return seating


def repeat_encounters(history: Sequence[Mapping[int, Sequence[str]]]) -> int:
    met: set[frozenset[str]] = set()
    repeats = 0
    for seating in history:
        pairs = set(_pairs(seating))
        repeats += len(pairs & met)
        met |= pairs
    return repeats


def sector_mix(seating: Mapping[int, Sequence[str]], sectors_by_id: Mapping[str, str | None]) -> float:
    tables = [[sectors_by_id[i] for i in ids if sectors_by_id.get(i)] for ids in seating.values()]
    present = {s for sectors in tables for s in sectors}
    scores = [len(set(s)) / min(len(s), len(present)) for s in tables if s]
    return sum(scores) / len(scores) if scores else 1.0


def repeat_lower_bound(people: Iterable[Person], tables: Iterable[TableSeat], rounds: int) -> int:
    """Fewest repeat encounters any plan of ``rounds`` rounds can have, tables kept even.

    The larger of two floors, for the same people present every round:
    - groups: each round after the first, the previous round split everyone into G groups
      (its non-empty tables), and two members of one group sitting together again is a repeat.
      A table of s people drawn from G groups holds at least the pairs of the most even spread,
      r*C(q+1, 2) + (G-r)*C(q, 2) with q, r = divmod(s, G).
    - pairs: the block seats P pairs together per round and there are only C(n, 2) distinct
      pairs, so at least rounds*P - C(n, 2) of them are repeats.
    - pinned: the k people a table keeps every round (its host, the people fixed there) meet
      again each round after the first: C(k, 2) repeats per table and round.
    Both are 0 when the tables are no larger than their number and the rounds few: then the
    floor is 0 and every repeat the planner leaves is one too many.
    """
    people, tables = list(people), list(tables)
    _check(people, tables)
    pinned = [len(ids) for ids in _pinned(people, tables)]
    sizes = [s for s in _table_sizes(tables, pinned, len(people), random.Random(0)) if s]
    groups = len(sizes)
    per_round = 0
    for size in sizes:
        q, r = divmod(size, groups)
        per_round += r * math.comb(q + 1, 2) + (groups - r) * math.comb(q, 2)
    by_groups = per_round * max(rounds - 1, 0)
    by_pairs = rounds * sum(math.comb(s, 2) for s in sizes) - math.comb(len(people), 2)
    by_pinned = sum(math.comb(k, 2) for k in pinned) * max(rounds - 1, 0)
    return max(by_groups, by_pairs, by_pinned, 0)


def _pairs(seating: Mapping[int, Sequence[str]]):
    for ids in seating.values():
        ids = list(ids)
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                yield frozenset((a, b))


def _check(people: list[Person], tables: list[TableSeat]) -> None:
    ids = [p.id for p in people]
    if len(set(ids)) != len(ids):
        raise ValueError("two people share an id")
    numbers = [t.number for t in tables]
    if len(set(numbers)) != len(numbers):
        raise ValueError("two tables share a number")
    hosts = [t.host for t in tables if t.host is not None]
    if len(set(hosts)) != len(hosts):
        raise ValueError("one person hosts two tables")
    if any(t.capacity is not None and t.capacity < 1 for t in tables):
        raise ValueError("a table seats at least one person")
    if any(p.table is not None and p.table not in set(numbers) for p in people):
        raise ValueError("a person is fixed at a table that does not exist")


def _pinned(people: list[Person], tables: list[TableSeat]) -> list[list[str]]:
    """Per table, who never moves: the host if present, then the people fixed there."""
    present = {p.id for p in people}
    hosts = {t.host for t in tables if t.host in present}
    return [
        ([t.host] if t.host in present else []) + [p.id for p in people if p.table == t.number and p.id not in hosts]
        for t in tables
    ]


def _table_sizes(tables: list[TableSeat], pinned: list[int], count: int, rng: random.Random) -> list[int]:
    """How many sit at each table: fill the smallest table with room, ties drawn at random.

    ``pinned`` counts who is already fixed at each table (its host, people who never move)."""
    caps = [math.inf if t.capacity is None else t.capacity for t in tables]
    seats = sum(caps)
    if count > seats:
        raise WorkshopError("tables_full", people=count, seats=seats)
    for table, cap, fixed in zip(tables, caps, pinned):
        if fixed > cap:
            raise WorkshopError("table_full", table=table.number)
    sizes = list(pinned)
    order = list(range(len(tables)))
    rng.shuffle(order)
    for _ in range(count - sum(sizes)):
        table = min((t for t in order if sizes[t] < caps[t]), key=sizes.__getitem__)
        sizes[table] += 1
    return sizes


class _Block:
    """The search state: ``rounds`` rounds planned together after a frozen history.

    People and tables are indices. ``tab[r][p]`` is p's table in round r (-1: not seated);
    ``met[p][q]`` counts the rounds p and q share, history included; ``known[r][p][t]`` is what
    p would pay at table t in round r for meeting again the people seated there, which makes the
    cost of a swap a handful of lookups; ``same[r][t][s]`` counts sector s at table t.
    """

    def __init__(self, people: list[Person], tables: list[TableSeat], history, rounds: int, rng: random.Random):
        self.rng, self.rounds = rng, rounds
        self.people, self.tables = people, tables
        index = {p.id: i for i, p in enumerate(people)}
        n, t_count = len(people), len(tables)
        # Who never moves, per table (the host first); "is_host" covers them all: they pay no move.
        self.pinned_at = [[index[i] for i in ids] for ids in _pinned(people, tables)]
        self.is_host = [False] * n
        for ids in self.pinned_at:
            for h in ids:
                self.is_host[h] = True
        self.movable = [p for p in range(n) if not self.is_host[p]]
        self.caps = [math.inf if t.capacity is None else t.capacity for t in tables]
        self.sizes = _table_sizes(tables, [len(ids) for ids in self.pinned_at], n, rng)
        sector_index: dict[str, int] = {}
        self.sector = [sector_index.setdefault(p.sector, len(sector_index)) if p.sector else -1 for p in people]

        # The frozen history: who met whom, which tables each person visited, where they sat last.
        table_index = {t.number: i for i, t in enumerate(tables)}
        self.past_met: list[dict[int, int]] = [{} for _ in range(n)]
        self.past_visits = [[0] * t_count for _ in range(n)]
        self.last = [-1] * n
        for seating in history:
            for number, ids in seating.items():
                here = [index[i] for i in ids if i in index]
                where = table_index.get(number, -1)
                for k, a in enumerate(here):
                    self.last[a] = where
                    if where >= 0:
                        self.past_visits[a][where] += 1
                    for b in here[k + 1 :]:
                        self.past_met[a][b] = self.past_met[a].get(b, 0) + 1
                        self.past_met[b][a] = self.past_met[b].get(a, 0) + 1
        self.most_shared = max((k for row in self.past_met for k in row.values()), default=0) + rounds
        self._weigh(STRICT)
        self.tab = [[-1] * n for _ in range(rounds)]
        self._clear()

    def _clear(self) -> None:
        """Everyone stands up: only the history remains."""
        n, t_count, sectors = len(self.people), len(self.tables), max(self.sector, default=-1) + 1
        self.met = [dict(row) for row in self.past_met]
        self.visits = [row[:] for row in self.past_visits]
        for row in self.tab:
            row[:] = [-1] * n
        self.known = [[[0] * t_count for _ in range(n)] for _ in range(self.rounds)]
        self.members: list[list[list[int]]] = [[[] for _ in range(t_count)] for _ in range(self.rounds)]
        self.guests: list[list[list[int]]] = [[[] for _ in range(t_count)] for _ in range(self.rounds)]
        self.slot = [[-1] * n for _ in range(self.rounds)]
        self.same = [[[0] * sectors for _ in range(t_count)] for _ in range(self.rounds)]

    def _seat_all(self, tab: list[list[int]], weights: Weights) -> None:
        """Seat everyone as ``tab`` says, the costs counted with ``weights``."""
        self._weigh(weights)
        self._clear()
        for r, row in enumerate(tab):
            for p, t in enumerate(row):
                self._join(r, p, t)

    # -- the two primitives every change is made of ------------------------------------------

    def _weigh(self, weights: Weights) -> None:
        self.weights = weights
        # extra[k]: the cost of one more meeting for a pair that already shares k rounds.
        self.extra = [0] + [weights.repeat + weights.again * k for k in range(self.most_shared + 1)]

    def _reprice(self, r: int, p: int, q: int, before: int, after: int) -> None:
        """p and q now share ``after`` rounds, not ``before``: their meetings elsewhere cost more or less."""
        extra = self.extra
        for other, tab in enumerate(self.tab):
            if other == r:
                continue
            tp, tq = tab[p], tab[q]
            shared = 1 if tp == tq >= 0 else 0
            change = extra[after - shared] - extra[before - shared]
            if change:
                known = self.known[other]
                if tq >= 0:
                    known[p][tq] += change
                if tp >= 0:
                    known[q][tp] += change

    def _join(self, r: int, p: int, t: int) -> None:
        met, tab, known, extra = self.met[p], self.tab[r], self.known[r], self.extra
        here = self.members[r][t]
        for q in here:
            before = met.get(q, 0)
            met[q] = self.met[q][p] = before + 1
            if self.rounds > 1:
                self._reprice(r, p, q, before, before + 1)
        for q, shared in met.items():
            # What q pays for p at table t: their meetings in the other rounds, not this one.
            if tab[q] == t:
                shared -= 1
            if shared:
                known[q][t] += extra[shared]
        here.append(p)
        tab[p] = t
        self.visits[p][t] += 1
        if self.sector[p] >= 0:
            self.same[r][t][self.sector[p]] += 1
        if not self.is_host[p]:
            self.slot[r][p] = len(self.guests[r][t])
            self.guests[r][t].append(p)

    def _leave(self, r: int, p: int) -> int:
        tab, known, met, extra = self.tab[r], self.known[r], self.met[p], self.extra
        t = tab[p]
        here = self.members[r][t]
        here.remove(p)
        tab[p] = -1
        for q, shared in met.items():
            if tab[q] == t:
                shared -= 1
            if shared:
                known[q][t] -= extra[shared]
        for q in here:
            before = met[q]
            if before == 1:  # forget pairs that no longer meet: these loops stay short
                del met[q], self.met[q][p]
            else:
                met[q] = self.met[q][p] = before - 1
            if self.rounds > 1:
                self._reprice(r, p, q, before, before - 1)
        self.visits[p][t] -= 1
        if self.sector[p] >= 0:
            self.same[r][t][self.sector[p]] -= 1
        if not self.is_host[p]:
            guests, i = self.guests[r][t], self.slot[r][p]
            last = guests.pop()
            if last != p:
                guests[i] = last
                self.slot[r][last] = i
        return t

    def _swap(self, r: int, a: int, b: int) -> None:
        ta, tb = self._leave(r, a), self._leave(r, b)
        self._join(r, a, tb)
        self._join(r, b, ta)

    def _move(self, r: int, a: int, t: int) -> None:
        self._leave(r, a)
        self._join(r, a, t)

    # -- costs -------------------------------------------------------------------------------

    def _place_cost(self, r: int, p: int, t: int) -> int:
        """What p pays for stays and revisits at table t in round r (nothing for a host)."""
        if self.is_host[p]:
            return 0
        visits = self.visits[p][t] - (self.tab[r][p] == t)
        before = self.last[p] if r == 0 else self.tab[r - 1][p]
        after = self.tab[r + 1][p] if r + 1 < self.rounds else -1
        return self.weights.revisit * visits + self.weights.stay * ((before == t) + (after == t))

    def _add_cost(self, r: int, p: int, t: int) -> int:
        s = self.sector[p]
        sector = self.weights.sector * self.same[r][t][s] if s >= 0 else 0
        return self.known[r][p][t] + self._place_cost(r, p, t) + sector

    def _swap_delta(self, r: int, a: int, b: int) -> int:
        ta, tb = self.tab[r][a], self.tab[r][b]
        ka, kb = self.known[r][a], self.known[r][b]
        delta = ka[tb] + kb[ta] - ka[ta] - kb[tb] - 2 * self.extra[self.met[a].get(b, 0)]
        delta += self._place_cost(r, a, tb) - self._place_cost(r, a, ta)
        delta += self._place_cost(r, b, ta) - self._place_cost(r, b, tb)
        sa, sb = self.sector[a], self.sector[b]
        if sa != sb:
            same_a, same_b = self.same[r][ta], self.same[r][tb]
            if sa >= 0:
                delta += self.weights.sector * (same_b[sa] - same_a[sa] + 1)
            if sb >= 0:
                delta += self.weights.sector * (same_a[sb] - same_b[sb] + 1)
        return delta

    def _move_delta(self, r: int, a: int, t: int) -> int:
        ta, ka, sa = self.tab[r][a], self.known[r][a], self.sector[a]
        delta = ka[t] - ka[ta] + self._place_cost(r, a, t) - self._place_cost(r, a, ta)
        if sa >= 0:
            delta += self.weights.sector * (self.same[r][t][sa] - self.same[r][ta][sa] + 1)
        return delta

    def _can_move(self, r: int, ta: int, tb: int) -> bool:
        # Only to a table one smaller: the sizes stay as even as they were.
        size = self.members[r]
        return len(size[tb]) == len(size[ta]) - 1 and len(size[tb]) < self.caps[tb]

    def cost(self) -> int:
        """The whole cost from scratch (the search only adds deltas to it)."""
        w, total = self.weights, 0
        for p, row in enumerate(self.met):
            for q, shared in row.items():
                if q > p:
                    total += sum(self.extra[1:shared])
        for p in self.movable:
            before = self.last[p]
            for r in range(self.rounds):
                total += w.stay * (self.tab[r][p] == before)
                before = self.tab[r][p]
            total += w.revisit * sum(v * (v - 1) // 2 for v in self.visits[p])
        for tables in self.same:
            for counts in tables:
                total += w.sector * sum(c * (c - 1) // 2 for c in counts)
        return total

    # -- search ------------------------------------------------------------------------------

    def search(self, floor: int | None = None) -> None:
        """A few independent chains (greedy, gentle then strict annealing); the best one, polished.

        With ``floor`` (the fewest repeats possible), while the best plan leaves more, up to
        EXTRA_CHAINS more chains are run, each polished: a resolvable design such as Kirkman's
        schoolgirls is found by some chains and missed by others."""
        steps = self.rounds * min(MAX_STEPS, max(MIN_STEPS, STEPS_PER_PERSON * len(self.movable)))
        chain = steps // CHAINS
        best, best_tab = math.inf, [row[:] for row in self.tab]
        for _ in range(CHAINS):
            self.chain(chain)
            cost = self.cost()
            if cost < best:
                best, best_tab = cost, [row[:] for row in self.tab]
        self._seat_all(best_tab, STRICT)
        self.descend()
        if floor is None:
            return
        self.work = 0
        if len(self.movable) <= REPAIR_MAX_PEOPLE:
            self.repair(floor, REPAIR_STEPS)
        best = (self.repeats(), self.cost())
        best_tab = [row[:] for row in self.tab]
        for _ in range(EXTRA_CHAINS):
            if best[0] <= floor or self.work >= EXTRA_WORK:
                break
            self.chain(chain)
            self.work += chain
            self._seat_all([row[:] for row in self.tab], STRICT)
            self.descend()
            if len(self.movable) <= REPAIR_MAX_PEOPLE:
                self.repair(floor, REPAIR_STEPS)
            found = (self.repeats(), self.cost())
            if found < best:
                best, best_tab = found, [row[:] for row in self.tab]
        self._seat_all(best_tab, STRICT)

    def repair(self, floor: int, steps: int) -> None:
        """Tabu search on the meetings alone: each step takes the best swap of someone who sits
        again with a person already met, even uphill; a person may not go back to the table they
        just left in that round for a while; long stalls are shaken by a few random swaps.
        Plateaus, where annealing wanders, are where designs like Kirkman's hide."""
        self._seat_all([row[:] for row in self.tab], MEETINGS)
        rng, movable = self.rng, self.movable
        best = (self.repeats(), self.cost())
        best_tab = [row[:] for row in self.tab]
        tabu: dict[tuple[int, int, int], int] = {}  # (round, person, table) -> free again at step
        stalled = 0
        for step in range(steps):
            if best[0] <= floor or self.work >= EXTRA_WORK:
                break
            conflicts = [
                (r, p)
                for r in range(self.rounds)
                for p in movable
                if any(q != p and self.met[p].get(q, 0) > 1 for q in self.members[r][self.tab[r][p]])
            ]
            if not conflicts:
                break
            self.work += len(conflicts) * len(movable)
            current = self.repeats()
            moves = []
            for r, a in conflicts:
                ta = self.tab[r][a]
                for b in movable:
                    tb = self.tab[r][b]
                    if tb == ta:
                        continue
                    delta = self._swap_delta(r, a, b)
                    allowed = tabu.get((r, a, tb), -1) < step and tabu.get((r, b, ta), -1) < step
                    if allowed or (delta < 0 and current + delta // MEETINGS.repeat < best[0]):
                        moves.append((delta, rng.random(), r, a, b))
            if not moves:
                continue
            _delta, _tie, r, a, b = min(moves)
            ta, tb = self.tab[r][a], self.tab[r][b]
            self._swap(r, a, b)
            tenure = 3 + int(rng.random() * 8)
            tabu[(r, a, ta)] = tabu[(r, b, tb)] = step + tenure
            found = (self.repeats(), self.cost())
            if found < best:
                best, best_tab, stalled = found, [row[:] for row in self.tab], 0
            else:
                stalled += 1
            if stalled > REPAIR_STALL:
                for _ in range(3):
                    r = int(rng.random() * self.rounds)
                    a, b = rng.sample(movable, 2)
                    if self.tab[r][a] != self.tab[r][b]:
                        self._swap(r, a, b)
                stalled = 0
        self._seat_all(best_tab, STRICT)
        self.descend()  # moving and mixing, now that the meetings are settled

    def chain(self, steps: int) -> None:
        self.greedy()
        self.anneal(steps - int(steps * SETTLE), GENTLE, HOT)
        self.anneal(int(steps * SETTLE), STRICT, 2 * HOT)

    def repeats(self) -> int:
        """Repeat encounters of the plan, history included (what ``repeat_encounters`` counts
        when each pair meets at most once per round)."""
        return sum(shared - 1 for p, row in enumerate(self.met) for q, shared in row.items() if q > p and shared > 1)

    def greedy(self) -> None:
        """Round after round: hosts, then the people who know the most others, each where they add least."""
        self._weigh(STRICT)
        self._clear()
        tables = list(range(len(self.tables)))
        for r in range(self.rounds):
            for t, ids in enumerate(self.pinned_at):
                for h in ids:
                    self._join(r, h, t)
            guests = self.movable[:]
            self.rng.shuffle(guests)
            guests.sort(key=lambda p: -len(self.met[p]))
            size = self.members[r]
            for p in guests:
                self.rng.shuffle(tables)
                free = (t for t in tables if len(size[t]) < self.sizes[t])
                self._join(r, p, min(free, key=lambda t: self._add_cost(r, p, t)))

    def anneal(self, steps: int, weights: Weights, hot: float) -> None:
        """Simulated annealing from ``hot`` down to COLD; keeps the best seating seen."""
        self._seat_all([row[:] for row in self.tab], weights)
        movable, t_count, rng = self.movable, len(self.tables), self.rng
        if not movable or t_count < 2 or not self.rounds or steps < 1:
            return
        cooling = (COLD / hot) ** (1 / steps)
        temperature = hot
        current = best = self.cost()
        best_tab = [row[:] for row in self.tab]
        for _ in range(steps):
            temperature *= cooling
            r = int(rng.random() * self.rounds)
            a = movable[int(rng.random() * len(movable))]
            ta = self.tab[r][a]
            tb = int(rng.random() * (t_count - 1))
            if tb >= ta:
                tb += 1
            others = self.guests[r][tb]
            if self._can_move(r, ta, tb) and (not others or rng.random() < 0.5):
                b = -1
                delta = self._move_delta(r, a, tb)
            elif others:
                b = others[int(rng.random() * len(others))]
                delta = self._swap_delta(r, a, b)
            else:
                continue
            if delta <= 0 or rng.random() < math.exp(-delta / temperature):
                if b < 0:
                    self._move(r, a, tb)
                else:
                    self._swap(r, a, b)
                current += delta
                if current < best:
                    best, best_tab = current, [row[:] for row in self.tab]
        self._seat_all(best_tab, weights)

    def descend(self) -> None:
        """Under the strict weights, take improving swaps and moves until none is left."""
        self._seat_all([row[:] for row in self.tab], STRICT)
        movable, t_count = self.movable, len(self.tables)
        improved = True
        while improved:
            improved = False
            for r in range(self.rounds):
                tab = self.tab[r]
                for i, a in enumerate(movable):
                    for tb in range(t_count):
                        if tb != tab[a] and self._can_move(r, tab[a], tb) and self._move_delta(r, a, tb) < 0:
                            self._move(r, a, tb)
                            improved = True
                    for b in movable[i + 1 :]:
                        if tab[a] != tab[b] and self._swap_delta(r, a, b) < 0:
                            self._swap(r, a, b)
                            improved = True

    def seatings(self) -> list[Seating]:
        planned = []
        for row in self.tab:
            seated: list[list[str]] = [[] for _ in self.tables]
            for t, ids in enumerate(self.pinned_at):
                seated[t] += [self.people[h].id for h in ids]
            for p in self.movable:
                seated[row[p]].append(self.people[p].id)
            planned.append({table.number: tuple(ids) for table, ids in zip(self.tables, seated)})
        return planned
