"""Hostile WebSocket frames: what they cost the other clients. A board sends a heartbeat every
20 ms (round trip measured) while hostile sockets that never joined send big frames, against a
real `workshop serve`. Prints a Markdown table for docs/benchmarks.md.

    .venv/bin/python bench/frames.py                      # this tree, both async modes
    .venv/bin/python bench/frames.py --root /tmp/before   # another tree (e.g. `git archive` of main)

Scenarios: idle (no attack); one 20 MB frame; 30 frames of 990 KB over 10 sockets (3 each).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import socketio  # noqa: E402

from tests.system.hostile import HostileSocket  # noqa: E402
from tests.system.server import Server  # noqa: E402

SCENARIOS = {
    "idle": [],
    "one 20 MB frame": [[20 * 1024 * 1024]],
    "30 × 990 KB over 10 sockets": [[990 * 1024] * 3 for _ in range(10)],
}


def attack(port: int, frames_per_socket: list[list[int]]) -> tuple[int, int]:
    """Each hostile socket in its own thread sends its frames (a new connection when refused)."""
    taken, offered = [0], [0]
    lock = threading.Lock()

    def one(frames: list[int]) -> None:
        for size in frames:
            hostile = HostileSocket("127.0.0.1", port)
            got = hostile.send_big_frame(size)
            hostile.close()
            with lock:
                taken[0] += got
                offered[0] += size

    threads = [threading.Thread(target=one, args=(frames,)) for frames in frames_per_socket]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return taken[0], offered[0]


def measure(server: Server, frames: list[list[int]], idle_seconds: float = 2.0) -> dict:
    async def scenario():
        board = socketio.AsyncClient(reconnection=False)
        await board.connect(server.url, transports=["websocket"], wait_timeout=10)
        try:
            await board.call("heartbeat", {}, timeout=10)
            if frames:
                task = asyncio.create_task(asyncio.to_thread(attack, server.port, frames))
            else:
                task = asyncio.create_task(asyncio.sleep(idle_seconds))
            started_all = time.perf_counter()
            trips = []
            while not task.done():
                started = time.perf_counter()
                await board.call("heartbeat", {}, timeout=60)
                trips.append((time.perf_counter() - started) * 1000)
                await asyncio.sleep(0.02)
            result = await task
            return trips, result, time.perf_counter() - started_all
        finally:
            await board.disconnect()

    trips, result, seconds = asyncio.run(scenario())
    taken, offered = result if result else (0, 0)
    return {
        "trips": len(trips),
        "p50": statistics.median(trips),
        "max": max(trips),
        "taken": taken,
        "offered": offered,
        "seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the project tree to serve")
    parser.add_argument("--mode", choices=("gevent", "threading"), nargs="*", default=["gevent", "threading"])
    args = parser.parse_args()
    print("| server | scenario | heartbeats | p50 ms | max ms | MB pushed of MB sent | attack s |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for mode in args.mode:
        with tempfile.TemporaryDirectory() as folder:
            server = Server(
                Path(folder),
                {
                    "WORKSHOP_DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
                    "WORKSHOP_SECRET_KEY": "bench-frames",
                    "WORKSHOP_ASYNC_MODE": mode,
                    "PYTHONPATH": str(args.root),
                },
            )
            server_root(server, args.root)
            server.start()
            try:
                for name, frames in SCENARIOS.items():
                    row = measure(server, frames)
                    mb = f"{row['taken'] / 2**20:.1f} of {row['offered'] / 2**20:.1f}" if frames else "–"
                    print(
                        f"| {mode} | {name} | {row['trips']} | {row['p50']:.1f} | {row['max']:.1f} | {mb} | {row['seconds']:.1f} |",
                        flush=True,
                    )
            finally:
                server.stop()


def server_root(server: Server, root: Path) -> None:
    """Serve another tree: the server process starts in it."""
    import tests.system.server as module

    if root != ROOT:
        module.PROJECT_ROOT = root


if __name__ == "__main__":
    main()
