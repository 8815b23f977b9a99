"""What a change outside the serving layer would be worth, measured without making it: applies
the named patches to the app, then runs ``workshop serve`` as usual. For ``bench/load.py
--experiment NAMES``; the patches are sketches of the changes docs/benchmarks.md proposes.

    WORKSHOP_ASYNC_MODE=gevent .venv/bin/python bench/experiments.py budgets,agenda serve --port 5100

- budgets: the Socket.IO event budgets in a dict of fixed one-minute windows, instead of limits'
  MemoryStorage (its timer walks every key every 10 ms once any key is hit).
- sqlite-normal: PRAGMA synchronous=NORMAL (WAL): a commit no longer waits for fsync.
- agenda: the running round found with one query instead of lazy-loading every block's rounds.
- presence: no presence:updated on each join and leave (the upper bound of batching them).
- gc-log: print the duration of every full garbage collection in the server's log.
- nagle: TCP_NODELAY left off (what serving.py's setting is worth).
- note-timing: where a note's time goes inside the server (the whole event, the group commit's
  wait, its batch and commit, the rest), percentiles per 500 notes in /tmp/note-timing.txt.
"""

import os
import sys

if (os.environ.get("WORKSHOP_ASYNC_MODE") or "gevent") == "gevent":
    from gevent import monkey

    monkey.patch_all()

import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def budgets() -> None:
    from limits import parse

    from workshop import ratelimit

    class FixedWindowBudgets:
        def __init__(self, storage_uri: str, rules: dict) -> None:
            self.budgets = {event: [(who, parse(limit)) for who, limit in each] for event, each in rules.items()}
            self.counts: dict[tuple, int] = {}
            self.window = 0

        def allow(self, event: str, participant, sid: str, address) -> bool:
            minute = int(time.monotonic() // 60)
            if minute != self.window:  # one sweep a minute, not one every 10 ms
                self.counts = {k: v for k, v in self.counts.items() if k[0] >= minute - 1}
                self.window = minute
            keys = {
                "participant": f"p{participant}" if participant else f"s{sid}",
                "socket": f"s{sid}",
                "address": address or "?",
            }
            rules = self.budgets.get(event, self.budgets["*"])
            counters = [((minute, event, who, keys[who]), limit.amount) for who, limit in rules]
            if any(self.counts.get(key, 0) >= amount for key, amount in counters):
                return False
            for key, _ in counters:
                self.counts[key] = self.counts.get(key, 0) + 1
            return True

    ratelimit.EventBudgets = FixedWindowBudgets


def sqlite_normal() -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "connect")
    def _normal(dbapi_connection, record) -> None:
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()


def agenda() -> None:
    from sqlalchemy import select

    from workshop.agenda import read as module
    from workshop.extensions import db
    from workshop.live import rounds
    from workshop.models import Block, Round

    def running_round(workshop):
        query = (
            select(Round)
            .join(Block, Round.block_id == Block.id)
            .where(Block.workshop_id == workshop.id, Round.status == "running")
        )
        return db.session.execute(query).scalars().first()

    module.running_round = running_round
    rounds.running_round = running_round


def presence() -> None:
    from workshop.cafe import events as cafe_events
    from workshop.realtime import connections

    def none(code, previous=None):
        return []

    connections.presence_broadcasts = none
    cafe_events.presence_broadcasts = none


def gc_log() -> None:
    """Writes every garbage collection of the oldest generation and what it cost to
    /tmp/workshop-gc-PID.log (the server's own log goes with the benchmark's temporary folder)."""
    import gc

    started = {}
    log = open(f"/tmp/workshop-gc-{os.getpid()}.log", "w")  # noqa: SIM115 (open for the process's life)

    def watch(phase, info):
        if info["generation"] != 2:
            return
        if phase == "start":
            started["at"] = time.perf_counter()
        else:
            took = (time.perf_counter() - started.pop("at", time.perf_counter())) * 1000
            print(f"{time.time():.3f} gc gen2: {took:.1f} ms, {info['collected']} collected", file=log, flush=True)

    gc.callbacks.append(watch)


def nagle() -> None:
    from workshop import serving

    serving._no_delay = lambda sock: None


def note_timing() -> None:
    from flask_socketio import SocketIO

    from workshop.realtime import group_commit

    samples: dict[str, list[float]] = {"event": [], "submit": [], "batch": []}
    handle_event, submit, run = SocketIO._handle_event, group_commit.GroupCommit.submit, group_commit.GroupCommit._run

    def timed(key, function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                samples[key].append((time.perf_counter() - start) * 1000)

        return wrapper

    def event(self, handler, message, namespace, sid, *args):
        if message != "note:post":
            return handle_event(self, handler, message, namespace, sid, *args)
        result = timed("event", handle_event)(self, handler, message, namespace, sid, *args)
        if len(samples["event"]) >= 500:
            with open("/tmp/note-timing.txt", "a") as out:
                line = []
                for key, values in samples.items():
                    values.sort()
                    if values:
                        pick = [values[int(len(values) * q)] for q in (0.5, 0.95)]
                        line.append(f"{key} n={len(values)} p50={pick[0]:.2f} p95={pick[1]:.2f}")
                    values.clear()
                print(f"{time.strftime('%H:%M:%S')} " + " | ".join(line), file=out, flush=True)
        return result

    SocketIO._handle_event = event
    group_commit.GroupCommit.submit = timed("submit", submit)
    group_commit.GroupCommit._run = timed("batch", run)


PATCHES = {
    "note-timing": note_timing,
    "gc-log": gc_log,
    "nagle": nagle,
    "budgets": budgets,
    "sqlite-normal": sqlite_normal,
    "agenda": agenda,
    "presence": presence,
}

if __name__ == "__main__":
    names = [n for n in sys.argv[1].split(",") if n]
    for name in names:
        PATCHES[name]()
    from workshop.cli import main

    print(f"experiments: {', '.join(names)}", flush=True)
    main(sys.argv[2:], prog_name="workshop")
