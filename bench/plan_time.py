"""CPU time of a World Café plan made ahead (workshop/domain/rotation.py: plan_block), with the
search above the floor bounded (EXTRA_WORK, the default) against the same search unbounded (the
baseline, how it was before), in the same run.

    .venv/bin/python bench/plan_time.py

A floor no plan can reach (people fixed at a table with its host) used to keep the planner busy
for up to a minute and more, in the server's process, while the room waited. Printed: a Markdown
table, for docs/benchmarks.md.
"""

from __future__ import annotations

import math
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workshop.domain import rotation
from workshop.domain.rotation import Person, TableSeat, plan_block, repeat_encounters, repeat_lower_bound

SECTORS = ["a", "b", "c", "d"]


def cases():
    yield (
        "12 people, 3 tables of 4, 2 fixed with a host",
        [Person(f"p{i}", table=2 if i in (3, 4) else None) for i in range(12)],
        [TableSeat(1, 4, host="p0"), TableSeat(2, 4, host="p1"), TableSeat(3, 4)],
    )
    yield (
        "40 people, 5 tables of 8 with hosts, 6 fixed",
        [Person(f"p{i}", SECTORS[i % 4], table=(i % 3) + 1 if 5 <= i < 11 else None) for i in range(40)],
        [TableSeat(k + 1, 8, host=f"p{k}") for k in range(5)],
    )
    yield (
        "40 people, 5 tables of 8 with hosts, none fixed",
        [Person(f"p{i}", SECTORS[i % 4]) for i in range(40)],
        [TableSeat(k + 1, 8, host=f"p{k}") for k in range(5)],
    )


def timed(people, tables, rounds: int = 3) -> tuple[float, int]:
    start = time.process_time()
    plan = plan_block(people, tables, rounds, seed=0)
    return time.process_time() - start, repeat_encounters(plan)


def main() -> None:
    bounded = rotation.EXTRA_WORK
    print(f"Python {platform.python_version()}, {platform.machine()}; 3 rounds, seed 0; CPU seconds.\n")
    print("| plan | floor | unbounded (before): CPU | repeats | bounded: CPU | repeats |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, people, tables in cases():
        rotation.EXTRA_WORK = math.inf
        before, before_repeats = timed(people, tables)
        rotation.EXTRA_WORK = bounded
        after, after_repeats = timed(people, tables)
        floor = repeat_lower_bound(people, tables, 3)
        print(f"| {name} | {floor} | {before:.2f} | {before_repeats} | {after:.2f} | {after_repeats} |")


if __name__ == "__main__":
    main()
