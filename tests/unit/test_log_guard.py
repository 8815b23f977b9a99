"""The rate-limited log of refused connections (workshop/realtime/guard.py)."""

from __future__ import annotations

import logging

from workshop.realtime.guard import RateLimitedLog


def record(message: str, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("engineio.server", logging.ERROR, __file__, 1, message, None, exc_info)


def test_a_burst_is_cut_and_counted_then_said_in_the_next_window():
    now = [0.0]
    guard = RateLimitedLog(burst=3, window=60.0, clock=lambda: now[0])
    passed = [guard.filter(record(f"line {i}")) for i in range(10)]
    assert passed == [True] * 3 + [False] * 7
    now[0] = 61.0
    first = record("again")
    assert guard.filter(first)
    assert first.getMessage() == "again (7 more such lines were not logged)"


def test_a_traceback_becomes_one_line():
    try:
        raise RecursionError("maximum recursion depth exceeded while decoding a JSON array")
    except RecursionError:
        import sys

        line = record("message handler error", sys.exc_info())
    assert RateLimitedLog().filter(line)
    assert line.exc_info is None
    assert (
        line.getMessage()
        == "message handler error: RecursionError: maximum recursion depth exceeded while decoding a JSON array"
    )
