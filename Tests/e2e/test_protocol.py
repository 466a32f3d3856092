"""Black-box protocol suite for CounterFire's HTTP contract (shared/counterfire-api.md).

No browser: aiohttp for HTTP, Server-Sent Events (read line by line) and WebSocket. Runs against
`--base-url` / $COUNTERFIRE_BASE_URL, or a local `edge dev` it starts itself. The emulator's control
API is used only by the tests marked `control` (local server, or `--control`).

Every test uses its own orders, so tests do not depend on each other; those that count events on the
restaurant-wide log assume no other writer to restaurant `demo` while they run.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
import threading
import uuid
from typing import Any

import aiohttp
import pytest

RID = "demo"
KEY = "demo-kitchen-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
TIMEOUT = aiohttp.ClientTimeout(total=60, sock_read=30)
TERMINAL = {"completed", "cancelled"}
ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
TICKET_KEYS = {"id", "restaurant_id", "number", "status", "items", "seq", "created_at", "updated_at", "status_times"}
EVENT_KEYS = {"order_id", "seq", "cursor", "type", "status", "at"}
TRACKER_KEYS = {"order_id", "number", "status", "seq", "status_times"}


def async_test(fn):
    """Runs an async test body in a fresh event loop on its own thread, bounded in time.

    Its own thread, because Playwright's sync API (the browser suite, same session) keeps an
    event loop running on the main thread, where asyncio.run() is refused.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                outcome["value"] = asyncio.run(asyncio.wait_for(fn(*args, **kwargs), timeout=120))
            except BaseException as error:  # re-raised on the test's thread
                outcome["error"] = error

        thread = threading.Thread(target=run, name=fn.__name__)
        thread.start()
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")

    return wrapper


# MARK: clients


class Client:
    def __init__(self, session: aiohttp.ClientSession, base_url: str):
        self.s = session
        self.base = base_url

    def url(self, path: str) -> str:
        return self.base + path

    async def request(self, method: str, path: str, *, json_body: Any = None, data: Any = None,
                      headers: dict | None = None) -> tuple[int, dict, Any, dict]:
        kwargs: dict[str, Any] = {"headers": headers or {}}
        if json_body is not None:
            kwargs["data"] = json.dumps(json_body)
            kwargs["headers"] = {"Content-Type": "application/json", **kwargs["headers"]}
        elif data is not None:
            kwargs["data"] = data
        async with self.s.request(method, self.url(path), **kwargs) as r:
            raw = await r.read()
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode("utf-8", "replace")
            return r.status, dict(r.headers), body, {"raw": raw}

    async def create(self, items=None, customer: str | None = None, key: str | None = None,
                     rid: str = RID) -> dict:
        body: dict[str, Any] = {"items": items or [{"name": "Burger", "quantity": 1}]}
        if customer is not None:
            body["customer_name"] = customer
        headers = {"Idempotency-Key": key} if key else {}
        status, _, reply, _ = await self.request("POST", f"/v1/restaurants/{rid}/orders", json_body=body, headers=headers)
        assert status == 201, (status, reply)
        return reply

    async def change(self, order_id: str, status: str, expected_seq: int | None = None) -> tuple[int, Any]:
        body: dict[str, Any] = {"status": status}
        if expected_seq is not None:
            body["expected_seq"] = expected_seq
        code, _, reply, _ = await self.request("POST", f"/v1/orders/{order_id}/status", json_body=body, headers=AUTH)
        return code, reply

    async def advance(self, order_id: str, *statuses: str) -> dict:
        reply = None
        for status in statuses:
            code, reply = await self.change(order_id, status)
            assert code == 200, (order_id, status, code, reply)
        return reply

    async def order(self, order_id: str) -> dict:
        code, _, reply, _ = await self.request("GET", f"/v1/orders/{order_id}", headers=AUTH)
        assert code == 200, (code, reply)
        return reply

    async def cursor_of(self, order_id: str) -> int:
        """The cursor of an order's latest event (from the contract's GET /v1/orders/{id})."""
        events = (await self.order(order_id))["events"]
        return max(e["cursor"] for e in events)

    async def latest_cursor(self) -> int:
        async with sse(self, "/v1/kds/stream?" + q(restaurant=RID, key=KEY)) as stream:
            first = await stream.next()
            assert first["event"] == "snapshot", first
            return int(first["id"])

    def kds_ws(self, after: str | int | None = None, **extra):
        params = {"restaurant": RID, "key": KEY, **extra}
        if after is not None:
            params["after"] = after
        return self.s.ws_connect(self.url("/v1/kds/stream?" + q(**params)), heartbeat=None, autoping=True)


def q(**params) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


class SSEStream:
    """Reads text/event-stream line by line (the spec's parsing, minus retry)."""

    def __init__(self, response: aiohttp.ClientResponse):
        self.response = response
        self.comments = 0
        self.abrupt = False

    async def next(self, timeout: float = 15, heartbeats: bool = False) -> dict:
        event: dict[str, Any] = {"event": "message", "id": None, "data": []}
        while True:
            try:
                line = await asyncio.wait_for(self.response.content.readline(), timeout)
            except aiohttp.ClientPayloadError as error:
                # The connection closed in the middle of the chunked body (no last chunk).
                self.abrupt = True
                raise EOFError(f"the event stream was cut off: {error}") from None
            if not line:
                raise EOFError("the event stream ended")
            text = line.decode("utf-8").rstrip("\r\n")
            if text == "":
                if not event["data"]:
                    event = {"event": "message", "id": None, "data": []}
                    continue
                data = "\n".join(event["data"])
                result = {"event": event["event"], "id": event["id"], "data": json.loads(data)}
                if result["event"] == "heartbeat" and not heartbeats:
                    event = {"event": "message", "id": None, "data": []}
                    continue
                return result
            if text.startswith(":"):
                self.comments += 1
                continue
            name, _, value = text.partition(":")
            if value.startswith(" "):
                value = value[1:]
            if name == "event":
                event["event"] = value
            elif name == "data":
                event["data"].append(value)
            elif name == "id":
                event["id"] = value


