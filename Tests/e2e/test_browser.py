"""Browser suite: the kitchen board and the tracker survive network drops and hub restarts.

Playwright drives Debian's Chromium (conftest.py). Each test gets a fresh `edge dev` and an
in-process TCP proxy between the page and the server (proxy.py), which cuts the tablet off with an
RST or a silent blackhole; `set_offline` is used only together with the server dropping its
connections (see shared/reference/browser-e2e.md). Orders and status changes go straight to the
server (not through the proxy) while the tablet is cut off. After recovery the page is checked
against the log read back from the server: `board_problems` is the one place that says what a
correct board is, used by the passing cases and by the negative controls alike.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from edge import ARTIFACTS, KITCHEN_KEY, RESTAURANT, Api, Control, EdgeDev, Truth, log_from_sqlite
from proxy import TcpProxy

TRANSPORTS = ["ws", "sse"]
DROP_S = float(os.environ.get("E2E_DROP_S", "3"))
# How long a blackhole may take to be noticed: only the page's 12 s watchdog notices a silent
# drop, 12-13 s after the last message, which came at most 5 s before the cut.
BLACKHOLE_S = float(os.environ.get("E2E_BLACKHOLE_S", "17"))
SYNC_TIMEOUT_MS = 45_000

STATE_JS = """() => {
  const k = window.__kds;
  const cards = Array.from(document.querySelectorAll('[data-order-id]')).map((card) => {
    const column = card.parentElement ? card.parentElement.closest('[data-status]') : null;
    return {order_id: card.dataset.orderId, seq: Number(card.dataset.seq), number: Number(card.dataset.number),
            column: column ? column.dataset.status : null};
  });
  return {transport: k.transport, cursor: k.cursor, opens: k.opens, status: k.status, detail: k.detail,
          attempt: k.attempt, applied: k.applied, gaps: k.gaps, ignored: k.ignored, snapshots: k.snapshots,
          snapshotCursors: k.snapshotCursors, ignoredSnapshots: k.ignoredSnapshots,
          ticket_ids: Object.keys(k.tickets), cards: cards};
}"""


def kds_url(base: str, transport: str, **flags: str) -> str:
    query = {"restaurant": RESTAURANT, "key": KITCHEN_KEY, "transport": transport, **flags}
    return f"{base}/kds?{urlencode(query)}"


def page_state(page: Page) -> dict:
    return page.evaluate(STATE_JS)


def artifact_name(request: pytest.FixtureRequest) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)[:150]


def screenshot(page: Page, request: pytest.FixtureRequest, suffix: str = "") -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{artifact_name(request)}{suffix}.png"), full_page=True)
    except Exception as error:  # a screenshot must never hide the real result
        print(f"screenshot failed: {error}")


# MARK: the truth, and what a correct board is


def read_truth(server: EdgeDev, api: Api) -> Truth:
    """The log over the API for every order the test made, cross-checked with D1's file."""
    truth = api.truth()
    direct = log_from_sqlite(server.sqlite_path)
    assert direct is not None, f"D1's file is not at {server.sqlite_path}: the cross-check with the API cannot run"
    open_tickets, events = direct
    assert {k: (v["status"], v["seq"]) for k, v in open_tickets.items()} == \
        {k: (v["status"], v["seq"]) for k, v in truth.open.items()}, "API and D1 disagree on the open tickets"
    assert events == truth.events, "API and D1 disagree on the event log"
    return truth


