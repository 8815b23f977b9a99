"""Group commit: the writes that arrive within a few milliseconds share one transaction and one
fsync (docs/benchmarks.md, issue 14).

A handler hands its work to ``GroupCommit.submit`` instead of committing itself. The first
caller that finds no batch running becomes the batch's leader: when writes are coming close
together it waits the window (``WORKSHOP_GROUP_COMMIT_MS``, 2 ms by default), so that others
queue behind it (a lone write in a quiet room commits at once: waiting would gain nothing), then
it takes every job queued meanwhile and runs them
one after another in its own session, each in a savepoint, then commits once. A job that fails
rolls back its savepoint alone and its caller gets its own error; the others are committed. Each
caller returns (and so acknowledges and broadcasts) only after the commit that holds its write:
a note acknowledged is a note stored. Callers that arrive while a batch runs queue for the next
one; the first of them to get the lock leads it. A job may bring a step to take once its write is
committed (``then``: a joining socket enters its rooms); the leader takes them all, in the batch's
order, before it lets the next batch or any caller go on.

Works under gevent (the locks and events are the patched ones, the window is a cooperative
sleep) and with threads. A job runs in the leader's application context and session, so it must
not read ``flask.request`` (the leader's, not its caller's) and returns plain data (dicts), not
ORM objects tied to a session.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy.exc import DBAPIError, IntegrityError

from workshop.extensions import db

log = logging.getLogger(__name__)

DEFAULT_WINDOW_MS = 2.0
# The leader waits the window only if the write before its own came less than this many windows
# earlier: at 2 ms, writes closer than 10 ms apart (over about 100 a second) are grouped, and a
# steady trickle of notes is committed without waiting.
BUSY_GAP_WINDOWS = 5


class _Job:
    __slots__ = ("atomic", "done", "error", "result", "then", "work")

    def __init__(self, work: Callable[[], Any], atomic: bool, then: Callable[[Any], None] | None = None) -> None:
        self.work = work
        self.atomic = atomic
        self.then = then
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False


class GroupCommit:
    def __init__(self, window_ms: float = DEFAULT_WINDOW_MS) -> None:
        self.window = max(0.0, window_ms) / 1000
        self._queue_lock = threading.Lock()  # guards the queue (held for microseconds)
        self._commit_lock = threading.Lock()  # one batch at a time
        self._queue: list[_Job] = []
        self._last_arrival = float("-inf")  # monotonic time of the last submit
        self._busy = False  # the last two submits came within BUSY_GAP_WINDOWS windows
        self.batches = 0  # counters for tests and benchmarks
        self.jobs = 0

    def submit(self, work: Callable[[], Any], atomic: bool = False, then: Callable[[Any], None] | None = None) -> Any:
        """Runs ``work()`` in the next batch; returns its result once the batch has committed,
        or raises what it raised (its savepoint rolled back), or what the commit raised.

        ``atomic``: the job writes with one statement at most, after every check that may refuse
        it, so it needs no savepoint (two statements fewer). If that statement fails anyway, the
        batch is rolled back and run again with a savepoint for every job.

        ``then(result)``: taken by the leader once the batch has committed, before the next batch
        and before any caller of this one goes on (in the leader's context: no ``flask.request``)."""
        job = _Job(work, atomic, then)
        now = time.monotonic()
        with self._queue_lock:
            self._queue.append(job)
            self._busy = now - self._last_arrival < self.window * BUSY_GAP_WINDOWS
            self._last_arrival = now
        with self._commit_lock:
            if not job.done:  # nobody took it yet: this caller leads the next batch
                if self.window and self._busy:
                    time.sleep(self.window)  # cooperative under gevent: others queue meanwhile
                with self._queue_lock:
                    batch, self._queue = self._queue, []
                self._run(batch)
        if job.error is not None:
            raise job.error
        return job.result

    def _run(self, batch: list[_Job]) -> None:
        try:
            _begin_write()
            if not _run_all(batch, savepoints=False):
                db.session.rollback()
                _begin_write()
                _run_all(batch, savepoints=True)
            db.session.commit()
        except BaseException as error:  # the commit (or the database) failed: nobody is acked
            db.session.rollback()
            log.warning("group commit of %d writes failed: %r", len(batch), error)
            for job in batch:
                if job.error is None:
                    job.error = error
                    job.result = None
        else:
            _then_all(batch)
        finally:
            self.batches += 1
            self.jobs += len(batch)
            for job in batch:
                job.done = True
            db.session.remove()  # the leader's own handler starts afresh after the batch


def _run_all(batch: list[_Job], savepoints: bool) -> bool:
    """False when an atomic job's statement failed: the transaction may be unusable (PostgreSQL)."""
    for job in batch:
        if job.atomic and not savepoints:
            try:
                job.result = job.work()
                job.error = None
            except DBAPIError:
                return False
            except Exception as error:  # refused before it wrote anything
                job.error = error
        else:
            _run_one(job)
    return True


def _then_all(batch: list[_Job]) -> None:
    """The steps that follow each committed write, in the batch's order."""
    for job in batch:
        if job.then is None or job.error is not None:
            continue
        try:
            job.then(job.result)
        except Exception as error:  # its write stays committed; its caller is told it failed
            log.exception("the step after a group commit failed")
            job.error = error
            job.result = None


def _run_one(job: _Job) -> None:
    """One job in a savepoint; a unique key raced by a resend of the same id is tried once more
    (the second try finds the first stored)."""
    for attempt in (1, 2):
        savepoint = db.session.begin_nested()
        try:
            job.result = job.work()
            savepoint.commit()
            job.error = None
            return
        except IntegrityError as error:
            savepoint.rollback()
            job.error = error
            if attempt == 2:
                return
        except DBAPIError:
            savepoint.rollback()
            raise  # the connection itself is in trouble: the whole batch fails
        except Exception as error:
            savepoint.rollback()
            job.error = error
            return


def _begin_write() -> None:
    """SQLite: take the write lock now (BEGIN IMMEDIATE). pysqlite opens a transaction only before
    a write, so the first savepoint would otherwise start one of its own, and releasing it would
    commit (one fsync per job, the thing this module avoids)."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.dbapi_connection
    if raw is not None and not raw.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def commit_grouped(work: Callable[[], Any], atomic: bool = False, then: Callable[[Any], None] | None = None) -> Any:
    """``work()`` committed with the other writes of the same few milliseconds, then ``then(result)``
    (see ``GroupCommit.submit``); with the group commit switched off, run and committed here."""
    committer = group_commit_for(current_app)
    if committer is not None:
        return committer.submit(work, atomic, then)
    result = work()
    db.session.commit()
    if then is not None:
        then(result)
    return result


def group_commit_for(app) -> GroupCommit | None:
    """The app's group commit, or None when switched off (WORKSHOP_GROUP_COMMIT_MS < 0)."""
    return app.extensions.get("group_commit")


def init_app(app) -> None:
    window = float(app.config.get("WORKSHOP_GROUP_COMMIT_MS", DEFAULT_WINDOW_MS))
    app.extensions["group_commit"] = GroupCommit(window) if window >= 0 else None