class sse:
    def __init__(self, client: Client, path: str, headers: dict | None = None):
        self.client, self.path, self.headers = client, path, headers or {}

    async def __aenter__(self) -> SSEStream:
        self.cm = self.client.s.get(self.client.url(self.path), headers={"Accept": "text/event-stream", **self.headers})
        self.response = await self.cm.__aenter__()
        assert self.response.status == 200, (self.response.status, await self.response.text())
        assert self.response.headers.get("Content-Type", "").startswith("text/event-stream"), self.response.headers
        return SSEStream(self.response)

    async def __aexit__(self, *exc):
        self.response.close()
        await self.cm.__aexit__(*exc)


async def ws_next(ws: aiohttp.ClientWebSocketResponse, timeout: float = 15) -> dict:
    while True:
        msg = await ws.receive(timeout=timeout)
        if msg.type == aiohttp.WSMsgType.TEXT:
            if msg.data == "pong":
                continue
            return json.loads(msg.data)
        if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.ERROR):
            raise EOFError(f"WebSocket closed: {msg.type} {msg.data} {msg.extra}")


class session:
    def __init__(self, target):
        self.target = target

    async def __aenter__(self) -> Client:
        self.s = aiohttp.ClientSession(timeout=TIMEOUT)
        return Client(self.s, self.target.base_url)

    async def __aexit__(self, *exc):
        await self.s.close()


def assert_error(status: int, body: Any, expected_status: int, code: str | None = None, field: str | None = None):
    assert status == expected_status, (status, body)
    assert isinstance(body, dict) and set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message"}, error
    assert isinstance(error["code"], str) and re.fullmatch(r"[a-z][a-z0-9_]*", error["code"]), error
    assert isinstance(error["message"], str) and error["message"], error
    if code is not None:
        assert error["code"] == code, error
    if field is not None:
        assert field in error["message"], f"the message should name {field!r}: {error}"


def assert_ticket(ticket: dict, status: str | None = None, seq: int | None = None):
    assert TICKET_KEYS <= set(ticket) <= TICKET_KEYS | {"customer_name"}, ticket
    assert ticket["restaurant_id"] == RID
    for key in ("created_at", "updated_at"):
        assert ISO_MS.match(ticket[key]), ticket[key]
    for name, at in ticket["status_times"].items():
        assert name in {"received", "preparing", "ready", "completed", "cancelled"}, name
        assert ISO_MS.match(at), at
    assert ticket["status"] in ticket["status_times"], ticket
    if status is not None:
        assert ticket["status"] == status, ticket
    if seq is not None:
        assert ticket["seq"] == seq, ticket


def assert_event(event: dict):
    assert set(event) == EVENT_KEYS, event
    assert event["type"] == ("order.created" if event["seq"] == 1 else "order.status_changed"), event
    assert ISO_MS.match(event["at"]), event


# MARK: basics


@async_test
async def test_health(target):
    async with session(target) as c:
        status, headers, body, _ = await c.request("GET", "/v1/health")
        assert status == 200 and body == {"ok": True}
        assert headers.get("Content-Type", "").startswith("application/json")


@async_test
async def test_pages_are_served(target):
    async with session(target) as c:
        created = await c.create()
        for path, marker in [("/", "order-form"), ("/kds", "kds.js"), (f"/track/{created['tracker_token']}", "track.js"),
                             ("/stream-client.js", "ResilientStream")]:
            async with c.s.get(c.url(path)) as r:
                text = await r.text()
                assert r.status == 200, (path, r.status, text[:300])
                assert marker in text, (path, text[:300])


# MARK: create


@async_test
async def test_create_order_shape(target):
    async with session(target) as c:
        items = [{"name": "Burger", "quantity": 2, "notes": "no onions"}, {"name": "Fries", "quantity": 1}]
        status, headers, body, _ = await c.request(
            "POST", f"/v1/restaurants/{RID}/orders", json_body={"items": items, "customer_name": "Ana"})
        assert status == 201, body
        assert headers.get("Content-Type", "").startswith("application/json")
        assert set(body) == {"order", "tracker_token", "tracker_url"}, body
        ticket = body["order"]
        assert_ticket(ticket, status="received", seq=1)
        assert ticket["items"] == items
        assert ticket["customer_name"] == "Ana"
        assert set(ticket["status_times"]) == {"received"}
        assert isinstance(ticket["number"], int) and ticket["number"] >= 1
        token = body["tracker_token"]
        assert len(token) >= 22 and re.fullmatch(r"[A-Za-z0-9_-]+", token), token
        assert body["tracker_url"].endswith(f"/track/{token}"), body["tracker_url"]
        # The order's log: exactly its creation.
        read = await c.order(ticket["id"])
        assert read["order"] == ticket
        assert len(read["events"]) == 1
        event = read["events"][0]
        assert_event(event)
        assert event["order_id"] == ticket["id"] and event["seq"] == 1 and event["status"] == "received"
        assert event["at"] == ticket["created_at"]


@async_test
async def test_numbers_increase_and_tokens_differ(target):
    async with session(target) as c:
        orders = [await c.create() for _ in range(3)]
        numbers = [o["order"]["number"] for o in orders]
        assert numbers == sorted(numbers) and len(set(numbers)) == 3, numbers
        assert len({o["tracker_token"] for o in orders}) == 3
        assert len({o["order"]["id"] for o in orders}) == 3
        cursors = [await c.cursor_of(o["order"]["id"]) for o in orders]
        assert cursors == sorted(cursors) and len(set(cursors)) == 3, cursors