def board_problems(state: dict, truth: Truth, min_opens: int = 2) -> list[str]:
    """Everything wrong with the page compared with the log; empty when the board is right."""
    problems: list[str] = []
    cards = state["cards"]
    shown = Counter(card["order_id"] for card in cards)
    for order_id, count in shown.items():
        if count > 1:
            problems.append(f"ticket {order_id} is shown {count} times")
    by_id = {card["order_id"]: card for card in cards}
    for order_id, ticket in truth.open.items():
        card = by_id.get(order_id)
        if card is None:
            problems.append(f"open ticket #{ticket['number']} {order_id} ({ticket['status']}, seq {ticket['seq']}) is missing")
            continue
        if card["column"] != ticket["status"]:
            problems.append(f"ticket #{ticket['number']} is in column {card['column']!r}, the log says {ticket['status']!r}")
        if card["seq"] != ticket["seq"]:
            problems.append(f"ticket #{ticket['number']} shows seq {card['seq']}, the log says {ticket['seq']}")
    for order_id, card in by_id.items():
        if order_id not in truth.open:
            problems.append(f"card #{card['number']} {order_id} (seq {card['seq']}) is not an open ticket in the log")
    if set(state["ticket_ids"]) != set(by_id):
        problems.append(f"window.__kds.tickets {sorted(state['ticket_ids'])} differs from the DOM {sorted(by_id)}")

    applied = state["applied"]
    # The page's history in order: snapshots (each at its place in the applied log) and events.
    # Cursors must strictly increase through it: an event at or below the cursor of a snapshot
    # that came before it was already in that snapshot, so applying it again is a duplicate.
    timeline: list[tuple[str, int]] = []
    marks = sorted(state["snapshotCursors"], key=lambda m: m["applied"])
    m = 0
    for index, a in enumerate(applied):
        while m < len(marks) and marks[m]["applied"] <= index:
            timeline.append(("snapshot", marks[m]["cursor"]))
            m += 1
        timeline.append(("event", a["cursor"]))
    timeline += [("snapshot", mark["cursor"]) for mark in marks[m:]]
    backwards = []
    highest = None
    for kind, cursor in timeline:
        if highest is not None and (cursor < highest or (kind == "event" and cursor == highest)):
            backwards.append(f"{kind} {cursor} after {highest}")
        highest = cursor if highest is None else max(highest, cursor)
    if backwards:
        problems.append(f"cursors not strictly increasing (events applied again): {', '.join(backwards[:8])}"
                        f"{' ...' if len(backwards) > 8 else ''}")
    repeated = [pair for pair, n in Counter((a["order_id"], a["seq"]) for a in applied).items() if n > 1]
    if repeated:
        problems.append(f"(order_id, seq) applied more than once: {repeated[:5]}")
    logged = {(e[0], e[1]): e[2] for e in truth.events}
    unknown = [a for a in applied if logged.get((a["order_id"], a["seq"])) != a["cursor"]]
    if unknown:
        problems.append(f"applied events that are not in the log as such: {unknown[:5]}")
    if marks:
        base = marks[-1]["cursor"]
        since = sorted({a["cursor"] for a in applied[marks[-1]["applied"]:] if a["cursor"] > base})
        expected = list(range(base + 1, truth.last_cursor + 1))
        if since != expected:
            missing = sorted(set(expected) - set(since))
            problems.append(f"events missed since the snapshot at cursor {base}: cursors {missing[:10]}")
    else:
        problems.append("the page never applied a snapshot")
    if state["gaps"]:
        problems.append(f"cursor gaps seen by the page: {state['gaps'][:5]}")
    if state["cursor"] != truth.last_cursor:
        problems.append(f"page cursor {state['cursor']} but the log's last cursor is {truth.last_cursor}")
    if state["opens"] < min_opens:
        problems.append(f"opens = {state['opens']}: expected at least {min_opens} (did it really reconnect?)")
    if state["status"] != "live":
        problems.append(f"connection state {state['status']!r} ({state['detail']}), not live")
    return problems


def explain(problems: list[str], state: dict, truth: Truth) -> str:
    return "\n".join([
        "the board does not match the log:",
        *[f"  - {p}" for p in problems],
        f"page: cursor={state['cursor']} opens={state['opens']} status={state['status']} ({state['detail']}) "
        f"snapshots={state['snapshots']} at {state['snapshotCursors']} ignored={state['ignored']}",
        f"log: last_cursor={truth.last_cursor} open={json.dumps(truth.open)}",
        "applied log (order_id, seq, cursor):",
        *[f"  {a['order_id']} seq {a['seq']} cursor {a['cursor']}" for a in state["applied"]],
        f"cards: {json.dumps(state['cards'])}",
    ])


# MARK: the scenario


@dataclass
class Seed:
    received: list[str] = field(default_factory=list)
    preparing: list[str] = field(default_factory=list)
    ready: list[str] = field(default_factory=list)
    made_during_drop: list[str] = field(default_factory=list)


def seed_board(api: Api) -> Seed:
    seed = Seed()
    for i in range(2):
        seed.received.append(api.create(("Burger", 2, "no onions"), ("Fries", 1), customer=f"Guest {i}")["order"]["id"])
    seed.preparing.append(api.create(("Ramen", 1))["order"]["id"])
    api.advance(seed.preparing[0], "preparing")
    seed.ready.append(api.create(("Salad", 3, "dressing on the side"))["order"]["id"])
    api.advance(seed.ready[0], "preparing", "ready")
    return seed


