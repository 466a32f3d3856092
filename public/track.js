/*
 * The customer's tracker: `/track/{token}`. One order's number and status over
 * `GET /v1/track/{token}/stream` (SSE), resumed by seq after a drop.
 *
 * For tests: window.__track = {seq, opens, status, applied: [{order_id, seq, cursor}], order}.
 */
(function () {
  "use strict";
  const CF = window.CounterFire;
  const query = CF.params();
  const token = decodeURIComponent(window.location.pathname.replace(/\/+$/, "").split("/").pop() || "");
  const noresume = CF.flag(query, "noresume");
  const nodedupe = CF.flag(query, "nodedupe");

  const STEPS = ["received", "preparing", "ready", "completed"];
  const TEXT = {
    received: "We have your order.",
    preparing: "The kitchen is preparing your order.",
    ready: "Ready! Please collect it at the counter.",
    completed: "Picked up. Enjoy your meal!",
    cancelled: "Cancelled.",
  };

  const model = new CF.TrackerModel({ nodedupe: nodedupe });
  const debug = {
    token: token,
    seq: null,
    opens: 0,
    status: "connecting",
    detail: "",
    applied: model.applied,
    order: null,
    ignored: 0,
    snapshots: 0,
    ignoredSnapshots: 0,
  };
  window.__track = debug;

  function streamPath() {
    const path = "/v1/track/" + encodeURIComponent(token) + "/stream";
    if (noresume || model.seq === null) return path;
    return path + "?" + new URLSearchParams({ after: String(model.seq) });
  }

  function onMessage(message) {
    if (message.type === "snapshot") {
      if (noresume && model.seq !== null) {
        debug.ignoredSnapshots += 1;
        return;
      }
      model.snapshot(message);
    } else if (message.type === "event") {
      model.event(message);
    } else {
      return;
    }
    render();
    expose();
    if (model.order && CF.TERMINAL.has(model.order.status)) {
      // Nothing can change any more: let the server forget this subscriber.
      stream.stop("done", "");
    }
  }

  async function probe() {
    const response = await fetch("/v1/track/" + encodeURIComponent(token), { cache: "no-store" });
    if (response.status === 404) return "we could not find this order; check the link";
    return null;
  }

  function onChange(s) {
    const badge = document.getElementById("conn");
    badge.dataset.state = s.state;
    badge.textContent = s.state === "done" ? "final" : s.label();
    document.getElementById("detail").textContent = s.state === "offline" ? s.detail : "";
    if (s.state === "offline" && s.detail && model.order === null) {
      document.getElementById("status-text").textContent = s.detail;
    }
    expose(s);
  }

  const stream = new CF.ResilientStream({
    transport: "sse",
    url: streamPath,
    sseEvents: ["snapshot", "order", "heartbeat"],
    onMessage: onMessage,
    onChange: onChange,
    probe: probe,
  });

  function expose(s) {
    const source = s || stream;
    debug.seq = model.seq;
    debug.opens = source.opens;
    debug.status = source.state;
    debug.detail = source.detail;
    debug.order = model.order;
    debug.ignored = model.ignored;
    debug.snapshots = model.snapshots;
  }

  function clock(iso) {
    const date = new Date(iso);
    return isNaN(date) ? "" : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function render() {
    const order = model.order;
    if (!order) return;
    const main = document.getElementById("tracker");
    main.dataset.orderStatus = order.status;
    main.dataset.seq = String(order.seq);
    document.getElementById("number").textContent = "#" + order.number;
    document.getElementById("status-text").textContent = TEXT[order.status] || order.status;
    document.getElementById("cancelled").hidden = order.status !== "cancelled";
    const reached = STEPS.indexOf(order.status);
    for (const item of document.querySelectorAll("#progress li")) {
      const index = STEPS.indexOf(item.dataset.step);
      const at = (order.status_times || {})[item.dataset.step];
      item.classList.toggle("done", reached >= 0 && index < reached || order.status === "completed" && index === reached);
      item.classList.toggle("current", index === reached && order.status !== "completed");
      item.querySelector("time").textContent = at ? clock(at) : "";
    }
    document.title = "#" + order.number + " " + order.status + " · CounterFire";
  }

  if (!token) {
    document.getElementById("status-text").textContent = "This link has no order in it.";
    onChange({ state: "offline", detail: "no tracker token", opens: 0, label: () => "offline" });
  } else {
    stream.start();
  }
})();
