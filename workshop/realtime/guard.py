"""What a hostile socket may cost the log and the process: an unreadable packet (nested 20,000
deep, a RecursionError in the JSON decoder) disconnects its socket with one line in the log, and
the lines about refused connections are themselves rate-limited: 638 KB of tracebacks in 0.3 s
became a few lines a minute."""

from __future__ import annotations

import logging
import threading
import time

refusals = logging.getLogger("workshop.refusals")

# Loggers that speak of other people's connections: one line each, a budget of lines a minute.
GUARDED_LOGGERS = ("workshop.refusals", "engineio.server", "socketio.server", "geventwebsocket.handler")
LINES_PER_MINUTE = 20


class RateLimitedLog(logging.Filter):
    """At most ``burst`` records per ``window`` seconds; the rest are counted, and the count is
    said by the first line of the next window. A traceback becomes one line (its last)."""

    def __init__(self, burst: int = LINES_PER_MINUTE, window: float = 60.0, clock=time.monotonic) -> None:
        super().__init__()
        self.burst, self.window, self.clock = burst, window, clock
        self._lock = threading.Lock()
        self._start = clock()
        self._count = 0
        self._dropped = 0

    def filter(self, record: logging.LogRecord) -> bool:
        with self._lock:
            now = self.clock()
            dropped = 0
            if now - self._start >= self.window:
                self._start, dropped, self._count, self._dropped = now, self._dropped, 0, 0
            if self._count >= self.burst:
                self._dropped += 1
                return False
            self._count += 1
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            message = f"{message}: {type(error).__name__}: {str(error)[:200]}"
        if dropped:
            message += f" ({dropped} more such lines were not logged)"
        record.msg, record.args, record.exc_info, record.exc_text, record.stack_info = message, None, None, None, None
        return True


def limit_logs() -> None:
    for name in GUARDED_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RateLimitedLog) for f in logger.filters):
            logger.addFilter(RateLimitedLog())


def guard_packets(server) -> None:
    """A packet Socket.IO cannot read disconnects its socket, with one line (no traceback)."""
    original = server._handle_eio_message

    def handle(eio_sid, data):
        try:
            return original(eio_sid, data)
        except (RecursionError, ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
            refusals.warning("disconnected %s: unreadable packet (%s)", eio_sid, type(error).__name__)
            server.eio.disconnect(eio_sid)
            return None

    server.eio.on("message", handle)
