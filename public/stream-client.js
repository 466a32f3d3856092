/*
 * CounterFire stream client, shared by the kitchen board (kds.html) and the tracker (track.html).
 *
 * The protocol (counterfire-api.md):
 * - a fresh connection gets a snapshot, then events; a resumed one (`?after=<cursor or seq>`) gets
 *   only the events it missed, then live ones;
 * - the client merges idempotently by (order_id, seq): an already-applied or older pair is ignored;
 * - WebSocket and Server-Sent Events behave alike: on any error the page drops the connection object
 *   at once and reconnects itself with exponential backoff and `?after=` (the browser's own
 *   EventSource retry is switched off by closing it);
 * - a watchdog: WebSocket sends "ping" every 5 s (the hub auto-responds "pong"); the SSE stream
 *   carries `event: heartbeat` every 5 s. Nothing at all for 12 s: the connection is presumed dead
 *   (a silent drop is invisible to both APIs), detached without waiting for `onclose`, and replaced.
 *
 * Test switches, read from the page's query (off by default):
 * - `noresume=1`: reconnect "live only": no `after`, and the snapshot of a reconnect is ignored;
 * - `nodedupe=1`: apply every message, even an already-applied (order_id, seq).
 * They exist so the browser suite can show that it fails when resume or dedupe is off.
 */