def changes_while_cut_off(api: Api, control: Control, seed: Seed, hub: str | None) -> None:
    """Orders and status changes while the tablet is cut off; `hub` acts on the hub mid-way."""
    seed.made_during_drop.append(api.create(("Pasta", 2, "extra cheese"), customer="Dana")["order"]["id"])
    api.advance(seed.received[0], "preparing")
    api.advance(seed.ready[0], "completed")  # a card leaves the board
    if hub == "evict-close":
        control.evict(websockets="close")
    elif hub == "evict-hibernate":
        control.evict(websockets="hibernate")
    elif hub == "reset":
        control.reset(websockets="close")
    second = api.create(("Soup", 1))["order"]["id"]
    seed.made_during_drop.append(second)
    api.advance(second, "preparing")
    api.advance(seed.received[1], "cancelled")  # another one leaves
    api.advance(seed.preparing[0], "ready")
    seed.made_during_drop.append(api.create(("Tea", 4))["order"]["id"])


def applied_count(page: Page) -> int:
    return page.evaluate("() => window.__kds.applied.length")


def wait_synced(page: Page, cursor: int, min_opens: int = 1, timeout_ms: int = SYNC_TIMEOUT_MS) -> bool:
    try:
        page.wait_for_function(
            "([c, o]) => window.__kds && window.__kds.status === 'live' && window.__kds.opens >= o && window.__kds.cursor >= c",
            arg=[cursor, min_opens], timeout=timeout_ms, polling=100,
        )
        return True
    except PlaywrightTimeout:
        return False


@dataclass
class Outcome:
    problems: list[str]
    state: dict
    truth: Truth


DROPS = {
    # name: (how the tablet is cut off, what happens to the hub meanwhile, min opens)
    "proxy-rst": ("rst", None, 2),
    "proxy-blackhole": ("blackhole", None, 2),
    "offline+server-drop": ("offline", None, 2),
    "hub-evict-close": ("rst", "evict-close", 2),
    "hub-evict-hibernate": ("rst", "evict-hibernate", 2),
    "hub-reset": ("rst", "reset", 2),
    "reload": ("rst", None, 2),
    "hub-evict-hibernate-live": (None, "evict-hibernate", 1),
}


def run_drop_case(page: Page, context: BrowserContext, server: EdgeDev, api: Api, control: Control, proxy: TcpProxy,
                  transport: str, drop: str, flags: dict | None = None, rewind: int | None = None) -> Outcome:
    cut, hub, min_opens = DROPS[drop]
    seed = seed_board(api)
    page.goto(kds_url(proxy.url, transport, **(flags or {})))
    assert wait_synced(page, api.truth().last_cursor), f"the board never came live: {page_state(page)}"

    if drop == "reload":
        # Changes while the page reloads: the new page's snapshot must hold them, then a drop.
        api.advance(api.create(("Coffee", 1))["order"]["id"], "preparing")
        page.reload()
        assert wait_synced(page, api.truth().last_cursor), f"the reloaded board never came live: {page_state(page)}"

    if rewind:
        proxy.rewind = rewind
    started = time.monotonic()
    if cut in ("rst", "blackhole"):
        proxy.cut(cut)
    elif cut == "offline":
        context.set_offline(True)
        control.evict(websockets="close")  # the server drops the tablet's connections
    elif hub == "evict-hibernate":
        control.evict(websockets="hibernate")
        hub = None
    if cut in ("rst", "offline"):
        # The page sees its connection end: nothing in flight lands after that.
        page.wait_for_function("() => window.__kds.status !== 'live'", timeout=SYNC_TIMEOUT_MS, polling=50)
    elif cut == "blackhole":
        # A blackhole ends nothing the page can see. Wait until the proxy holds every byte (a
        # write it began before the cut has ended); the page had the whole log before the cut
        # and nothing was written since, so no message it counts can still be on its way.
        proxy.held()
        assert page_state(page)["cursor"] >= api.truth().last_cursor, f"the page lost its place at the cut: {page_state(page)}"
    mark = applied_count(page)

    changes_while_cut_off(api, control, seed, None if cut is None else hub)

    if cut == "blackhole":
        # Held until the page's watchdog has noticed the silence (the page leaves 'live').
        page.wait_for_function("() => window.__kds.status !== 'live'", timeout=int(BLACKHOLE_S * 1000) + 5_000, polling=100)
    else:
        time.sleep(max(0.0, started + DROP_S - time.monotonic()))
    if cut is not None:
        during = applied_count(page) - mark
        assert during == 0, f"{during} messages reached the page while it was cut off: the drop does not work"
    if cut in ("rst", "blackhole"):
        proxy.restore()
    elif cut == "offline":
        context.set_offline(False)

    recovered = wait_synced(page, 0, min_opens=min_opens)
    # One more change after recovery: the stream is live again, not just caught up.
    api.advance(seed.made_during_drop[-1], "preparing")
    api.create(("Water", 1))
    truth = read_truth(server, api)
    wait_synced(page, truth.last_cursor, min_opens=min_opens, timeout_ms=30_000 if recovered else 5_000)
    # The stream is ordered: once the page has the last cursor, anything the server sent before
    # it (a duplicate, a stale frame) has arrived too.
    state = page_state(page)
    truth = read_truth(server, api)
    return Outcome(board_problems(state, truth, min_opens), state, truth)


