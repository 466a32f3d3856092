/*
 * The kitchen board: `/kds?restaurant=demo&key=<kitchen key>&transport=ws|sse`.
 * Columns received / preparing / ready, one card per open ticket, bump and cancel buttons.
 * The stream protocol lives in stream-client.js; this file is the view.
 *
 * For tests: window.__kds = {cursor, opens, status, applied: [{order_id, seq, cursor}], tickets,
 * transport, ...}; each card has data-order-id and data-seq and sits in a column with data-status.
 */
(function () {
  "use strict";
  const CF = window.CounterFire;
  const el = CF.el;
  const query = CF.params();
  const restaurant = query.get("restaurant") || "demo";
  const key = query.get("key") || "";
  const transport = query.get("transport") === "sse" ? "sse" : "ws";
  const noresume = CF.flag(query, "noresume");
  const nodedupe = CF.flag(query, "nodedupe");

  const OPEN = ["received", "preparing", "ready"];
  const NEXT = {
    received: { status: "preparing", label: "Start" },
    preparing: { status: "ready", label: "Ready" },
    ready: { status: "completed", label: "Picked up" },
  };

  const board = new CF.BoardModel({ nodedupe: nodedupe });
  const pending = new Set();
  const confirming = new Map();

  const debug = {
    transport: transport,
    restaurant: restaurant,
    noresume: noresume,
    nodedupe: nodedupe,
    cursor: null,
    opens: 0,
    status: "connecting",
    detail: "",
    attempt: 0,
    applied: board.applied,
    gaps: board.gaps,
    snapshotCursors: board.snapshotCursors,
    tickets: {},
    ignored: 0,
    snapshots: 0,
    ignoredSnapshots: 0,
  };
  window.__kds = debug;

  const columns = {};
  for (const column of document.querySelectorAll(".column[data-status]")) {
    columns[column.dataset.status] = column;
  }
  document.getElementById("restaurant").textContent = restaurant;
  document.getElementById("transport").textContent = transport === "sse" ? "Server-Sent Events" : "WebSocket";

  // MARK: stream

  function streamPath() {
    const q = new URLSearchParams({ restaurant: restaurant, key: key });
    if (!noresume && board.cursor !== null) q.set("after", String(board.cursor));
    return "/v1/kds/stream?" + q.toString();
  }

  function onMessage(message) {
    if (message.type === "snapshot") {
      if (noresume && board.cursor !== null) {
        // Test switch: a "live only" reconnect keeps the board it had and skips the snapshot.
        debug.ignoredSnapshots += 1;
        return;
      }
      board.snapshot(message);
    } else if (message.type === "event") {
      if (!board.event(message)) {
        expose();
        return;
      }
    } else {
      return;
    }
    render();
    expose();
  }

  async function probe() {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 5000);
    try {
      const response = await fetch("/v1/kds/stream?" + new URLSearchParams({ restaurant: restaurant }), {
        headers: { Authorization: "Bearer " + key, Accept: "text/event-stream" },
        signal: controller.signal,
        cache: "no-store",
      });
      if (response.status === 401) return "the kitchen key was refused";
      if (response.status === 404) return "no restaurant " + restaurant;
      return null;
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }

  function onChange(stream) {
    const badge = document.getElementById("conn");
    badge.dataset.state = stream.state;
    badge.textContent = stream.label();
    document.getElementById("detail").textContent = stream.state === "live" ? "" : stream.detail;
    expose(stream);
  }

  const stream = new CF.ResilientStream({
    transport: transport,
    url: streamPath,
    sseEvents: ["snapshot", "order", "heartbeat"],
    onMessage: onMessage,
    onChange: onChange,
    probe: probe,
  });

  function expose(s) {
    const source = s || stream;
    debug.cursor = board.cursor;
    debug.opens = source.opens;
    debug.status = source.state;
    debug.detail = source.detail;
    debug.attempt = source.attempt;
    debug.ignored = board.ignored;
    debug.snapshots = board.snapshots;
    debug.tickets = Object.fromEntries(board.tickets);
  }

  // MARK: view

  function render() {
    for (const status of OPEN) {
      const column = columns[status];
      if (!column) continue;
      const tickets = board.column(status);
      const list = column.querySelector(".cards");
      list.replaceChildren(...tickets.map(card));
      if (tickets.length === 0) list.append(el("p", { class: "empty", text: "No tickets" }));
      column.querySelector(".count").textContent = String(tickets.length);
    }
    document.getElementById("cursor").textContent = board.cursor === null ? "–" : String(board.cursor);
  }

  function card(ticket) {
    const next = NEXT[ticket.status];
    const busy = pending.has(ticket.id);
    const confirm = confirming.has(ticket.id);
    return el("article", {
      class: "card",
      dataset: { orderId: ticket.id, seq: String(ticket.seq), number: String(ticket.number) },
      "aria-label": "Order " + ticket.number,
    },
    el("header", null,
      el("span", { class: "num", text: "#" + ticket.number }),
      el("span", { class: "age", dataset: { created: ticket.created_at }, title: "since the order came in", text: CF.age(ticket.created_at) })),
    el("ul", null, ...ticket.items.map((item) => el("li", null,
      el("span", { class: "qty", text: item.quantity + "×" }),
      item.name,
      item.notes ? el("span", { class: "notes", text: item.notes }) : null))),
    ticket.customer_name ? el("p", { class: "customer", text: ticket.customer_name }) : null,
    el("footer", null,
      next ? el("button", {
        class: "bump", type: "button", disabled: busy, dataset: { next: next.status },
        onclick: () => bump(ticket, next.status), text: next.label,
      }) : null,
      el("button", {
        class: "danger", type: "button", disabled: busy, dataset: { next: "cancelled" },
        "aria-label": "Cancel order " + ticket.number,
        onclick: () => cancel(ticket), text: confirm ? "Really cancel?" : "Cancel",
      })));
  }

  function cancel(ticket) {
    if (!confirming.has(ticket.id)) {
      confirming.set(ticket.id, setTimeout(() => {
        confirming.delete(ticket.id);
        render();
      }, 3000));
      render();
      return;
    }
    clearTimeout(confirming.get(ticket.id));
    confirming.delete(ticket.id);
    bump(ticket, "cancelled");
  }

  async function bump(ticket, status) {
    if (pending.has(ticket.id)) return;
    pending.add(ticket.id);
    render();
    try {
      const response = await fetch("/v1/orders/" + encodeURIComponent(ticket.id) + "/status", {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: "Bearer " + key },
        body: JSON.stringify({ status: status, expected_seq: ticket.seq }),
      });
      if (!response.ok) {
        const error = await CF.apiError(response);
        if (error.code === "seq_conflict") {
          toast("Order #" + ticket.number + " was changed on another screen; the board shows the latest.");
        } else {
          toast(error.message + " (" + error.code + ")");
        }
      }
      // The board changes when the event comes back on the stream, in cursor order.
    } catch (_) {
      toast("Could not reach the server. The board will show whether the change went through.");
    } finally {
      pending.delete(ticket.id);
      render();
    }
  }

  let toastTimer = null;
  function toast(text) {
    const node = document.getElementById("toast");
    node.textContent = text;
    node.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { node.hidden = true; }, 5000);
  }

  setInterval(() => {
    const now = Date.now();
    for (const node of document.querySelectorAll(".card .age")) {
      node.textContent = CF.age(node.dataset.created, now);
      node.classList.toggle("late", now - Date.parse(node.dataset.created) > 10 * 60 * 1000);
    }
  }, 1000);

  render();
  if (!key) {
    onChange({ state: "offline", detail: "add ?key=<kitchen key> to the address", opens: 0, attempt: 0, label: () => "offline: no kitchen key" });
    toast("Add ?key=<kitchen key> to the address to open the board.");
  } else {
    stream.start();
  }
})();