(function (global) {
  "use strict";

  const TERMINAL = new Set(["completed", "cancelled"]);
  const STATUSES = ["received", "preparing", "ready", "completed", "cancelled"];

  function params() {
    return new URLSearchParams(global.location.search);
  }

  function flag(query, name) {
    const value = query.get(name);
    return value === "1" || value === "true" || value === "yes";
  }

  /** Exponential backoff with jitter: attempt 1 waits 125-250 ms, doubling up to 2.5-5 s. */
  function backoffDelay(attempt, baseMs, maxMs) {
    const base = baseMs || 250;
    const max = maxMs || 5000;
    const exp = Math.min(max, base * Math.pow(2, Math.max(0, attempt - 1)));
    return Math.round(exp * (0.5 + Math.random() * 0.5));
  }

  /** An absolute ws:// or wss:// URL for a path on this origin. */
  function webSocketURL(path) {
    const url = new URL(path, global.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return url.toString();
  }

  /**
   * One logical stream that stays connected: opens a WebSocket or an EventSource, watches it,
   * and replaces it when it fails.
   *
   * options:
   *   transport    "ws" | "sse"
   *   url()        the path and query of the next connection (called for every attempt, so it
   *                can carry the latest `after`)
   *   sseEvents    SSE event names to listen to
   *   onMessage(msg)         a parsed JSON message (its `type` says which)
   *   onChange()             connection state changed (state, attempt, opens)
   *   probe()      optional: after a connection failed without ever opening, resolves to a
   *                fatal reason (string) when retrying is pointless (401, 404), else null
   *   watchdogMs, pingMs
   */
  class ResilientStream {
    constructor(options) {
      this.options = options;
      this.transport = options.transport === "sse" ? "sse" : "ws";
      this.watchdogMs = options.watchdogMs || 12000;
      this.pingMs = options.pingMs || 5000;
      this.state = "connecting";
      this.detail = "";
      this.attempt = 0;
      this.opens = 0;
      this.failures = 0;
      this.conn = null;
      this.generation = 0;
      this.lastReceived = 0;
      this.retryTimer = null;
      this.stopped = false;
      this.watchdog = setInterval(() => this.checkWatchdog(), 1000);
      this.onOnline = () => {
        if (this.stopped) return;
        this.restart("network back online");
      };
      this.onOffline = () => {
        if (this.stopped) return;
        this.setState("offline", "the device reports no network");
      };
      global.addEventListener("online", this.onOnline);
      global.addEventListener("offline", this.onOffline);
    }

    start() {
      this.connect();
      return this;
    }

    stop(state, detail) {
      this.stopped = true;
      clearTimeout(this.retryTimer);
      clearInterval(this.watchdog);
      global.removeEventListener("online", this.onOnline);
      global.removeEventListener("offline", this.onOffline);
      this.detach();
      this.setState(state || "closed", detail || "");
    }

    setState(state, detail) {
      this.state = state;
      this.detail = detail || "";
      if (this.options.onChange) this.options.onChange(this);
    }

    /** Forget the current connection object now: its late events are ignored from here on. */
    detach() {
      const conn = this.conn;
      this.conn = null;
      this.generation += 1;
      if (!conn) return;
      clearInterval(conn.ping);
      const target = conn.target;
      try {
        target.onopen = null;
        target.onmessage = null;
        target.onerror = null;
        if ("onclose" in target) target.onclose = null;
      } catch (_) { /* nothing to do */ }
      try {
        target.close();
      } catch (_) { /* already closed */ }
    }

    connect() {
      if (this.stopped) return;
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.detach();
      const generation = this.generation;
      const path = this.options.url();
      this.lastReceived = Date.now();
      const conn = { target: null, opened: false, ping: null, generation: generation };
      this.conn = conn;
      const current = () => !this.stopped && this.generation === generation;
      if (this.transport === "ws") {
        let ws;
        try {
          ws = new WebSocket(webSocketURL(path));
        } catch (error) {
          this.conn = null;
          this.fail("could not open a WebSocket: " + error.message);
          return;
        }
        conn.target = ws;
        ws.onopen = () => {
          if (!current()) return;
          this.opened(conn);
          conn.ping = setInterval(() => {
            try {
              ws.send("ping");
            } catch (_) { /* the watchdog decides */ }
          }, this.pingMs);
        };
        ws.onmessage = (event) => {
          if (!current()) return;
          this.lastReceived = Date.now();
          if (event.data === "pong") return;
          this.receive(event.data);
        };
        ws.onerror = () => {
          if (current()) this.fail("WebSocket error");
        };
        ws.onclose = (event) => {
          if (current()) this.fail("WebSocket closed (" + event.code + (event.reason ? ": " + event.reason : "") + ")");
        };
      } else {
        let es;
        try {
          es = new EventSource(path);
        } catch (error) {
          this.conn = null;
          this.fail("could not open an EventSource: " + error.message);
          return;
        }
        conn.target = es;
        es.onopen = () => {
          if (current()) this.opened(conn);
        };
        es.onerror = () => {
          // readyState CONNECTING means the browser would retry by itself, without our `after`
          // and backoff; CLOSED means it gave up (an HTTP error). Either way, take over.
          if (current()) this.fail("event stream error");
        };
        for (const name of this.options.sseEvents || []) {
          es.addEventListener(name, (event) => {
            if (!current()) return;
            this.lastReceived = Date.now();
            this.receive(event.data);
          });
        }
      }
      if (global.navigator && global.navigator.onLine === false) {
        this.setState("offline", "the device reports no network");
      } else {
        this.setState(this.opens === 0 && this.attempt === 0 ? "connecting" : "reconnecting",
          this.attempt > 0 ? "attempt " + this.attempt : "");
      }
    }

    opened(conn) {
      conn.opened = true;
      this.opens += 1;
      this.attempt = 0;
      this.lastReceived = Date.now();
      this.setState("live", "");
    }

    receive(text) {
      let message;
      try {
        message = JSON.parse(text);
      } catch (error) {
        console.warn("stream: ignoring a message that is not JSON", text);
        return;
      }
      if (message && message.type === "heartbeat") return;
      this.options.onMessage(message);
    }

    fail(reason) {
      if (this.stopped) return;
      const conn = this.conn;
      const neverOpened = !conn || !conn.opened;
      this.detach();
      this.failures += 1;
      this.attempt += 1;
      const offline = global.navigator && global.navigator.onLine === false;
      this.setState(offline ? "offline" : "reconnecting", reason);
      const delay = backoffDelay(this.attempt);
      this.retryTimer = setTimeout(() => this.connect(), delay);
      // A connection that fails before opening, twice in a row, may be refused for good
      // (wrong key, unknown order): ask once over plain HTTP, and stop if so.
      if (neverOpened && this.attempt === 2 && this.options.probe && !offline) {
        Promise.resolve(this.options.probe()).then((fatal) => {
          if (fatal && !this.stopped && this.state !== "live") this.stop("offline", fatal);
        }).catch(() => { /* a network error: keep retrying */ });
      }
    }

    /** Drop whatever is there and connect again now, resuming (the 'online' event). */
    restart(reason) {
      if (this.stopped) return;
      console.info("stream: reconnecting now:", reason);
      this.detach();
      this.attempt = 0;
      this.connect();
    }

    checkWatchdog() {
      if (this.stopped || !this.conn) return;
      const silentFor = Date.now() - this.lastReceived;
      if (silentFor > this.watchdogMs) {
        console.warn("stream: nothing received for " + silentFor + " ms: reconnecting");
        this.fail("no message or heartbeat for " + Math.round(silentFor / 1000) + " s");
      }
    }

    /** Text for a status badge. */
    label() {
      switch (this.state) {
        case "live": return "live";
        case "connecting": return "connecting…";
        case "reconnecting": return "reconnecting (attempt " + Math.max(1, this.attempt) + ")";
        case "offline": return this.attempt > 0 ? "offline (attempt " + this.attempt + ")" : "offline";
        default: return this.state;
      }
    }
  }

  /**
   * The kitchen board's model: open tickets by order id, the last applied cursor, and the seq
   * applied per order (kept after a ticket closes, so a late duplicate cannot bring it back).
   */
  class BoardModel {
    constructor(options) {
      this.nodedupe = !!(options && options.nodedupe);
      this.cursor = null;
      this.tickets = new Map();
      this.seqs = new Map();
      this.applied = [];
      this.gaps = [];
      this.ignored = 0;
      this.snapshots = 0;
      this.snapshotCursors = [];
    }

    /** A snapshot replaces the board. */
    snapshot(message) {
      this.tickets = new Map();
      for (const ticket of message.tickets || []) {
        if (TERMINAL.has(ticket.status)) continue;
        this.tickets.set(ticket.id, ticket);
        this.seqs.set(ticket.id, ticket.seq);
      }
      this.cursor = message.cursor;
      this.snapshots += 1;
      // Where the snapshot sits in the applied log: events after it must have a higher cursor.
      this.snapshotCursors.push({ cursor: message.cursor, applied: this.applied.length });
    }

    /** One event; returns whether it changed the board. */
    event(message) {
      const event = message.event;
      const have = this.seqs.get(event.order_id) || 0;
      if (!this.nodedupe && event.seq <= have) {
        this.ignored += 1;
        if (this.cursor === null || message.cursor > this.cursor) this.cursor = message.cursor;
        return false;
      }
      if (this.cursor !== null && message.cursor > this.cursor + 1) {
        this.gaps.push({ after: this.cursor, got: message.cursor });
        console.warn("board: cursor gap after " + this.cursor + ", got " + message.cursor);
      }
      this.seqs.set(event.order_id, Math.max(have, event.seq));
      if (TERMINAL.has(event.status)) {
        this.tickets.delete(event.order_id);
      } else {
        this.tickets.set(event.order_id, message.ticket);
      }
      if (this.nodedupe || this.cursor === null || message.cursor > this.cursor) this.cursor = message.cursor;
      this.applied.push({ order_id: event.order_id, seq: event.seq, cursor: message.cursor });
      return true;
    }

    /** Open tickets of one status, oldest number first. */
    column(status) {
      return Array.from(this.tickets.values())
        .filter((ticket) => ticket.status === status)
        .sort((a, b) => a.number - b.number);
    }
  }

  /** The tracker's model: one order, its last applied seq. */
  class TrackerModel {
    constructor(options) {
      this.nodedupe = !!(options && options.nodedupe);
      this.seq = null;
      this.order = null;
      this.applied = [];
      this.ignored = 0;
      this.snapshots = 0;
    }

    snapshot(message) {
      this.order = message.order;
      this.seq = message.order.seq;
      this.snapshots += 1;
    }

    event(message) {
      const event = message.event;
      if (!this.nodedupe && this.seq !== null && event.seq <= this.seq) {
        this.ignored += 1;
        return false;
      }
      this.order = message.order;
      this.seq = this.nodedupe ? event.seq : Math.max(this.seq || 0, event.seq);
      this.applied.push({ order_id: event.order_id, seq: event.seq, cursor: event.cursor });
      return true;
    }
  }

  /** Minutes and seconds since an ISO time: "4:07", or "1h 12m". */
  function age(iso, now) {
    const seconds = Math.max(0, Math.floor(((now || Date.now()) - Date.parse(iso)) / 1000));
    if (seconds >= 3600) return Math.floor(seconds / 3600) + "h " + Math.floor((seconds % 3600) / 60) + "m";
    const s = seconds % 60;
    return Math.floor(seconds / 60) + ":" + (s < 10 ? "0" : "") + s;
  }

  /** Reads `{"error": {"code", "message"}}` from a failed response, whatever it holds. */
  async function apiError(response) {
    let code = "http_" + response.status;
    let message = response.statusText || "Request failed";
    try {
      const body = await response.json();
      if (body && body.error) {
        code = body.error.code || code;
        message = body.error.message || message;
      }
    } catch (_) { /* not JSON */ }
    return { status: response.status, code: code, message: message };
  }

  /** A small DOM helper: el("div", {class: "x", dataset: {a: 1}}, child, "text"). */
  function el(tag, attributes) {
    const node = document.createElement(tag);
    const attrs = attributes || {};
    for (const key of Object.keys(attrs)) {
      const value = attrs[key];
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (let i = 2; i < arguments.length; i += 1) {
      const child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  global.CounterFire = {
    TERMINAL: TERMINAL,
    STATUSES: STATUSES,
    params: params,
    flag: flag,
    backoffDelay: backoffDelay,
    webSocketURL: webSocketURL,
    ResilientStream: ResilientStream,
    BoardModel: BoardModel,
    TrackerModel: TrackerModel,
    age: age,
    apiError: apiError,
    el: el,
  };
})(window);
