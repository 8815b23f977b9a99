"""Benchmark of the World Café rotation planner against random seating.

    .venv/bin/python bench/rotation.py [--seeds 20]

For each scenario and each seed: hosts drawn at random among the people, then
- plan_block: the whole block planned at once (what the facilitator prints);
- plan_round: the block planned round after round, each round seeing the ones before (what
  happens live when people come and go);
- random: random_seating every round, same hosts and table sizes (the baseline, same run).
Printed: repeat encounters (mean and worst over the seeds), the floor no plan can beat
(rotation.repeat_lower_bound), sector mix (mean over rounds and seeds) with the best a round can
reach (mix_ceiling), and planning time per round. The output is a Markdown table, to paste into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workshop.domain import rotation
from workshop.domain.rotation import Person, TableSeat

# The round table of the seed: 29 members from 7 sectors.
ROUND_TABLE = {
    "signataires": 7,
    "employabilité": 7,
    "accueil et intégration": 3,
    "éducation": 3,
    "territoriaux": 4,
    "employeurs": 4,
    "santé": 1,
}
SHORT = {
    "signataires": "sig",
    "employabilité": "emp",
    "accueil et intégration": "acc",
    "éducation": "edu",
    "territoriaux": "ter",
    "employeurs": "eur",
    "santé": "san",
}


def people_in_proportion(count: int) -> list[Person]:
    """``count`` people in the round table's sector proportions (largest remainders)."""
    total = sum(ROUND_TABLE.values())
    shares = {s: count * n / total for s, n in ROUND_TABLE.items()}
    seats = {s: int(share) for s, share in shares.items()}
    for s in sorted(shares, key=lambda s: shares[s] - seats[s], reverse=True)[: count - sum(seats.values())]:
        seats[s] += 1
    return [Person(f"{SHORT[s]}-{i}", s) for s, n in seats.items() for i in range(n)]


@dataclass(frozen=True)
class Scenario:
    name: str
    people: list[Person]
    tables: int
    capacity: int
    rounds: int
    hosts: bool = True  # the classic designs have none: everyone moves

    def tables_for(self, seed: int) -> list[TableSeat]:
        if not self.hosts:
            return [TableSeat(n, self.capacity) for n in range(1, self.tables + 1)]
        hosts = random.Random(seed).sample([p.id for p in self.people], self.tables)
        return [TableSeat(n, self.capacity, host) for n, host in enumerate(hosts, start=1)]


def anonymous(count: int) -> list[Person]:
    return [Person(f"p{i}") for i in range(count)]


SCENARIOS = [
    Scenario("(a) 29 members, 5 tables of 8, 5 hosts — 4 May AM", people_in_proportion(29), 5, 8, 3),
    Scenario("(a) 29 members, 5 tables of 8, 5 hosts — 4 May PM", people_in_proportion(29), 5, 8, 4),
    Scenario("(b) 200 people, 25 tables of 8, 25 hosts", people_in_proportion(200), 25, 8, 3),
    Scenario("(b) 200 people, 25 tables of 8, 25 hosts", people_in_proportion(200), 25, 8, 4),
    # Classic resolvable designs: a seating with no repeat exists (0 is the floor and reachable).
    Scenario("(c) 16 people, 4 tables of 4, no host (affine plane of order 4)", anonymous(16), 4, 4, 5, hosts=False),
    Scenario("(c) 25 people, 5 tables of 5, no host (affine plane of order 5)", anonymous(25), 5, 5, 6, hosts=False),
    Scenario("(c) 40 people, 10 tables of 4, no host", anonymous(40), 10, 4, 3, hosts=False),
    Scenario("(d) Kirkman's 15 schoolgirls, 5 tables of 3, no host", anonymous(15), 5, 3, 7, hosts=False),
]


def by_block(scenario: Scenario, tables: list[TableSeat], seed: int) -> tuple[list, list[float]]:
    started = time.perf_counter()
    planned = rotation.plan_block(scenario.people, tables, scenario.rounds, seed)
    return planned, [(time.perf_counter() - started) / scenario.rounds] * scenario.rounds


def by_round(scenario: Scenario, tables: list[TableSeat], seed: int) -> tuple[list, list[float]]:
    planned, times = [], []
    for r in range(scenario.rounds):
        started = time.perf_counter()
        planned.append(rotation.plan_round(scenario.people, tables, planned, seed * 100 + r))
        times.append(time.perf_counter() - started)
    return planned, times


def at_random(scenario: Scenario, tables: list[TableSeat], seed: int) -> tuple[list, list[float]]:
    rng = random.Random(seed)
    return [rotation.random_seating(scenario.people, tables, rng) for _ in range(scenario.rounds)], []


def mix_ceiling(scenario: Scenario) -> float:
    """The best sector mix a round can have with these sizes: an upper bound for every method.

    A table counts at most min(size, K) sectors, K the number of sectors, and a sector of n people
    is at no more than min(n, T) of the T tables; spend those presences where a sector is worth
    the most, at the tables whose score divides by the least.
    """
    people = scenario.people
    seating = rotation.random_seating(people, scenario.tables_for(0), random.Random(0))
    sizes = [len(ids) for ids in seating.values() if ids]
    counts = Counter(p.sector for p in people if p.sector)
    if not counts:
        return 1.0
    presences = sum(min(n, len(sizes)) for n in counts.values())
    score = 0.0
    for cap in sorted(min(size, len(counts)) for size in sizes):
        used = min(cap, presences)
        score += used / cap
        presences -= used
    return score / len(sizes)


METHODS = {"plan_block": by_block, "plan_round": by_round, "random": at_random}


def measure(scenario: Scenario, seeds: range) -> dict[str, dict[str, float]]:
    sectors = {p.id: p.sector for p in scenario.people}
    results = {}
    for method, plan in METHODS.items():
        repeats, mixes, times = [], [], []
        for seed in seeds:
            planned, seconds = plan(scenario, scenario.tables_for(seed), seed)
            repeats.append(rotation.repeat_encounters(planned))
            mixes.append(statistics.mean(rotation.sector_mix(s, sectors) for s in planned))
            times += seconds
        results[method] = {
            "repeats": statistics.mean(repeats),
            "worst": max(repeats),
            "mix": statistics.mean(mixes),
            "time": statistics.mean(times) if times else 0.0,
            "time_max": max(times, default=0.0),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20, help="seeds per scenario (default 20)")
    parser.add_argument("--only", default="", help="only the scenarios whose name holds this text, e.g. '(c)'")
    arguments = parser.parse_args()
    seeds = range(arguments.seeds)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; {len(seeds)} seeds"
    )
    print()
    print(
        "| scenario | rounds | method | repeats (mean / worst) | floor | vs random | sector mix (ceiling) | s/round mean / max |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for scenario in [s for s in SCENARIOS if arguments.only in s.name]:
        floor = rotation.repeat_lower_bound(scenario.people, scenario.tables_for(0), scenario.rounds)
        ceiling = mix_ceiling(scenario)
        results = measure(scenario, seeds)
        baseline = results["random"]["repeats"]
        for method, r in results.items():
            ratio = f"{r['repeats'] / baseline:.2f}" if baseline else "–"
            timing = f"{r['time']:.3f} / {r['time_max']:.3f}" if method != "random" else "–"
            print(
                f"| {scenario.name} | {scenario.rounds} | {method} | {r['repeats']:.1f} / {r['worst']} "
                f"| {floor} | {ratio} | {r['mix']:.3f} ({ceiling:.3f}) | {timing} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
