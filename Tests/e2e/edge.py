"""Starting `edge dev` for the end-to-end suites, and small synchronous clients for its HTTP API.

The server is the real binary (`swift build --product edge`), started on 127.0.0.1 with a fresh
state directory (`--persist-to`), and stopped after. Nothing here imports the app: tests talk to it
over the contract (counterfire-api.md) and, where allowed, the emulator's control API.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "wrangler-like.toml"
ARTIFACTS = REPO / "test-artifacts"
RESTAURANT = "demo"
KITCHEN_KEY = "demo-kitchen-key"
READY = re.compile(r"Ready on (https?://[^\s]+)")
START_TIMEOUT = float(os.environ.get("EDGE_START_TIMEOUT", "120"))

_bin_path: Path | None = None


def edge_binary() -> Path:
    """The `edge` executable: $EDGE_BIN, or `swift build --show-bin-path`/edge (built beforehand)."""
    global _bin_path
    if os.environ.get("EDGE_BIN"):
        return Path(os.environ["EDGE_BIN"])
    if _bin_path is None:
        out = subprocess.run(
            ["swift", "build", "--show-bin-path"], cwd=REPO, capture_output=True, text=True, timeout=300
        )
        if out.returncode != 0:
            raise RuntimeError(f"swift build --show-bin-path failed:\n{out.stderr}")
        _bin_path = Path(out.stdout.strip().splitlines()[-1]) / "edge"
    if not _bin_path.exists():
        raise RuntimeError(f"{_bin_path} does not exist: run `swift build --product edge` first (scripts/e2e.sh does)")
    return _bin_path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EdgeDev:
    """One `edge dev` process with its own state directory."""

    def __init__(self, name: str = "edge"):
        self.name = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[-120:]
        self.state_dir = Path(tempfile.mkdtemp(prefix="edge-e2e-"))
        self.proc: subprocess.Popen | None = None
        self.base_url = ""
        self.port = 0
        self.output: list[str] = []
        self._ready = threading.Event()
        self._reader: threading.Thread | None = None
        (ARTIFACTS / "server-logs").mkdir(parents=True, exist_ok=True)
        self.log_path = ARTIFACTS / "server-logs" / f"{self.name}.log"
        self.log_path.unlink(missing_ok=True)

    @property
    def sqlite_path(self) -> Path:
        return self.state_dir / "d1" / "counterfire.sqlite"

    def start(self) -> "EdgeDev":
        binary = edge_binary()
        try:
            self._launch(binary, 0)
        except RuntimeError as first:
            if self.proc is not None and self.proc.poll() is None:
                raise
            # `--port 0` refused: pick a free port ourselves.
            try:
                self._launch(binary, free_port())
            except RuntimeError as second:
                raise RuntimeError(f"{first}\n--- retry with a fixed port ---\n{second}") from None
        return self

    def _launch(self, binary: Path, port: int) -> None:
        self._ready.clear()
        self.output = []
        cmd = [
            str(binary), "dev",
            "--config", str(CONFIG),
            "--persist-to", str(self.state_dir),
            "--port", str(port),
        ]
        self.proc = subprocess.Popen(
            cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, args=(self.proc,), daemon=True)
        self._reader.start()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._ready.wait(0.1):
                break
            if self.proc.poll() is not None:
                self._reader.join(2)
                raise RuntimeError(
                    f"`{' '.join(cmd)}` exited with {self.proc.returncode} before it was ready:\n" + "".join(self.output[-60:])
                )
        else:
            self.stop()
            raise RuntimeError(f"`{' '.join(cmd)}` printed no 'Ready on' in {START_TIMEOUT:.0f} s:\n" + "".join(self.output[-60:]))
        url = self.base_url.rstrip("/")
        self.base_url = url.replace("://localhost", "://127.0.0.1")
        self.port = int(url.rsplit(":", 1)[1].split("/")[0])

    def _read(self, proc: subprocess.Popen) -> None:
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write(f"=== {' '.join(proc.args)}\n")
            assert proc.stdout is not None
            for line in proc.stdout:
                self.output.append(line)
                log.write(line)
                log.flush()
                match = READY.search(line)
                if match and not self._ready.is_set():
                    self.base_url = match.group(1)
                    self._ready.set()

    def stop(self) -> None:
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        if self._reader is not None:
            self._reader.join(5)
        self.proc = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.state_dir, ignore_errors=True)

    def tail(self, lines: int = 40) -> str:
        return "".join(self.output[-lines:])


# MARK: a synchronous client (browser tests; the protocol suite uses aiohttp)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self) -> str:
        return f"Reply({self.status}, {self.body[:500]!r})"


def http(method: str, url: str, body: Any = None, headers: dict[str, str] | None = None, timeout: float = 30) -> Reply:
    data = None
    hdrs = dict(headers or {})
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        hdrs.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=data, method=method, headers=hdrs)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


class Api:
    """The contract's routes, for setting up and checking browser tests."""

    def __init__(self, base_url: str, restaurant: str = RESTAURANT, key: str = KITCHEN_KEY):
        self.base_url = base_url.rstrip("/")
        self.restaurant = restaurant
        self.key = key
        self.created: list[str] = []

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def create(self, *items: tuple[str, int] | tuple[str, int, str], customer: str | None = None,
               idempotency_key: str | None = None) -> dict:
        lines = []
        for item in items or (("Burger", 1),):
            line: dict[str, Any] = {"name": item[0], "quantity": item[1]}
            if len(item) > 2:
                line["notes"] = item[2]
            lines.append(line)
        body: dict[str, Any] = {"items": lines}
        if customer is not None:
            body["customer_name"] = customer
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        reply = http("POST", f"{self.base_url}/v1/restaurants/{self.restaurant}/orders", body, headers)
        assert reply.status in (200, 201), f"create order: {reply}"
        created = reply.json
        if created["order"]["id"] not in self.created:
            self.created.append(created["order"]["id"])
        return created

    def status(self, order_id: str, status: str, expected_seq: int | None = None) -> Reply:
        body: dict[str, Any] = {"status": status}
        if expected_seq is not None:
            body["expected_seq"] = expected_seq
        return http("POST", f"{self.base_url}/v1/orders/{order_id}/status", body, self.auth)

    def advance(self, order_id: str, *statuses: str) -> dict:
        result = None
        for status in statuses:
            reply = self.status(order_id, status)
            assert reply.status == 200, f"{order_id} -> {status}: {reply}"
            result = reply.json
        return result["order"] if result else {}

    def order(self, order_id: str) -> dict:
        reply = http("GET", f"{self.base_url}/v1/orders/{order_id}", headers=self.auth)
        assert reply.status == 200, f"GET order {order_id}: {reply}"
        return reply.json

    def truth(self) -> "Truth":
        """The log, read back over the API for every order created through this client."""
        open_tickets: dict[str, dict] = {}
        events: list[dict] = []
        for order_id in self.created:
            body = self.order(order_id)
            events.extend(body["events"])
            ticket = body["order"]
            if ticket["status"] not in ("completed", "cancelled"):
                open_tickets[order_id] = {"status": ticket["status"], "seq": ticket["seq"], "number": ticket["number"]}
        last_cursor = max((e["cursor"] for e in events), default=0)
        return Truth(open_tickets, last_cursor, sorted((e["order_id"], e["seq"], e["cursor"]) for e in events))