def _item(**overrides):
    item = {"name": "Burger", "quantity": 1}
    item.update(overrides)
    return {k: v for k, v in item.items() if v is not ...}


BAD_BODIES = [
    ("missing items", {}, "items"),
    ("items not an array", {"items": {"name": "x"}}, "items"),
    ("empty items", {"items": []}, "items"),
    ("51 items", {"items": [_item()] * 51}, "items"),
    ("item not an object", {"items": ["Burger"]}, "items[0]"),
    ("missing name", {"items": [_item(name=...)]}, "name"),
    ("empty name", {"items": [_item(name="")]}, "name"),
    ("name too long", {"items": [_item(name="x" * 101)]}, "name"),
    ("name not a string", {"items": [_item(name=5)]}, "name"),
    ("missing quantity", {"items": [_item(quantity=...)]}, "quantity"),
    ("quantity 0", {"items": [_item(quantity=0)]}, "quantity"),
    ("quantity 100", {"items": [_item(quantity=100)]}, "quantity"),
    ("quantity 1.5", {"items": [_item(quantity=1.5)]}, "quantity"),
    ("quantity string", {"items": [_item(quantity="2")]}, "quantity"),
    ("quantity negative", {"items": [_item(quantity=-1)]}, "quantity"),
    ("notes too long", {"items": [_item(notes="n" * 201)]}, "notes"),
    ("notes not a string", {"items": [_item(notes=3)]}, "notes"),
    ("customer_name too long", {"items": [_item()], "customer_name": "c" * 81}, "customer_name"),
    ("customer_name not a string", {"items": [_item()], "customer_name": 7}, "customer_name"),
    ("unknown field", {"items": [_item()], "table": 4}, "table"),
    ("unknown item field", {"items": [_item(color="red")]}, "color"),
    ("body not an object", [_item()], None),
]


