"""Load: phones on one machine. N simulated phones (python-socketio AsyncClient, WebSocket only,
spread over several generator processes) in one workshop with a board, against `workshop serve`
and, as the baseline, a bare Flask-SocketIO server (bench/bare_server.py) on the same server and
async mode, driven by the same generator. Prints a table; docs/benchmarks.md reads it.

    .venv/bin/python bench/load.py                 # the full run, about 10 minutes
    .venv/bin/python bench/load.py --quick         # 100 phones, short phases, about a minute
    .venv/bin/python bench/load.py --phones 300    # one level of 300 phones
    .venv/bin/python bench/load.py --mode threading --no-multi

Scenarios, for the bare server and for the workshop:
- join storm: N phones connect and join within --storm seconds (10);
- round opens: the facilitator starts the Open Space round of the 5 May afternoon; every phone
  gets round:started and a fifth of them post a note within the next second (the burst);
- steady: max(5, N/60) notes a second in all (each phone a note a minute), for --steady seconds;
- maximum throughput (largest N): rising rates, each for --step seconds, until the board's p99
  post-to-board latency passes 250 ms; the last rate under it is the maximum;
- several processes: 2 server processes on PostgreSQL + Redis (the bare one on Redis), the phones
  split between them, the board on the first.
Traffic goes to 127.0.0.1 only; the phones' source addresses are 127.0.0.x (loopback, as phones
on different networks: the per-address rate limits of workshop/ratelimit.py would otherwise
count every phone as one). Every phase is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import multiprocessing
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
PHONES_PER_ADDRESS = 50
ACK_TIMEOUT = 10.0
P99_LIMIT = 0.250
BURST_SHARE = 0.2
BURST_WINDOW = 1.0
POSTGRES_URL = os.environ.get("WORKSHOP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("WORKSHOP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
NOTE_TEXT = "Créer des liens entre employeurs et personnes immigrantes dès l’arrivée — note {}"


# --------------------------------------------------------------------------------------------
# Generator processes (asyncio): phones, and one process for the board and the facilitator.


class Phones:
    """The phones of one generator process."""

    def __init__(self) -> None:
        self.phones: dict[int, object] = {}
        self.sessions: dict[str, object] = {}
        self.round_seen: dict[int, float] = {}
        self.burst: set[int] = set()
        self.records: list[tuple] = []
        self.tasks: set[asyncio.Task] = set()

    async def session(self, address: str):
        import aiohttp

        if address not in self.sessions:
            connector = aiohttp.TCPConnector(local_addr=(address, 0), limit=0)
            self.sessions[address] = aiohttp.ClientSession(connector=connector)
        return self.sessions[address]

    async def connect(self, specs: list, code: str, start: float, spread: float) -> dict:
        import socketio

        times: list[float] = []
        errors: Counter = Counter()

        async def one(position: int, index: int, url: str, address: str) -> None:
            await asyncio.sleep(max(0.0, start + spread * position / max(1, len(specs)) - time.monotonic()))
            sio = socketio.AsyncClient(reconnection=False, http_session=await self.session(address))

            @sio.on("round:started")
            async def round_started(data=None, index=index):
                self.round_seen.setdefault(index, time.monotonic())
                if index in self.burst:
                    self.spawn(self.post_later(index, random.uniform(0, BURST_WINDOW), "burst"))

            began = time.monotonic()
            try:
                await sio.connect(url, transports=["websocket"], wait_timeout=20)
                ack = await sio.call("join", {"code": code, "role": "participant"}, timeout=20)
            except Exception as error:  # counted, never raised: a failed join is a figure
                errors[type(error).__name__] += 1
                await sio.disconnect()
                return
            if not ack.get("ok"):
                errors[ack.get("error", {}).get("code", "refused")] += 1
                await sio.disconnect()
                return
            times.append(time.monotonic() - began)
            self.phones[index] = sio

        await asyncio.gather(*(one(i, *spec) for i, spec in enumerate(specs)))
        return {"times": times, "errors": dict(errors)}

    def spawn(self, coroutine) -> None:
        task = asyncio.ensure_future(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def post_later(self, index: int, delay: float, tag: str) -> None:
        await asyncio.sleep(delay)
        await self.post(index, tag)

    async def post(self, index: int, tag: str, due: float | None = None) -> None:
        sio = self.phones.get(index)
        note_id = str(uuid.uuid4())
        sent = time.monotonic()
        try:
            ack = await sio.call(
                "note:post", {"id": note_id, "text": NOTE_TEXT.format(note_id[:8])}, timeout=ACK_TIMEOUT
            )
        except Exception as error:
            self.records.append((note_id, tag, sent, due, None, type(error).__name__))
            return
        acked = time.monotonic()
        error = None if ack.get("ok") else ack.get("error", {}).get("code", "refused")
        self.records.append((note_id, tag, sent, due, acked, error))

    async def load(self, rate: float, duration: float, start: float, tag: str) -> dict:
        """Open loop: the k-th note is due at start + k/rate, whoever has not been answered yet."""
        indices = sorted(self.phones)
        count = int(rate * duration)
        random.shuffle(indices)
        for k in range(count):
            due = start + k / rate
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self.spawn(self.post(indices[k % len(indices)], tag, due))
        return await self.drain()

    async def drain(self) -> dict:
        deadline = time.monotonic() + ACK_TIMEOUT + 2
        while self.tasks and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        records, self.records = self.records, []
        return {"records": records}

    async def arm_burst(self, indices: list[int]) -> dict:
        self.burst = set(indices)
        self.round_seen = {}
        return {}

    async def round_times(self) -> dict:
        drained = await self.drain()
        return {"seen": list(self.round_seen.values()), **drained}

    async def close(self) -> dict:
        await asyncio.gather(*(sio.disconnect() for sio in self.phones.values()), return_exceptions=True)
        for session in self.sessions.values():
            await session.close()
        self.phones, self.sessions = {}, {}
        return {}


class Board:
    """The projector's board (counts every note:added) and the facilitator's console."""

    def __init__(self) -> None:
        self.received: dict[str, list[float]] = {}
        self.board = self.facilitator = None

    async def connect(self, url: str, code: str, key: str) -> dict:
        import socketio

        self.url, self.code, self.key, self.reconnects = url, code, key, 0
        self.board = socketio.AsyncClient(reconnection=False)

        @self.board.on("note:added")
        async def note_added(data):
            self.received.setdefault(data["note"]["id"], []).append(time.monotonic())

        await self.board.connect(url, transports=["websocket"], wait_timeout=20)
        assert (await self.board.call("join", {"code": code, "role": "board"}, timeout=20))["ok"]
        self.facilitator = socketio.AsyncClient(reconnection=False)
        await self.facilitator.connect(url, transports=["websocket"], wait_timeout=20)
        ack = await self.facilitator.call("join", {"code": code, "role": "facilitator", "key": key}, timeout=20)
        assert ack["ok"], ack
        blocks = ack["state"].get("blocks") or []
        open_space = [b for b in blocks if b["method"] == "open-space"]
        return {"round": open_space[0]["rounds"][0]["id"] if open_space else 1}

    async def start_round(self, round_id: int) -> dict:
        if not self.facilitator.connected:  # dropped during a long join storm (ping timeout): back
            self.reconnects += 1
            self.facilitator = socketio_client()
            await self.facilitator.connect(self.url, transports=["websocket"], wait_timeout=20)
            ack = await self.facilitator.call(
                "join", {"code": self.code, "role": "facilitator", "key": self.key}, timeout=20
            )
            assert ack["ok"], ack
        sent = time.monotonic()
        ack = await self.facilitator.call("round:start", {"round": round_id}, timeout=20)
        return {"sent": sent, "ok": bool(ack.get("ok")), "ack": time.monotonic() - sent, "reconnects": self.reconnects}

    async def take(self) -> dict:
        received, self.received = self.received, {}
        return {"received": received}

    async def close(self) -> dict:
        for sio in (self.board, self.facilitator):
            if sio is not None:
                await sio.disconnect()
        return {}


def socketio_client():
    import socketio

    return socketio.AsyncClient(reconnection=False)


def worker(pipe, kind: str) -> None:
    """A generator process: runs the commands the conductor sends, one after the other."""
    raise_open_files()

    async def serve() -> None:
        target = Board() if kind == "board" else Phones()
        loop = asyncio.get_running_loop()
        while True:
            command, arguments = await loop.run_in_executor(None, pipe.recv)
            if command == "exit":
                pipe.send({})
                return
            try:
                pipe.send(await getattr(target, command)(**arguments))
            except Exception as error:  # the conductor reports it
                pipe.send({"failure": f"{type(error).__name__}: {error}"})

    asyncio.run(serve())


def raise_open_files() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


# --------------------------------------------------------------------------------------------
# The conductor: servers, phases, figures.


class Fleet:
    def __init__(self, generators: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.pipes, self.processes = [], []
        for kind in ["board"] + ["phones"] * generators:
            mine, theirs = context.Pipe()
            process = context.Process(target=worker, args=(theirs, kind), daemon=True)
            process.start()
            self.pipes.append(mine)
            self.processes.append(process)

    @property
    def board(self):
        return self.pipes[0]

    @property
    def phones(self):
        return self.pipes[1:]

    @staticmethod
    def call(pipe, command: str, timeout: float = 120, **arguments) -> dict:
        pipe.send((command, arguments))
        return Fleet.answer(pipe, timeout)

    @staticmethod
    def answer(pipe, timeout: float) -> dict:
        if not pipe.poll(timeout):
            raise RuntimeError("a generator did not answer in time")
        result = pipe.recv()
        if "failure" in result:
            raise RuntimeError(result["failure"])
        return result

    def everyone(self, command: str, timeout: float = 120, per_pipe=None, **arguments) -> list[dict]:
        for index, pipe in enumerate(self.phones):
            pipe.send((command, per_pipe(index) if per_pipe else arguments))
        return [self.answer(pipe, timeout) for pipe in self.phones]

    def close(self) -> None:
        for pipe in self.pipes:
            with contextlib.suppress(OSError):
                pipe.send(("exit", {}))
        for process in self.processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()


class ServerProcess:
    def __init__(self, command: list[str], env: dict[str, str], port: int, log: Path) -> None:
        self.port, self.log = port, log
        with log.open("w") as output:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the server did not answer:\n{log.read_text()[-3000:]}")

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def rss(self) -> int:
        """Resident memory of the server and its children (gunicorn's worker), in bytes."""
        return sum(_rss(pid) for pid in _tree(self.process.pid))

    def cpu(self) -> float:
        """CPU seconds (user + system) the server and its children have used so far: what a phase
        cost the server, whatever else the machine was doing meanwhile."""
        return sum(_cpu(pid) for pid in _tree(self.process.pid))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _tree(pid: int) -> list[int]:
    pids = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            children = (task / "children").read_text().split()
            for child in children:
                pids.extend(_tree(int(child)))
    except OSError:
        pass
    return pids


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0.0


def py_spy() -> str:
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.exists() else "py-spy"


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Deployment:
    """One or more server processes of one kind (bare or workshop) and their database."""

    def __init__(
        self,
        kind: str,
        mode: str,
        folder: Path,
        processes: int,
        shared: bool,
        profile: Path | None,
        nagle: bool = False,
        experiment: str | None = None,
        database: str = "sqlite",
    ):
        self.kind, self.mode, self.folder = kind, mode, folder
        self.servers: list[ServerProcess] = []
        self.profilers: list[subprocess.Popen] = []
        self.schema = None
        tag = uuid.uuid4().hex[:8]
        env = {**os.environ, "WORKSHOP_ASYNC_MODE": mode, "PYTHONUNBUFFERED": "1", "WORKSHOP_SECRET_KEY": "load"}
        env.pop("WORKSHOP_PUBLIC_URL", None)
        env.pop("WORKSHOP_MESSAGE_QUEUE", None)
        if kind == "workshop":
            if shared or database == "postgresql":
                self.schema = f"ws_load_{tag}"
                self._sql(POSTGRES_URL, f'CREATE SCHEMA "{self.schema}"')
                env["WORKSHOP_DATABASE_URL"] = f"{POSTGRES_URL}?options=-csearch_path%3D{self.schema}"
            if shared:
                env["WORKSHOP_MESSAGE_QUEUE"] = REDIS_URL
                env["WORKSHOP_MESSAGE_QUEUE_CHANNEL"] = f"workshop-load-{tag}"
            elif database != "postgresql":
                env["WORKSHOP_DATABASE_URL"] = f"sqlite:///{folder / f'load-{tag}.sqlite3'}"
            self.database_url = env["WORKSHOP_DATABASE_URL"]
            made = subprocess.run(
                [PYTHON, "-m", "workshop", "new", "cafe-conversation-2010", "--json"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            if made.returncode != 0:
                raise RuntimeError(made.stderr)
            workshop = json.loads(made.stdout)
            self.code, self.key = workshop["code"], workshop["facilitator_key"]
        else:
            self.code, self.key = "BARE", ""
        for _ in range(processes):
            port = free_port()
            if kind == "workshop":
                command = [PYTHON, "-m", "workshop", "serve", "--host", HOST, "--port", str(port)]
                if experiment:
                    command[1:3] = [str(ROOT / "bench" / "experiments.py"), experiment]
            else:
                command = [PYTHON, str(ROOT / "bench" / "bare_server.py"), "--port", str(port)]
                if shared:
                    command += ["--queue", REDIS_URL, "--channel", f"bare-load-{tag}"]
                if nagle:
                    command += ["--no-nodelay"]
            self.servers.append(ServerProcess(command, env, port, folder / f"{kind}-{mode}-{port}.log"))
        if profile is not None:
            profile.mkdir(parents=True, exist_ok=True)
            for server in self.servers:
                for pid in _tree(server.process.pid)[-1:]:  # gunicorn: the worker
                    out = profile / f"{kind}-{mode}-{'multi' if shared else 'single'}-{server.port}.txt"
                    self.profilers.append(
                        subprocess.Popen(
                            [
                                py_spy(),
                                "record",
                                "--pid",
                                str(pid),
                                "--rate",
                                "200",
                                "--format",
                                "raw",
                                "--nonblocking",
                                "--output",
                                str(out),
                            ],
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                        )
                    )

    @staticmethod
    def _sql(url: str, statement: str) -> None:
        import sqlalchemy

        engine = sqlalchemy.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sqlalchemy.text(statement))
        engine.dispose()

    def stored_ids(self) -> list[str] | None:
        """The ids of the workshop's notes in the database (None for the bare server)."""
        if self.kind != "workshop":
            return None
        import sqlalchemy

        engine = sqlalchemy.create_engine(self.database_url)
        with engine.connect() as connection:
            rows = connection.execute(
                sqlalchemy.text("SELECT n.id FROM note n JOIN workshop w ON w.id = n.workshop_id WHERE w.code = :code"),
                {"code": self.code},
            ).all()
        engine.dispose()
        return [row[0] for row in rows]

    def rss(self) -> int:
        return sum(server.rss() for server in self.servers)

    def cpu(self) -> float:
        return sum(server.cpu() for server in self.servers)

    def stop(self) -> None:
        for profiler in self.profilers:
            profiler.send_signal(signal.SIGINT)
            try:
                profiler.wait(timeout=30)
            except subprocess.TimeoutExpired:
                profiler.kill()
        for server in self.servers:
            server.stop()
        if self.schema:
            self._sql(POSTGRES_URL, f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')


def quantile(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


class Phase:
    """Figures of one phase: what phones sent and acked, what the board got."""

    def __init__(
        self,
        name: str,
        records: list,
        received: dict,
        target: float | None = None,
        duration: float | None = None,
        start: float | None = None,
    ):
        self.name, self.target = name, target
        self.sent = len(records)
        self.acked = {r[0]: r for r in records if r[4] is not None and r[5] is None}
        self.failed = Counter(r[5] for r in records if r[5] is not None)
        self.latency = [received[i][0] - r[2] for i, r in self.acked.items() if i in received]
        self.ack = [r[4] - r[2] for r in self.acked.values()]
        self.lost_board = sum(1 for i in self.acked if i not in received)
        self.duplicated = sum(len(received[i]) - 1 for i in self.acked if i in received)
        self.lost_db = 0
        self.achieved = None
        self.lag = 0.0
        if target and records:
            last = max(r[2] for r in records)
            window = max(duration or 0.0, last - start + 1.0 / target)
            self.achieved = len(records) / window
            self.lag = quantile([r[2] - r[3] for r in records if r[3] is not None], 0.99)

    @property
    def valid(self) -> bool:
        if not self.target:
            return True
        return self.achieved is not None and self.achieved >= 0.95 * self.target and self.lag < 0.1

    def figures(self) -> dict:
        ms = lambda v: round(v * 1000, 1)  # noqa: E731
        return {
            "sent": self.sent,
            "acked": len(self.acked),
            "failed": dict(self.failed),
            "p50": ms(quantile(self.latency, 0.5)),
            "p95": ms(quantile(self.latency, 0.95)),
            "p99": ms(quantile(self.latency, 0.99)),
            "max": ms(max(self.latency)) if self.latency else math.nan,
            "ack_p50": ms(quantile(self.ack, 0.5)),
            "ack_p99": ms(quantile(self.ack, 0.99)),
            "target": self.target,
            "achieved": round(self.achieved, 1) if self.achieved else None,
            "valid": self.valid,
            "lost": self.lost_board + self.lost_db,
            "dup": self.duplicated,
        }


class Run:
    """One deployment, one population of phones, the phases in order."""

    def __init__(
        self,
        args,
        fleet: Fleet,
        kind: str,
        phones: int,
        processes: int,
        shared: bool,
        ramp: bool,
        folder: Path,
        database: str = "sqlite",
    ):
        self.args, self.fleet, self.kind, self.phones = args, fleet, kind, phones
        self.database = "postgresql" if shared else database
        self.processes, self.shared, self.ramp, self.folder = processes, shared, ramp, folder
        self.rows: list[dict] = []
        self.acked_all: dict[str, tuple] = {}
        self.received_all: dict[str, list[float]] = {}

    def execute(self) -> list[dict]:
        args, fleet = self.args, self.fleet
        label = f"{self.kind} ×{self.processes}" if self.processes > 1 else self.kind
        if self.kind == "workshop" and self.database == "postgresql" and not self.shared:
            label = "workshop (PostgreSQL)"
        scenario = "2 processes" if self.shared else f"{self.phones} phones"
        deployment = Deployment(
            self.kind,
            args.mode,
            self.folder,
            self.processes,
            self.shared,
            args.profile,
            args.no_nodelay,
            args.experiment,
            self.database,
        )
        try:
            urls = [s.url for s in deployment.servers]
            round_id = fleet.call(fleet.board, "connect", url=urls[0], code=deployment.code, key=deployment.key)[
                "round"
            ]
            time.sleep(1)
            rss_before, cpu_before = deployment.rss(), deployment.cpu()

            # Join storm.
            generators = len(fleet.phones)
            specs = [[] for _ in range(generators)]
            for index in range(self.phones):
                address = f"127.0.0.{2 + index // PHONES_PER_ADDRESS}"
                specs[index % generators].append((index, urls[index % len(urls)], address))
            start = time.monotonic() + 0.5
            joined = fleet.everyone(
                "connect",
                timeout=args.storm + 90,
                per_pipe=lambda i: {"specs": specs[i], "code": deployment.code, "start": start, "spread": args.storm},
            )
            times = [t for j in joined for t in j["times"]]
            errors = Counter()
            for j in joined:
                errors.update(j["errors"])
            time.sleep(2)
            rss_after, cpu_after = deployment.rss(), deployment.cpu()
            self.rows.append(
                {
                    "scenario": scenario,
                    "phase": f"join storm ({self.phones} in {args.storm:g} s)",
                    "server": label,
                    "joined": len(times),
                    "phones": self.phones,
                    "join_errors": dict(errors),
                    "connect_p50": round(quantile(times, 0.5) * 1000, 1),
                    "connect_p95": round(quantile(times, 0.95) * 1000, 1),
                    "connect_max": round(max(times) * 1000, 1) if times else math.nan,
                    "kb_per_phone": round((rss_after - rss_before) / max(1, len(times)) / 1024, 1),
                    "rss_mb": round(rss_after / 2**20, 1),
                    "cpu_ms_per_phone": round((cpu_after - cpu_before) * 1000 / max(1, len(times)), 2),
                }
            )

            if args.storm_only:  # the join storm alone (its profile without the notes')
                fleet.everyone("close", timeout=60)
                fleet.call(fleet.board, "close")
                return self.rows

            # The round opens: everyone is told, a fifth of the phones post at once.
            chosen = random.Random(7).sample(range(self.phones), int(self.phones * BURST_SHARE))
            fleet.everyone("arm_burst", indices=chosen)
            started = fleet.call(fleet.board, "start_round", round_id=round_id)
            time.sleep(BURST_WINDOW + 0.5)
            answers = fleet.everyone("round_times", timeout=60)
            seen = [t - started["sent"] for a in answers for t in a["seen"]]
            records = [r for a in answers for r in a["records"]]
            phase = self.phase("round opens: burst", records)
            self.rows.append(
                phase
                | {
                    "scenario": scenario,
                    "server": label,
                    "fanout_p50": round(quantile(seen, 0.5) * 1000, 1),
                    "fanout_p99": round(quantile(seen, 0.99) * 1000, 1),
                    "told": len(seen),
                    "console_reconnects": started.get("reconnects", 0),
                }
            )

            # Steady load.
            rate = max(5.0, self.phones / 60)
            self.rows.append(
                self.load(f"steady {rate:.1f}/s", rate, args.steady) | {"scenario": scenario, "server": label}
            )

            # A burst: 1,500 notes within 3 s (500 a second, open loop), from every phone.
            if self.phones >= 500 or args.quick:
                burst_rate = 500.0 if self.phones >= 500 else 100.0
                self.rows.append(
                    self.load(f"burst {burst_rate * 3:,.0f} notes in 3 s", burst_rate, 3.0)
                    | {"scenario": scenario, "server": label}
                )

            # Maximum throughput.
            if self.ramp:
                best, row = None, None
                for step_rate in ramp_rates(args):
                    row = self.load(f"ramp {step_rate:g}/s", step_rate, args.step)
                    row |= {"scenario": scenario, "server": label, "ramp": True}
                    self.rows.append(row)
                    if not row["valid"] or row["failed"] or row["p99"] > P99_LIMIT * 1000:
                        row["over"] = True
                        break
                    best = row["achieved"]
                if row is not None:
                    self.rows.append(
                        {
                            "scenario": scenario,
                            "server": label,
                            "phase": "max throughput",
                            "max_rate": best,
                            "limited": "the end of the ramp (the maximum is higher)"
                            if not row.get("over")
                            else "the generator's send rate (INVALID step)"
                            if not row["valid"]
                            else f"errors {row['failed']}"
                            if row["failed"]
                            else "p99 over 250 ms",
                        }
                    )

            # What the database holds, against what was acknowledged.
            stored = deployment.stored_ids()
            if stored is not None:
                acked = set(self.acked_all)
                missing = len(acked - set(stored))
                doubled = len(stored) - len(set(stored))
                for row in self.rows:
                    if row.get("phase", "").startswith(("steady", "round")):
                        row["db"] = f"{len(set(stored))} stored, {missing} acked missing, {doubled} doubled"
                self.rows[-1]["db_missing"], self.rows[-1]["db_doubled"] = missing, doubled
            fleet.everyone("close", timeout=60)
            fleet.call(fleet.board, "close")
        finally:
            deployment.stop()
        return self.rows

    def phase(
        self,
        name: str,
        records: list,
        target: float | None = None,
        duration: float | None = None,
        start: float | None = None,
    ) -> dict:
        acked = [r for r in records if r[4] is not None and r[5] is None]
        deadline = time.monotonic() + 5
        while True:  # the board may still be receiving the last notes
            self.received_all.update(self.fleet.call(self.fleet.board, "take")["received"])
            if all(r[0] in self.received_all for r in acked) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.acked_all.update({r[0]: r for r in acked})
        figures = Phase(name, records, self.received_all, target, duration, start).figures()
        return {"phase": name} | figures

    def load(self, name: str, rate: float, duration: float) -> dict:
        generators = len(self.fleet.phones)
        start = time.monotonic() + 0.3
        # The generators take turns: the g-th starts g/rate seconds later, so the notes of the
        # whole fleet come evenly spaced, not in clumps of one per generator at the same instant
        # (phones in a room are not synchronised; a clump made a note wait for its neighbours).
        answers = self.fleet.everyone(
            "load",
            timeout=duration + ACK_TIMEOUT + 60,
            per_pipe=lambda g: {
                "rate": rate / generators,
                "duration": duration,
                "start": start + g / rate,
                "tag": name,
            },
        )
        records = [r for a in answers for r in a["records"]]
        return self.phase(name, records, rate, duration, start)


def ramp_rates(args) -> list[float]:
    rates, rate = [], args.ramp_from
    while rate <= args.ramp_to:
        rates.append(round(rate))
        rate *= 1.4
    return rates


# --------------------------------------------------------------------------------------------
# The table.

COLUMNS = [
    ("server", "server"),
    ("phase", "phase"),
    ("target", "target/s"),
    ("achieved", "sent/s"),
    ("p50", "p50 ms"),
    ("p95", "p95 ms"),
    ("p99", "p99 ms"),
    ("max", "max ms"),
    ("ack_p50", "ack p50"),
    ("ack_p99", "ack p99"),
    ("lost", "lost"),
    ("dup", "dup"),
    ("valid", "valid"),
]


def fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "INVALID"
    if isinstance(value, float):
        return "–" if math.isnan(value) else f"{value:,.1f}".replace(".0", "") if value >= 100 else f"{value:g}"
    return str(value)


def ratio(ours, base) -> str:
    if (
        not isinstance(ours, (int, float))
        or not isinstance(base, (int, float))
        or not base
        or math.isnan(base)
        or math.isnan(ours)
    ):
        return "–"
    return f"×{ours / base:.2f}"


def markdown(rows: list[dict], args) -> str:
    out = []
    scenarios = list(dict.fromkeys(r["scenario"] for r in rows))
    for scenario in scenarios:
        mine = [r for r in rows if r["scenario"] == scenario]
        out.append(f"\n### {scenario}\n")
        joins = [r for r in mine if r["phase"].startswith("join")]
        out.append(
            "| server | phase | joined | errors | connect p50 ms | p95 ms | max ms | KB / phone | RSS MB "
            "| server CPU ms / phone |"
        )
        out.append("|---|---|---:|---|---:|---:|---:|---:|---:|---:|")
        for r in joins:
            out.append(
                f"| {r['server']} | {r['phase']} | {r['joined']}/{r['phones']} | {r['join_errors'] or 0} | "
                f"{fmt(r['connect_p50'])} | {fmt(r['connect_p95'])} | {fmt(r['connect_max'])} | "
                f"{fmt(r['kb_per_phone'])} | {fmt(r['rss_mb'])} | {fmt(r.get('cpu_ms_per_phone'))} |"
            )
        out.append("")
        out.append("| " + " | ".join(h for _, h in COLUMNS) + " | failed | round:started p50 / p99 ms |")
        out.append("|" + "---|" * (len(COLUMNS) + 2))
        for r in mine:
            if "p50" not in r:
                continue
            cells = [fmt(r.get(k)) for k, _ in COLUMNS]
            fan = f"{fmt(r['fanout_p50'])} / {fmt(r['fanout_p99'])} ({r['told']} phones)" if "fanout_p50" in r else ""
            out.append("| " + " | ".join(cells) + f" | {r['failed'] or 0} | {fan} |")
        for r in mine:
            if r["phase"] == "max throughput":
                out.append(
                    f"\n**{r['server']}: maximum throughput {fmt(r['max_rate'])} notes/s** "
                    f"(p99 post-to-board ≤ 250 ms; what stopped the ramp: {r['limited']})"
                )
            if r.get("console_reconnects"):
                out.append(f"\n{r['server']}: the console's socket was dropped during the join storm and joined again")
            if "db" in r:
                out.append(f"\n{r['server']} database: {r['db']}")
        # Ratios: the workshop against the bare server, phase by phase.
        servers = list(dict.fromkeys(r["server"] for r in mine))
        base_name = next((name for name in servers if name.startswith("bare")), None)
        for ours_name in servers if base_name is not None else []:
            if ours_name == base_name:
                continue
            base = {r["phase"]: r for r in mine if r["server"] == base_name}
            ours = {r["phase"]: r for r in mine if r["server"] == ours_name}
            out.append(f"\nRatios, {ours_name} ÷ {base_name}:\n")
            out.append("| phase | p50 | p95 | p99 | max | ack p50 | ack p99 | connect p95 | KB / phone | max notes/s |")
            out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
            for phase_name, r in ours.items():
                b = base.get(phase_name)
                if b is None:
                    continue
                cells = [
                    ratio(r.get(k), b.get(k))
                    for k in (
                        "p50",
                        "p95",
                        "p99",
                        "max",
                        "ack_p50",
                        "ack_p99",
                        "connect_p95",
                        "kb_per_phone",
                        "max_rate",
                    )
                ]
                out.append(f"| {phase_name} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description="Phones on one machine: the load benchmark.")
    parser.add_argument("--phones", type=int, nargs="*", default=None, help="levels (default 100 500 1000)")
    parser.add_argument("--quick", action="store_true", help="100 phones, short phases (about a minute)")
    parser.add_argument("--mode", choices=("gevent", "threading"), default=None, help="async mode (default: serve's)")
    parser.add_argument("--generators", type=int, default=3, help="phone generator processes")
    parser.add_argument("--storm", type=float, default=10.0, help="seconds for the join storm")
    parser.add_argument("--storm-only", action="store_true", help="the join storm, then stop (e.g. with --profile)")
    parser.add_argument("--steady", type=float, default=15.0, help="seconds of steady load")
    parser.add_argument("--step", type=float, default=4.0, help="seconds per throughput step")
    parser.add_argument("--ramp-from", type=float, default=50.0)
    parser.add_argument("--ramp-to", type=float, default=8000.0)
    parser.add_argument("--no-multi", action="store_true", help="skip the several-processes scenario")
    parser.add_argument("--no-single", action="store_true", help="only the several-processes scenario")
    parser.add_argument("--no-bare", action="store_true", help="skip the baseline")
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgresql", "both"),
        default="both",
        help="the one-process workshop's database (default: both, side by side with the bare server)",
    )
    parser.add_argument(
        "--no-nodelay",
        action="store_true",
        help="the bare server leaves Nagle's algorithm on (what TCP_NODELAY is worth)",
    )
    parser.add_argument(
        "--experiment",
        default=None,
        help="patches of bench/experiments.py for the workshop server, e.g. budgets,agenda",
    )
    parser.add_argument("--profile", type=Path, default=None, help="py-spy every server into this folder")
    parser.add_argument("--json", type=Path, default=None, help="also write every figure here")
    args = parser.parse_args()
    if args.mode is None:
        sys.path.insert(0, str(ROOT))
        from workshop.serving import requested_mode

        args.mode = requested_mode()
    levels = args.phones or ([100] if args.quick else [100, 500, 1000])
    if args.quick:
        args.storm, args.steady, args.step = min(args.storm, 5.0), min(args.steady, 5.0), min(args.step, 2.0)
    raise_open_files()
    kinds = ["workshop"] if args.no_bare else ["bare", "workshop"]
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    single = [(kind, db) for kind in kinds for db in (databases if kind == "workshop" else ["sqlite"])]

    print(
        f"load: {os.cpu_count()} cores, Python {sys.version.split()[0]}, mode {args.mode}, "
        f"{args.generators} generator processes, levels {levels}",
        flush=True,
    )
    began = time.monotonic()
    rows: list[dict] = []
    fleet = Fleet(args.generators)
    try:
        with tempfile.TemporaryDirectory(prefix="workshop-load-") as folder:
            plan = (
                []
                if args.no_single
                else [(kind, n, 1, False, n == max(levels), db) for n in levels for kind, db in single]
            )
            if not args.no_multi:
                plan += [(kind, max(levels), 2, True, True, "postgresql") for kind in kinds]
            for kind, phones, processes, shared, ramp, database in plan:
                print(
                    f"  {kind}: {phones} phones, {processes} process(es)"
                    f"{' on PostgreSQL + Redis' if shared else ' on ' + database}"
                    f" … ({time.monotonic() - began:.0f} s)",
                    flush=True,
                )
                rows += Run(args, fleet, kind, phones, processes, shared, ramp, Path(folder), database).execute()
    finally:
        fleet.close()
    print(markdown(rows, args))
    print(f"\n({time.monotonic() - began:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, default=str))


if __name__ == "__main__":
    main()