@dataclass
class Truth:
    open: dict[str, dict]
    last_cursor: int
    events: list[tuple[str, int, int]]


def log_from_sqlite(path: Path, restaurant: str = RESTAURANT) -> tuple[dict[str, dict], list[tuple[str, int, int]]] | None:
    """Open tickets and the event log read straight from D1's file, or None when it is elsewhere."""
    if not path.exists():
        return None
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        rows = db.execute(
            "SELECT id, status, seq, number FROM orders WHERE restaurant_id = ? AND status NOT IN ('completed', 'cancelled')",
            (restaurant,),
        ).fetchall()
        events = db.execute(
            "SELECT order_id, seq, cursor FROM order_event WHERE restaurant_id = ? ORDER BY order_id, seq", (restaurant,)
        ).fetchall()
    finally:
        db.close()
    return ({r[0]: {"status": r[1], "seq": r[2], "number": r[3]} for r in rows}, sorted(tuple(e) for e in events))


class Control:
    """The emulator's control API (loopback only)."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")

    def objects(self) -> Any:
        reply = http("GET", f"{self.base_url}/cdn-cgi/edge/durable-objects")
        assert reply.status == 200, f"list objects: {reply}"
        return reply.json

    def evict(self, name: str = RESTAURANT, websockets: str = "close", binding: str = "ORDER_HUB") -> Reply:
        reply = http("POST", f"{self.base_url}/cdn-cgi/edge/durable-objects/{binding}/evict",
                     {"name": name, "websockets": websockets})
        assert reply.status == 200, f"evict {name} ({websockets}): {reply}"
        return reply

    def reset(self, name: str = RESTAURANT, websockets: str = "close", binding: str = "ORDER_HUB") -> Reply:
        reply = http("POST", f"{self.base_url}/cdn-cgi/edge/durable-objects/{binding}/reset",
                     {"name": name, "websockets": websockets})
        assert reply.status == 200, f"reset {name}: {reply}"
        return reply