def assert_board_ok(outcome: Outcome) -> None:
    if outcome.problems:
        pytest.fail(explain(outcome.problems, outcome.state, outcome.truth), pytrace=False)


# MARK: the cases


@pytest.mark.parametrize("drop", list(DROPS))
@pytest.mark.parametrize("transport", TRANSPORTS)
def test_board_recovers(page: Page, context: BrowserContext, server: EdgeDev, api: Api, control: Control,
                        proxy: TcpProxy, transport: str, drop: str, request: pytest.FixtureRequest):
    outcome = run_drop_case(page, context, server, api, control, proxy, transport, drop)
    screenshot(page, request)
    assert_board_ok(outcome)
    assert outcome.state["transport"] == transport
    # A server that replays too much would be hidden by the page's dedupe: it must have had
    # nothing to drop.
    assert outcome.state["ignored"] == 0, f"the page ignored {outcome.state['ignored']} duplicates: {outcome.state}"
    if drop == "hub-evict-hibernate-live" and transport == "ws":
        # Hibernation keeps the socket: the new instance sends it what it missed, no reconnect.
        assert outcome.state["opens"] == 1, f"the hibernated WebSocket was dropped: {outcome.state}"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_board_ignores_events_the_server_sends_again(page: Page, context: BrowserContext, server: EdgeDev, api: Api,
                                                     control: Control, proxy: TcpProxy, transport: str,
                                                     request: pytest.FixtureRequest):
    """At-least-once delivery: the proxy rewinds each resume by 3 events; dedupe must absorb them."""
    outcome = run_drop_case(page, context, server, api, control, proxy, transport, "proxy-rst", rewind=3)
    screenshot(page, request)
    assert proxy.rewinds >= 1, "no resume went through the proxy: the scenario did not happen"
    assert outcome.state["ignored"] >= 1, f"nothing was sent twice: the scenario did not happen: {outcome.state}"
    assert_board_ok(outcome)


@pytest.mark.negative_control
@pytest.mark.parametrize("switch", ["noresume", "nodedupe"])
@pytest.mark.parametrize("transport", TRANSPORTS)
def test_checks_fail_without_resume_or_dedupe(page: Page, context: BrowserContext, server: EdgeDev, api: Api,
                                              control: Control, proxy: TcpProxy, transport: str, switch: str,
                                              request: pytest.FixtureRequest):
    """The same drop and the same checks, with resume or dedupe switched off: the checks must fail.

    `nodedupe` runs against a server that re-sends (the proxy rewinds each resume by 3 events):
    with a correct server no duplicate reaches the page, and there would be nothing to catch.
    """
    outcome = run_drop_case(page, context, server, api, control, proxy, transport, "proxy-rst",
                            flags={switch: "1"}, rewind=3 if switch == "nodedupe" else None)
    screenshot(page, request)
    report = f"[{transport}, {switch}=1] the checks found {len(outcome.problems)} problem(s):\n" + \
        "\n".join(f"  - {p}" for p in outcome.problems)
    print(report)
    with open(ARTIFACTS / "negative-controls.txt", "a", encoding="utf-8") as out:
        out.write(report + "\n")
    assert outcome.problems, f"the checks passed with {switch}=1: they cannot tell a broken page from a good one"
    if switch == "nodedupe":
        assert any("applied again" in p or "more than once" in p for p in outcome.problems), outcome.problems
    else:
        assert any("missing" in p or "missed" in p for p in outcome.problems), outcome.problems


