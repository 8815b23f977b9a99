"""A join storm sends about one presence update a second to the board, and the last one is right."""

from __future__ import annotations

import time

from workshop.realtime.presence import presence_updates

INTERVAL = 1.0


def _presence(client) -> list[dict]:
    return [e["args"][0] for e in client.get_received() if e["name"] == "presence:updated"]


def test_a_burst_of_joins_is_summed_up_in_few_updates(create_workshop, connect, monkeypatch):
    monkeypatch.setattr(presence_updates, "interval", INTERVAL)
    workshop = create_workshop()
    board = connect({"code": workshop["code"], "role": "board"})
    time.sleep(INTERVAL + 0.1)  # a quiet interval: the next change goes at once
    board.get_received()

    started = time.monotonic()
    for number in range(12):
        phone = connect({"code": workshop["code"], "role": "participant", "table": 1 + number % 3})
        assert phone.ack["ok"]
    burst = time.monotonic() - started
    updates = _presence(board)
    assert updates[0]["phones"] == 1  # the first join is shown at once

    deadline = time.monotonic() + 5 * INTERVAL
    while time.monotonic() < deadline and updates[-1]["phones"] != 12:
        time.sleep(0.05)
        updates += _presence(board)
    assert updates[-1] == {"phones": 12, "tables": {"1": 4, "2": 4, "3": 4}}
    # One at once, then at most one per interval: twelve joins never make twelve updates.
    assert len(updates) <= 2 + int(burst / INTERVAL)
    assert len(updates) < 12