@pytest.mark.parametrize("name,body,field", BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
@async_test
async def test_create_rejects_bad_fields(target, name, body, field):
    async with session(target) as c:
        status, _, reply, _ = await c.request("POST", f"/v1/restaurants/{RID}/orders", json_body=body)
        assert_error(status, reply, 400, field=field)


@async_test
async def test_create_accepts_the_limits(target):
    async with session(target) as c:
        items = [_item(name="x" * 100, quantity=99, notes="n" * 200)] + [_item(quantity=1)] * 49
        status, _, reply, _ = await c.request(
            "POST", f"/v1/restaurants/{RID}/orders", json_body={"items": items, "customer_name": "c" * 80})
        assert status == 201, reply
        assert len(reply["order"]["items"]) == 50
        # Multi-byte characters count as characters, not bytes.
        status, _, reply, _ = await c.request(
            "POST", f"/v1/restaurants/{RID}/orders", json_body={"items": [_item(name="é" * 100)], "customer_name": "ü" * 80})
        assert status == 201, reply


@async_test
async def test_create_rejects_invalid_json(target):
    async with session(target) as c:
        for raw in (b"{", b"", b"items=1", b'{"items": [}'):
            status, _, reply, _ = await c.request(
                "POST", f"/v1/restaurants/{RID}/orders", data=raw, headers={"Content-Type": "application/json"})
            assert_error(status, reply, 400)


@async_test
async def test_create_rejects_large_body(target):
    async with session(target) as c:
        pad = "x" * (64 * 1024)
        raw = json.dumps({"items": [_item(notes=pad)]}).encode()
        assert len(raw) > 64 * 1024
        status, _, reply, _ = await c.request(
            "POST", f"/v1/restaurants/{RID}/orders", data=raw, headers={"Content-Type": "application/json"})
        assert_error(status, reply, 413)

        async def chunks():  # no Content-Length: the limit must hold while reading
            for i in range(0, len(raw), 8192):
                yield raw[i:i + 8192]

        status, _, reply, _ = await c.request(
            "POST", f"/v1/restaurants/{RID}/orders", data=chunks(), headers={"Content-Type": "application/json"})
        assert_error(status, reply, 413)


@async_test
async def test_create_rejects_other_content_types(target):
    async with session(target) as c:
        raw = json.dumps({"items": [_item()]}).encode()
        for content_type in ("text/plain", "application/x-www-form-urlencoded"):
            status, _, reply, _ = await c.request(
                "POST", f"/v1/restaurants/{RID}/orders", data=raw, headers={"Content-Type": content_type})
            assert_error(status, reply, 415)
        # With a charset parameter, JSON is JSON.
        status, _, reply, _ = await c.request(
            "POST", f"/v1/restaurants/{RID}/orders", data=raw, headers={"Content-Type": "application/json; charset=utf-8"})
        assert status == 201, reply


@async_test
async def test_create_unknown_restaurant(target):
    async with session(target) as c:
        for rid in ("no-such-place", "Not_A_Slug"):
            status, _, reply, _ = await c.request("POST", f"/v1/restaurants/{rid}/orders", json_body={"items": [_item()]})
            assert_error(status, reply, 404)


# MARK: idempotency


@async_test
async def test_idempotency_key(target):
    async with session(target) as c:
        key = f"test-{uuid.uuid4()}"
        body = {"items": [_item(name="Soup", quantity=2)], "customer_name": "Bo"}
        path = f"/v1/restaurants/{RID}/orders"
        s1, _, first, _ = await c.request("POST", path, json_body=body, headers={"Idempotency-Key": key})
        assert s1 == 201, first
        order_id = first["order"]["id"]
        first_cursor = await c.cursor_of(order_id)

        s2, _, again, _ = await c.request("POST", path, json_body=body, headers={"Idempotency-Key": key})
        assert s2 == 200, again
        assert again["order"]["id"] == order_id
        assert again["tracker_token"] == first["tracker_token"]
        assert again["order"]["number"] == first["order"]["number"]

        # Same body written differently (key order, spacing) is the same request.
        respelled = json.dumps({"customer_name": "Bo", "items": [{"quantity": 2, "name": "Soup"}]}, indent=2).encode()
        s3, _, third, _ = await c.request("POST", path, data=respelled,
                                          headers={"Idempotency-Key": key, "Content-Type": "application/json"})
        assert s3 == 200 and third["order"]["id"] == order_id, third

        # Nothing was written by the replays: the order has one event, and the next write takes
        # the very next cursor.
        assert len((await c.order(order_id))["events"]) == 1
        probe = await c.create()
        assert await c.cursor_of(probe["order"]["id"]) == first_cursor + 1

        s4, _, conflict, _ = await c.request("POST", path, json_body={"items": [_item(name="Soup", quantity=3)]},
                                             headers={"Idempotency-Key": key})
        assert_error(s4, conflict, 409, code="idempotency_conflict")


@async_test
async def test_idempotency_key_length(target):
    async with session(target) as c:
        path = f"/v1/restaurants/{RID}/orders"
        status, _, reply, _ = await c.request("POST", path, json_body={"items": [_item()]}, headers={"Idempotency-Key": "k" * 256})
        assert_error(status, reply, 400)
        key = ("k" * 223) + uuid.uuid4().hex
        assert len(key) == 255
        status, _, reply, _ = await c.request("POST", path, json_body={"items": [_item()]}, headers={"Idempotency-Key": key})
        assert status == 201, reply


@async_test
async def test_idempotency_concurrent_retries_make_one_order(target):
    async with session(target) as c:
        key = f"race-{uuid.uuid4()}"
        body = {"items": [_item(name="Race", quantity=1)]}
        replies = await asyncio.gather(*[
            c.request("POST", f"/v1/restaurants/{RID}/orders", json_body=body, headers={"Idempotency-Key": key})
            for _ in range(6)
        ])
        statuses = sorted(r[0] for r in replies)
        assert statuses.count(201) == 1 and statuses.count(200) == 5, statuses
        assert len({r[2]["order"]["id"] for r in replies}) == 1


# MARK: kitchen key


@async_test
async def test_kitchen_key_required(target):
    async with session(target) as c:
        order_id = (await c.create())["order"]["id"]
        wrong = {"Authorization": "Bearer not-the-key"}
        for headers in ({}, wrong, {"Authorization": "Basic ZGVtbzpkZW1v"}):
            status, _, reply, _ = await c.request("GET", f"/v1/orders/{order_id}", headers=headers)
            assert_error(status, reply, 401, code="unauthorized")
            status, _, reply, _ = await c.request(
                "POST", f"/v1/orders/{order_id}/status", json_body={"status": "preparing"}, headers=headers)
            assert_error(status, reply, 401, code="unauthorized")
            status, _, reply, _ = await c.request(
                "GET", "/v1/kds/stream?" + q(restaurant=RID), headers={**headers, "Accept": "text/event-stream"})
            assert_error(status, reply, 401)
        status, _, reply, _ = await c.request("GET", "/v1/kds/stream?" + q(restaurant=RID, key="nope"))
        assert_error(status, reply, 401)
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            async with c.s.ws_connect(c.url("/v1/kds/stream?" + q(restaurant=RID, key="nope"))):
                pass
        assert refused.value.status == 401
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            async with c.s.ws_connect(c.url("/v1/kds/stream?" + q(restaurant=RID))):
                pass
        assert refused.value.status == 401
        # The refused change wrote nothing.
        assert (await c.order(order_id))["order"]["status"] == "received"
        # The key works as a header and as ?key=.
        status, _, reply, _ = await c.request("GET", f"/v1/orders/{order_id}?key={KEY}")
        assert status == 200, reply


@async_test
async def test_unknown_order(target):
    async with session(target) as c:
        status, _, reply, _ = await c.request("GET", "/v1/orders/ord_does_not_exist", headers=AUTH)
        assert_error(status, reply, 404)
        status, _, reply, _ = await c.request(
            "POST", "/v1/orders/ord_does_not_exist/status", json_body={"status": "preparing"}, headers=AUTH)
        assert_error(status, reply, 404)
        status, _, reply, _ = await c.request(
            "GET", "/v1/kds/stream?" + q(restaurant="no-such-place", key=KEY), headers={"Accept": "text/event-stream"})
        assert status in (401, 404), (status, reply)  # either reveals nothing about other kitchens
        assert_error(status, reply, status)


# MARK: status changes


@async_test
async def test_status_transitions(target):
    async with session(target) as c:
        created = (await c.create())["order"]
        oid = created["id"]
        code, reply = await c.change(oid, "ready")
        assert_error(code, reply, 409, code="invalid_transition")
        code, reply = await c.change(oid, "preparing", expected_seq=5)
        assert_error(code, reply, 409, code="seq_conflict")

        code, reply = await c.change(oid, "preparing", expected_seq=1)
        assert code == 200, reply
        assert set(reply) == {"order", "event"}
        assert_ticket(reply["order"], status="preparing", seq=2)
        assert_event(reply["event"])
        assert reply["event"]["seq"] == 2 and reply["event"]["status"] == "preparing"
        assert reply["order"]["updated_at"] == reply["event"]["at"] == reply["order"]["status_times"]["preparing"]

        # A retried tap: 200, "event": null, nothing written.
        code, reply = await c.change(oid, "preparing", expected_seq=1)
        assert code == 200 and reply["event"] is None and reply["order"]["seq"] == 2, reply
        code, reply = await c.change(oid, "preparing")
        assert code == 200 and reply["event"] is None, reply

        code, reply = await c.change(oid, "received")
        assert_error(code, reply, 409, code="invalid_transition")
        code, reply = await c.change(oid, "ready", expected_seq=1)
        assert_error(code, reply, 409, code="seq_conflict")
        await c.advance(oid, "ready", "completed")
        for status in ("cancelled", "preparing", "received"):
            code, reply = await c.change(oid, status)
            assert_error(code, reply, 409, code="invalid_transition")

        read = await c.order(oid)
        assert [e["seq"] for e in read["events"]] == [1, 2, 3, 4]
        assert [e["status"] for e in read["events"]] == ["received", "preparing", "ready", "completed"]
        cursors = [e["cursor"] for e in read["events"]]
        assert cursors == sorted(cursors) and len(set(cursors)) == 4
        assert set(read["order"]["status_times"]) == {"received", "preparing", "ready", "completed"}

        # Cancel is allowed from received, preparing and ready.
        for path in ([], ["preparing"], ["preparing", "ready"]):
            other = (await c.create())["order"]["id"]
            await c.advance(other, *path)
            reply = await c.advance(other, "cancelled")
            assert reply["order"]["status"] == "cancelled" and reply["event"]["seq"] == len(path) + 2


@async_test
async def test_status_change_rejects_bad_bodies(target):
    async with session(target) as c:
        oid = (await c.create())["order"]["id"]
        for body, field in [({}, "status"), ({"status": "cooking"}, "status"), ({"status": 3}, "status"),
                            ({"status": "preparing", "expected_seq": 0}, "expected_seq"),
                            ({"status": "preparing", "expected_seq": "1"}, "expected_seq"),
                            ({"status": "preparing", "why": 1}, "why")]:
            status, _, reply, _ = await c.request("POST", f"/v1/orders/{oid}/status", json_body=body, headers=AUTH)
            assert_error(status, reply, 400, field=field)
        status, _, reply, _ = await c.request("POST", f"/v1/orders/{oid}/status", data=b"{",
                                              headers={**AUTH, "Content-Type": "application/json"})
        assert_error(status, reply, 400)
        status, _, reply, _ = await c.request("POST", f"/v1/orders/{oid}/status", data=b'{"status":"preparing"}',
                                              headers={**AUTH, "Content-Type": "text/plain"})
        assert_error(status, reply, 415)
        assert (await c.order(oid))["order"]["seq"] == 1


@async_test
async def test_concurrent_changes_make_one_event(target):
    async with session(target) as c:
        oid = (await c.create())["order"]["id"]
        replies = await asyncio.gather(*[c.change(oid, "preparing") for _ in range(8)])
        assert all(code == 200 for code, _ in replies), replies
        written = [r for _, r in replies if r["event"] is not None]
        assert len(written) == 1, replies
        # Racing different changes: exactly one of them wins per seq.
        replies = await asyncio.gather(*[c.change(oid, s, expected_seq=2) for s in ("ready", "cancelled", "ready", "cancelled")])
        winners = [r for code, r in replies if code == 200 and r["event"] is not None]
        assert len(winners) == 1, replies
        events = (await c.order(oid))["events"]
        assert [e["seq"] for e in events] == [1, 2, 3], events


# MARK: KDS stream


def _open_ids(tickets: list[dict]) -> dict[str, dict]:
    return {t["id"]: t for t in tickets}


async def _board_fixture(c: Client) -> dict[str, list[str]]:
    """Orders in each state: received, preparing, ready (open) and completed, cancelled (closed)."""
    made: dict[str, list[str]] = {}
    for status, path in [("received", []), ("preparing", ["preparing"]), ("ready", ["preparing", "ready"]),
                         ("completed", ["preparing", "ready", "completed"]), ("cancelled", ["cancelled"])]:
        oid = (await c.create(items=[{"name": f"{status} dish", "quantity": 1}]))["order"]["id"]
        await c.advance(oid, *path)
        made.setdefault(status, []).append(oid)
    return made


@async_test
async def test_kds_snapshot_websocket(target):
    async with session(target) as c:
        made = await _board_fixture(c)
        latest = await c.cursor_of(made["cancelled"][0])
        async with c.kds_ws() as ws:
            snap = await ws_next(ws)
            assert snap["type"] == "snapshot" and set(snap) == {"type", "cursor", "tickets"}, snap
            assert snap["cursor"] == latest
            _check_snapshot(snap["tickets"], made)


@async_test
async def test_kds_snapshot_sse(target):
    async with session(target) as c:
        made = await _board_fixture(c)
        latest = await c.cursor_of(made["cancelled"][0])
        async with sse(c, "/v1/kds/stream?" + q(restaurant=RID, key=KEY)) as stream:
            first = await stream.next()
            assert first["event"] == "snapshot" and first["id"] == str(latest), first
            assert first["data"]["type"] == "snapshot" and first["data"]["cursor"] == latest
            _check_snapshot(first["data"]["tickets"], made)
        # The header form of the key works for SSE too.
        async with sse(c, "/v1/kds/stream?" + q(restaurant=RID), headers=AUTH) as stream:
            assert (await stream.next())["event"] == "snapshot"


def _check_snapshot(tickets: list[dict], made: dict[str, list[str]]):
    by_id = _open_ids(tickets)
    assert len(by_id) == len(tickets), "a ticket appears twice in the snapshot"
    for status in ("received", "preparing", "ready"):
        for oid in made[status]:
            assert oid in by_id, f"open ticket {oid} ({status}) missing from the snapshot"
            assert_ticket(by_id[oid], status=status)
    for status in ("completed", "cancelled"):
        for oid in made[status]:
            assert oid not in by_id, f"closed ticket {oid} ({status}) in the snapshot"
    assert all(t["status"] not in TERMINAL for t in tickets)
    numbers = [t["number"] for t in tickets]
    assert numbers == sorted(numbers)


async def _make_events(c: Client, count_orders: int = 2) -> list[tuple[str, int]]:
    """Writes events and returns their (order_id, seq) in commit order."""
    done: list[tuple[str, int]] = []
    for _ in range(count_orders):
        oid = (await c.create())["order"]["id"]
        done.append((oid, 1))
        await c.advance(oid, "preparing")
        done.append((oid, 2))
    await c.advance(done[0][0], "ready")
    done.append((done[0][0], 3))
    await c.advance(done[0][0], "completed")
    done.append((done[0][0], 4))
    return done


@pytest.mark.parametrize("transport", ["ws", "sse"])
@async_test
async def test_kds_resume_after_cursor(target, transport):
    async with session(target) as c:
        start = await c.latest_cursor()
        written = await _make_events(c)
        n = len(written)
        if transport == "ws":
            async with c.kds_ws(after=start) as ws:
                got = [await ws_next(ws) for _ in range(n)]
                _check_replay([(m["cursor"], m) for m in got], start, written)
                live = (await c.create())["order"]["id"]
                msg = await ws_next(ws)
                assert msg["type"] == "event" and msg["cursor"] == start + n + 1 and msg["event"]["order_id"] == live, msg
        else:
            async with sse(c, "/v1/kds/stream?" + q(restaurant=RID, key=KEY, after=start)) as stream:
                got = [await stream.next() for _ in range(n)]
                assert all(e["event"] == "order" for e in got), got
                assert [int(e["id"]) for e in got] == [e["data"]["cursor"] for e in got]
                _check_replay([(e["data"]["cursor"], e["data"]) for e in got], start, written)
                live = (await c.create())["order"]["id"]
                e = await stream.next()
                assert e["event"] == "order" and e["data"]["cursor"] == start + n + 1, e
                assert e["data"]["event"]["order_id"] == live


def _check_replay(got: list[tuple[int, dict]], start: int, written: list[tuple[str, int]]):
    cursors = [cursor for cursor, _ in got]
    assert cursors == list(range(start + 1, start + 1 + len(written))), cursors
    pairs = [(m["event"]["order_id"], m["event"]["seq"]) for _, m in got]
    assert pairs == written, (pairs, written)
    for cursor, m in got:
        assert m["type"] == "event" and set(m) == {"type", "cursor", "event", "ticket"}, m
        assert_event(m["event"])
        assert m["event"]["cursor"] == cursor
        # The ticket is as of that event.
        assert m["ticket"]["id"] == m["event"]["order_id"]
        assert m["ticket"]["seq"] == m["event"]["seq"] and m["ticket"]["status"] == m["event"]["status"], m


@async_test
async def test_kds_sse_resume_with_last_event_id(target):
    async with session(target) as c:
        start = await c.latest_cursor()
        written = await _make_events(c, count_orders=1)
        async with sse(c, "/v1/kds/stream?" + q(restaurant=RID, key=KEY), headers={"Last-Event-ID": str(start)}) as stream:
            got = [await stream.next() for _ in range(len(written))]
            _check_replay([(e["data"]["cursor"], e["data"]) for e in got], start, written)
            live = (await c.create())["order"]["id"]
            e = await stream.next()
            assert e["data"]["cursor"] == start + len(written) + 1 and e["data"]["event"]["order_id"] == live, e


@async_test
async def test_kds_resume_at_the_head_gets_only_live_events(target):
    async with session(target) as c:
        head = await c.latest_cursor()
        async with c.kds_ws(after=head) as ws:
            live = (await c.create())["order"]["id"]
            msg = await ws_next(ws)
            assert msg["type"] == "event" and msg["cursor"] == head + 1 and msg["event"]["order_id"] == live, msg


@pytest.mark.parametrize("after", ["ahead", "abc", "-1", "1.5", ""])
@pytest.mark.parametrize("transport", ["ws", "sse"])
@async_test
async def test_kds_unservable_after_gets_a_snapshot(target, transport, after):
    async with session(target) as c:
        oid = (await c.create())["order"]["id"]
        head = await c.cursor_of(oid)
        value = str(head + 1000) if after == "ahead" else after
        if transport == "ws":
            async with c.kds_ws(after=value) as ws:
                msg = await ws_next(ws)
                assert msg["type"] == "snapshot" and msg["cursor"] == head, msg
                assert oid in _open_ids(msg["tickets"])
        else:
            async with sse(c, "/v1/kds/stream?" + q(restaurant=RID, key=KEY, after=value)) as stream:
                e = await stream.next()
                assert e["event"] == "snapshot" and e["id"] == str(head), e
                assert oid in _open_ids(e["data"]["tickets"])
            if after in ("ahead", "abc"):
                async with sse(c, "/v1/kds/stream?" + q(restaurant=RID, key=KEY), headers={"Last-Event-ID": value}) as stream:
                    e = await stream.next()
                    assert e["event"] == "snapshot" and e["id"] == str(head), e


@async_test
async def test_kds_streams_are_ordered_without_gaps_under_concurrent_writes(target):
    async with session(target) as c:
        head = await c.latest_cursor()
        async with c.kds_ws(after=head) as ws, \
                sse(c, "/v1/kds/stream?" + q(restaurant=RID, key=KEY, after=head)) as stream:
            async def one_order(i: int):
                oid = (await c.create(items=[{"name": f"load {i}", "quantity": 1}]))["order"]["id"]
                await c.advance(oid, "preparing", "ready", "completed" if i % 2 else "cancelled")
                return oid

            sem = asyncio.Semaphore(4)

            async def bounded(i):
                async with sem:
                    return await one_order(i)

            orders = await asyncio.gather(*[bounded(i) for i in range(8)])
            total = len(orders) * 4
            ws_got = [await ws_next(ws) for _ in range(total)]
            sse_got = [(await stream.next())["data"] for _ in range(total)]
        for got in (ws_got, sse_got):
            cursors = [m["cursor"] for m in got]
            assert cursors == list(range(head + 1, head + 1 + total)), cursors
            seqs: dict[str, list[int]] = {}
            for m in got:
                seqs.setdefault(m["event"]["order_id"], []).append(m["event"]["seq"])
            assert set(seqs) == set(orders)
            assert all(s == [1, 2, 3, 4] for s in seqs.values()), seqs


@async_test
async def test_websocket_ping_pong(target):
    async with session(target) as c:
        async with c.kds_ws() as ws:
            assert (await ws_next(ws))["type"] == "snapshot"
            await ws.send_str("ping")
            msg = await ws.receive(timeout=10)
            assert msg.type == aiohttp.WSMsgType.TEXT and msg.data == "pong", msg


@async_test
async def test_sse_heartbeat_event(target):
    """The pages' watchdog needs a visible event: the hub sends `event: heartbeat` every 5 s."""
    async with session(target) as c:
        async with sse(c, "/v1/kds/stream?" + q(restaurant=RID, key=KEY)) as stream:
            assert (await stream.next())["event"] == "snapshot"
            beat = await stream.next(timeout=12, heartbeats=True)
            assert beat["event"] == "heartbeat" and beat["id"] is None, beat
            assert beat["data"]["type"] == "heartbeat"


# MARK: tracker


@async_test
async def test_tracker_view(target):
    async with session(target) as c:
        created = await c.create(customer="Private Person")
        token = created["tracker_token"]
        status, _, body, _ = await c.request("GET", f"/v1/track/{token}")
        assert status == 200 and set(body) == {"order"}, body
        view = body["order"]
        assert set(view) == TRACKER_KEYS, view  # nothing about the kitchen, the items or the customer
        assert view["order_id"] == created["order"]["id"] and view["number"] == created["order"]["number"]
        assert view["status"] == "received" and view["seq"] == 1
        await c.advance(view["order_id"], "preparing")
        status, _, body, _ = await c.request("GET", f"/v1/track/{token}")
        assert body["order"]["status"] == "preparing" and body["order"]["seq"] == 2
        for bad in ("A" * 32, token[:-1] + ("A" if token[-1] != "A" else "B"), "x"):
            status, _, reply, _ = await c.request("GET", f"/v1/track/{bad}")
            assert_error(status, reply, 404)
            status, _, reply, _ = await c.request("GET", f"/v1/track/{bad}/stream", headers={"Accept": "text/event-stream"})
            assert_error(status, reply, 404)


@async_test
async def test_tracker_stream_and_resume(target):
    async with session(target) as c:
        created = await c.create()
        oid, token = created["order"]["id"], created["tracker_token"]
        other = (await c.create())["order"]["id"]
        path = f"/v1/track/{token}/stream"
        async with sse(c, path) as stream:
            snap = await stream.next()
            assert snap["event"] == "snapshot" and snap["id"] == "1", snap
            assert snap["data"]["type"] == "snapshot" and set(snap["data"]["order"]) == TRACKER_KEYS
            await c.advance(other, "preparing")  # another order's events never show up here
            await c.advance(oid, "preparing")
            e = await stream.next()
            assert e["event"] == "order" and e["id"] == "2", e
            assert set(e["data"]) == {"type", "event", "order"} and e["data"]["type"] == "event"
            assert e["data"]["event"]["order_id"] == oid and e["data"]["event"]["seq"] == 2
            assert e["data"]["order"]["status"] == "preparing" and e["data"]["order"]["seq"] == 2
        await c.advance(oid, "ready", "completed")
        async with sse(c, path, headers={"Last-Event-ID": "2"}) as stream:
            got = [await stream.next() for _ in range(2)]
            assert [g["id"] for g in got] == ["3", "4"], got
            assert [g["data"]["order"]["status"] for g in got] == ["ready", "completed"]
        # `?after=` (what the tracker page sends) resumes the same way.
        async with sse(c, path + "?after=3") as stream:
            e = await stream.next()
            assert e["id"] == "4" and e["data"]["event"]["seq"] == 4, e
        # A resume point beyond the order's seq, or garbage: a snapshot.
        for bad in ("9", "zz"):
            async with sse(c, path, headers={"Last-Event-ID": bad}) as stream:
                e = await stream.next()
                assert e["event"] == "snapshot" and e["id"] == "4", e


# MARK: hub lifecycle (control API)


@pytest.mark.control
@pytest.mark.parametrize("how", ["evict-close", "evict-hibernate", "reset"])
@async_test
async def test_resume_across_hub_lifecycle(target, how):
    control = target.control
    async with session(target) as c:
        head = await c.latest_cursor()
        async with c.kds_ws(after=head) as ws, \
                sse(c, "/v1/kds/stream?" + q(restaurant=RID, key=KEY, after=head)) as stream:
            before = (await c.create())["order"]["id"]
            m = await ws_next(ws)
            assert m["cursor"] == head + 1 and m["event"]["order_id"] == before
            assert (await stream.next())["data"]["cursor"] == head + 1
            mode = "hibernate" if how == "evict-hibernate" else "close"
            loop = asyncio.get_running_loop()
            if how == "reset":
                await loop.run_in_executor(None, lambda: control.reset(websockets="close"))
            else:
                await loop.run_in_executor(None, lambda: control.evict(websockets=mode))
            written = await _make_events(c, count_orders=1)
            if how == "evict-hibernate":
                # The hibernated socket stays connected and gets every event once, in order.
                got = [await ws_next(ws) for _ in range(len(written))]
                _check_replay([(x["cursor"], x) for x in got], head + 1, written)
            else:
                # Closed: the socket ends (events sent before the close may come first).
                with pytest.raises(EOFError):
                    while True:
                        await ws_next(ws, timeout=15)
            # The old instance's event stream must not stall silently: it either delivers the
            # events written since, in order, or ends so that the client reconnects. Heartbeats
            # alone would keep a page's watchdog happy while it misses every change.
            got_sse: list[dict] = []
            ended = False
            deadline = loop.time() + 15
            while len(got_sse) < len(written):
                try:
                    e = await stream.next(timeout=max(0.1, deadline - loop.time()))
                except EOFError:
                    ended = True
                    break
                except asyncio.TimeoutError:
                    break
                got_sse.append(e["data"])
            if not ended:
                assert len(got_sse) == len(written), \
                    f"after {how}, the open SSE stream neither ended nor delivered the new events: got {got_sse}"
            if got_sse:
                _check_replay([(x["cursor"], x) for x in got_sse], head + 1, written[:len(got_sse)])
        # Whatever happened to the old streams, resuming from the last cursor applied yields
        # exactly the missed events, on both transports.
        async with c.kds_ws(after=head + 1) as ws:
            got = [await ws_next(ws) for _ in range(len(written))]
            _check_replay([(x["cursor"], x) for x in got], head + 1, written)
        async with sse(c, "/v1/kds/stream?" + q(restaurant=RID, key=KEY, after=head + 1)) as stream2:
            got = [(await stream2.next())["data"] for _ in range(len(written))]
            _check_replay([(x["cursor"], x) for x in got], head + 1, written)


# MARK: keep-alive


@async_test
async def test_keep_alive_sse_comment_and_websocket_ping(target):
    """The contract's keep-alive: an SSE comment line every 15 s, WebSocket pings (protocol frames)."""
    async with session(target) as c:
        async def sse_comment():
            async with sse(c, "/v1/kds/stream?" + q(restaurant=RID, key=KEY)) as stream:
                assert (await stream.next())["event"] == "snapshot"
                deadline = asyncio.get_running_loop().time() + 20
                while stream.comments == 0:
                    remaining = deadline - asyncio.get_running_loop().time()
                    assert remaining > 0, "no SSE comment line within 20 s"
                    try:
                        await stream.next(timeout=remaining, heartbeats=True)
                    except asyncio.TimeoutError:
                        pass

        async def ws_ping():
            async with c.s.ws_connect(c.url("/v1/kds/stream?" + q(restaurant=RID, key=KEY)), autoping=False) as ws:
                while True:
                    msg = await ws.receive(timeout=25)
                    if msg.type == aiohttp.WSMsgType.PING:
                        await ws.pong(msg.data)
                        return
                    assert msg.type == aiohttp.WSMsgType.TEXT, msg

        await asyncio.gather(sse_comment(), ws_ping())


# MARK: tenancy (local server: a second restaurant is added to D1's file)


OTHER = "other-diner"
OTHER_KEY = "other-kitchen-key"


@pytest.fixture(scope="module")
def other_restaurant(target):
    if target.local is None:
        pytest.skip("adds a restaurant to D1's file: local server only")
    import hashlib
    import sqlite3

    db = sqlite3.connect(str(target.local.sqlite_path), timeout=30)
    try:
        db.execute(
            "INSERT OR IGNORE INTO restaurant (id, name, kitchen_key_hash, created_at) VALUES (?, ?, ?, ?)",
            (OTHER, "Other Diner", hashlib.sha256(OTHER_KEY.encode()).hexdigest(), "2026-11-29T00:00:00.000Z"),
        )
        db.commit()
    finally:
        db.close()
    return OTHER


@async_test
async def test_restaurants_are_separate(target, other_restaurant):
    async with session(target) as c:
        key = f"shared-{uuid.uuid4()}"
        mine = await c.create(key=key)
        theirs_status, _, theirs, _ = await c.request(
            "POST", f"/v1/restaurants/{OTHER}/orders", json_body={"items": [_item()]}, headers={"Idempotency-Key": key})
        # Idempotency keys are per restaurant: the same key elsewhere is a new order.
        assert theirs_status == 201, theirs
        assert theirs["order"]["id"] != mine["order"]["id"] and theirs["order"]["restaurant_id"] == OTHER
        other_auth = {"Authorization": f"Bearer {OTHER_KEY}"}
        # Each kitchen key opens its own restaurant only.
        status, _, reply, _ = await c.request("GET", f"/v1/orders/{theirs['order']['id']}", headers=AUTH)
        assert_error(status, reply, 401)
        status, _, reply, _ = await c.request("POST", f"/v1/orders/{theirs['order']['id']}/status",
                                              json_body={"status": "preparing"}, headers=AUTH)
        assert_error(status, reply, 401)
        status, _, reply, _ = await c.request("GET", f"/v1/orders/{mine['order']['id']}", headers=other_auth)
        assert_error(status, reply, 401)
        status, _, reply, _ = await c.request("GET", "/v1/kds/stream?" + q(restaurant=OTHER, key=KEY))
        assert_error(status, reply, 401)
        status, _, reply, _ = await c.request("GET", f"/v1/orders/{theirs['order']['id']}", headers=other_auth)
        assert status == 200, reply
        # Each board shows its own tickets, and a write to one never reaches the other's stream.
        async with sse(c, "/v1/kds/stream?" + q(restaurant=OTHER, key=OTHER_KEY)) as stream:
            snap = await stream.next()
            ids = {t["id"] for t in snap["data"]["tickets"]}
            assert theirs["order"]["id"] in ids and mine["order"]["id"] not in ids
            assert all(t["restaurant_id"] == OTHER for t in snap["data"]["tickets"])
            await c.create()  # demo
            await c.request("POST", f"/v1/orders/{theirs['order']['id']}/status",
                            json_body={"status": "preparing"}, headers=other_auth)
            e = await stream.next()
            assert e["data"]["event"]["order_id"] == theirs["order"]["id"] and e["data"]["event"]["seq"] == 2, e