@pytest.mark.parametrize("drop", ["proxy-rst", "hub-reset"])
def test_tracker_follows_an_order_to_completed_across_a_drop(page: Page, server: EdgeDev, api: Api, control: Control,
                                                             proxy: TcpProxy, drop: str, request: pytest.FixtureRequest):
    created = api.create(("Burger", 1))
    order_id, token = created["order"]["id"], created["tracker_token"]
    page.goto(f"{proxy.url}/track/{token}")
    page.wait_for_function("() => window.__track && window.__track.status === 'live' && window.__track.seq === 1")
    assert page.text_content("#number") == f"#{created['order']['number']}"
    api.advance(order_id, "preparing")
    page.wait_for_function("() => window.__track.seq === 2")
    assert page.get_attribute("#tracker", "data-order-status") == "preparing"

    started = time.monotonic()
    proxy.cut("rst")
    page.wait_for_function("() => window.__track.status !== 'live'", timeout=20_000, polling=50)
    api.advance(order_id, "ready")
    if drop == "hub-reset":
        control.reset(websockets="close")
    api.advance(order_id, "completed")
    time.sleep(max(0.0, started + DROP_S - time.monotonic()))
    assert page.evaluate("() => window.__track.seq") == 2, "the tracker got events while cut off"
    proxy.restore()

    try:
        page.wait_for_function("() => window.__track.seq === 4", timeout=SYNC_TIMEOUT_MS)
    except PlaywrightTimeout:
        pass
    track = page.evaluate("() => window.__track")
    screenshot(page, request)
    problems = []
    if track["seq"] != 4 or (track["order"] or {}).get("status") != "completed":
        problems.append(f"tracker at seq {track['seq']} / {(track['order'] or {}).get('status')}, the order is at 4 / completed")
    seqs = [a["seq"] for a in track["applied"]]
    if seqs != [2, 3, 4]:
        problems.append(f"applied seqs {seqs}, expected [2, 3, 4] (each once, in order)")
    if track["opens"] < 2:
        problems.append(f"opens = {track['opens']}: it never reconnected")
    if page.get_attribute("#tracker", "data-order-status") != "completed":
        problems.append(f"the page shows {page.get_attribute('#tracker', 'data-order-status')!r}")
    if "done" not in page.get_attribute("li[data-step=completed]", "class"):
        problems.append("the progress line does not show completed")
    events = api.order(order_id)["events"]
    assert [e["seq"] for e in events] == [1, 2, 3, 4]
    if problems:
        pytest.fail("\n".join(problems) + f"\ntracker state: {json.dumps(track)}", pytrace=False)


def test_kitchen_buttons_bump_and_cancel(page: Page, server: EdgeDev, api: Api, proxy: TcpProxy,
                                         request: pytest.FixtureRequest):
    one = api.create(("Burger", 1), customer="Kim")["order"]
    two = api.create(("Fries", 2))["order"]
    page.goto(kds_url(proxy.url, "ws"))
    assert wait_synced(page, api.truth().last_cursor)
    card = f"[data-order-id='{one['id']}']"
    assert page.locator(f"[data-status=received] {card}").count() == 1
    assert "Kim" in page.text_content(card)
    for label, column, seq in [("Start", "preparing", 2), ("Ready", "ready", 3)]:
        page.click(f"{card} button.bump")
        page.wait_for_selector(f"[data-status={column}] {card}[data-seq='{seq}']", timeout=15_000)
        assert page.locator(card).count() == 1
    page.click(f"{card} button.bump")  # Picked up
    page.wait_for_selector(card, state="detached", timeout=15_000)
    two_card = f"[data-order-id='{two['id']}']"
    page.click(f"{two_card} button.danger")  # first tap asks to confirm
    assert page.text_content(f"{two_card} button.danger") == "Really cancel?"
    page.click(f"{two_card} button.danger")
    page.wait_for_selector(two_card, state="detached", timeout=15_000)
    assert api.order(one["id"])["order"]["status"] == "completed"
    assert api.order(two["id"])["order"]["status"] == "cancelled"
    screenshot(page, request)
    state = page_state(page)
    problems = board_problems(state, read_truth(server, api), min_opens=1)
    if problems:
        pytest.fail(explain(problems, state, read_truth(server, api)), pytrace=False)


