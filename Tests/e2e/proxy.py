"""An in-process TCP proxy between the browser and `edge dev`, which a test can cut.

browser -> 127.0.0.1:<proxy port> -> proxy -> server. The proxy runs its own asyncio loop in a
thread (Playwright's sync API owns the test thread), and the test calls:

- ``cut("rst")``: every open socket is reset (RST, both sides) and new ones are reset on accept:
  "the server is unreachable". WebSocket and EventSource notice at once.
- ``cut("blackhole")``: nothing is forwarded and nothing is closed: a silent drop. Neither browser
  API notices; only the page's watchdog does. New connections are accepted and hang.
- ``held()``: after a blackhole, waits until no write the proxy began before the cut is still
  going: from then on every byte is held.
- ``restore()``: forwarding resumes; whatever a blackhole held is delivered, in order.
- ``rewind = k``: on each new connection whose request line carries ``after=N``, rewrite it to
  ``after=max(0, N - k)``: a server that re-sends events the client already has (at-least-once
  delivery). The page must ignore them by (order_id, seq).

See shared/reference/browser-e2e.md for why drops are simulated below the browser.
"""

from __future__ import annotations

import asyncio
import re
import socket
import struct
import threading
from dataclasses import dataclass, field

AFTER = re.compile(rb"^(GET [^ \r\n]*?[?&]after=)(\d+)")


@dataclass(eq=False)
class _Pair:
    client: asyncio.StreamWriter
    upstream: asyncio.StreamWriter
    dead: bool = False
    tasks: list = field(default_factory=list)


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with RST (SO_LINGER 0), not FIN."""
    try:
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    writer.transport.abort()


class TcpProxy:
    def __init__(self, upstream_host: str, upstream_port: int):
        self.upstream = (upstream_host, upstream_port)
        self.port = 0
        self.mode = "open"
        self.rewind: int | None = None
        self.accepted = 0
        self.refused = 0
        self.rewinds = 0
        self._pairs: set[_Pair] = set()
        self._tasks: set[asyncio.Task] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tcp-proxy", daemon=True)
        self._server: asyncio.AbstractServer | None = None
        self._flowing: asyncio.Event | None = None
        # Writes to a destination under way (between `write` and the end of `drain`), and the
        # condition a blackhole waits on for them to end.
        self._writing = 0
        self._written: asyncio.Condition | None = None

    # MARK: test API (called from the test thread)

    def start(self) -> "TcpProxy":
        self._thread.start()
        self._call(self._start())
        return self

    def cut(self, mode: str) -> None:
        assert mode in ("rst", "blackhole"), mode
        self._call(self._cut(mode))

    def held(self, timeout: float = 10.0) -> None:
        """Waits until a blackhole holds everything: no write begun before the cut is under way."""
        assert self.mode == "blackhole", self.mode
        self._call(asyncio.wait_for(self._held(), timeout))

    def restore(self) -> None:
        self._call(self._restore())

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        try:
            self._call(self._stop())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=15)

    # MARK: inside the loop

    async def _start(self) -> None:
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._written = asyncio.Condition()
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _cut(self, mode: str) -> None:
        self.mode = mode
        if mode == "rst":
            for pair in list(self._pairs):
                self._kill(pair)
            self._flowing.set()  # wake pumps held by an earlier blackhole: their pairs are dead
        else:
            self._flowing.clear()

    async def _held(self) -> None:
        async with self._written:
            await self._written.wait_for(lambda: self._writing == 0)

    async def _restore(self) -> None:
        self.mode = "open"
        self._flowing.set()

    async def _stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for pair in list(self._pairs):
            self._kill(pair)
        self._flowing.set()
        tasks = [t for t in self._tasks if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._server is not None:
            await asyncio.wait_for(self._server.wait_closed(), 5)

    def _kill(self, pair: _Pair) -> None:
        pair.dead = True
        _reset(pair.client)
        _reset(pair.upstream)
        self._pairs.discard(pair)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self._tasks.add(task)
        try:
            await self._serve(reader, writer)
        finally:
            self._tasks.discard(task)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.mode == "rst":
            self.refused += 1
            _reset(writer)
            return
        self.accepted += 1
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            _reset(writer)
            return
        pair = _Pair(writer, up_writer)
        if self.mode == "rst":  # cut while connecting
            self._kill(pair)
            return
        self._pairs.add(pair)
        await asyncio.gather(
            self._pump(reader, up_writer, pair, to_upstream=True),
            self._pump(up_reader, writer, pair, to_upstream=False),
            return_exceptions=True,
        )
        if not pair.dead:
            pair.dead = True
            self._pairs.discard(pair)
            for w in (writer, up_writer):
                try:
                    w.close()
                except OSError:
                    pass

    async def _pump(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter, pair: _Pair, to_upstream: bool) -> None:
        first = True
        try:
            while True:
                data = await src.read(65536)
                await self._flowing.wait()  # a blackhole holds the data here, and stops reading
                if pair.dead:
                    return
                if not data:
                    if dst.can_write_eof():
                        dst.write_eof()
                    return
                if first and to_upstream and self.rewind:
                    data = self._rewound(data)
                first = False
                self._writing += 1
                try:
                    dst.write(data)
                    await dst.drain()
                finally:
                    self._writing -= 1
                    async with self._written:
                        self._written.notify_all()
        except (ConnectionError, OSError):
            if not pair.dead:
                self._kill(pair)

    def _rewound(self, data: bytes) -> bytes:
        match = AFTER.match(data)
        if not match:
            return data
        after = int(match.group(2))
        self.rewinds += 1
        return data[: match.start(2)] + str(max(0, after - int(self.rewind or 0))).encode() + data[match.end(2):]