def test_order_entry_places_once_across_a_lost_response(page: Page, server: EdgeDev, api: Api, proxy: TcpProxy,
                                                        request: pytest.FixtureRequest):
    """The first response is lost after the server wrote the order; Retry reuses the key: one order."""
    seen: list[dict] = []

    def lose_first_response(route):
        reply = route.fetch()
        seen.append({"key": route.request.headers.get("idempotency-key"), "status": reply.status, "body": reply.json()})
        if len(seen) == 1:
            route.abort("connectionreset")
        else:
            route.fulfill(response=reply)

    page.route("**/v1/restaurants/*/orders", lose_first_response)
    page.goto(f"{proxy.url}/")
    page.fill(".line:nth-child(1) .item-name", "Burger")
    page.fill(".line:nth-child(1) .item-quantity", "2")
    page.fill(".line:nth-child(1) .item-notes", "no pickles")
    page.click("#add-line")
    page.fill(".line:nth-child(2) .item-name", "Lemonade")
    page.fill("#customer", "Sam")
    page.click("#submit")
    page.wait_for_selector("#error:not([hidden])")
    assert page.text_content("#error-code") == "network_error"
    assert page.text_content("#submit") == "Retry"
    page.click("#submit")
    page.wait_for_selector("#result:not([hidden])")
    screenshot(page, request)

    assert len(seen) == 2 and seen[0]["key"] and seen[0]["key"] == seen[1]["key"], seen
    assert [s["status"] for s in seen] == [201, 200], seen
    order = seen[0]["body"]["order"]
    assert seen[1]["body"]["order"]["id"] == order["id"]
    assert page.text_content("#result-number") == f"#{order['number']}"
    assert order["items"] == [{"name": "Burger", "quantity": 2, "notes": "no pickles"}, {"name": "Lemonade", "quantity": 1}]
    assert order["customer_name"] == "Sam"
    api.created.append(order["id"])
    assert len(api.order(order["id"])["events"]) == 1

    # The next order gets a new key, and the tracker link works.
    page.unroute("**/v1/restaurants/*/orders")
    href = page.get_attribute("#result-link", "href")
    assert href and href.endswith(f"/track/{seen[0]['body']['tracker_token']}"), href
    page.goto(f"{proxy.url}/track/{seen[0]['body']['tracker_token']}")
    page.wait_for_function("() => window.__track && window.__track.seq === 1")
    assert page.text_content("#number") == f"#{order['number']}"


def test_order_entry_shows_api_errors(page: Page, server: EdgeDev, proxy: TcpProxy, request: pytest.FixtureRequest):
    page.goto(f"{proxy.url}/")
    page.fill("#restaurant", "no-such-place")
    page.fill(".item-name", "Burger")
    page.click("#submit")
    page.wait_for_selector("#error:not([hidden])")
    assert page.text_content("#error-code") == "restaurant_not_found"
    assert page.text_content("#submit") == "Send to kitchen"
    page.fill("#restaurant", RESTAURANT)
    page.fill(".item-name", "")
    page.click("#submit")
    page.wait_for_function("() => document.querySelector('#error-message').textContent.includes('name')")
    assert page.text_content("#error-code") == "invalid_field"
    screenshot(page, request)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_board_stops_retrying_with_a_wrong_key(page: Page, server: EdgeDev, proxy: TcpProxy, transport: str,
                                               request: pytest.FixtureRequest):
    page.goto(f"{proxy.url}/kds?" + urlencode({"restaurant": RESTAURANT, "key": "wrong", "transport": transport}))
    page.wait_for_function("() => window.__kds.status === 'offline'", timeout=20_000)
    state = page_state(page)
    assert state["opens"] == 0 and "refused" in state["detail"], state
    assert "offline" in page.text_content("#conn")
    screenshot(page, request)


def test_tracker_with_an_unknown_token_says_so(page: Page, server: EdgeDev, proxy: TcpProxy):
    page.goto(f"{proxy.url}/track/{'A' * 32}")
    page.wait_for_function("() => window.__track.status === 'offline'", timeout=20_000)
    assert "could not find" in page.text_content("#status-text")
