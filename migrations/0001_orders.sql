-- Migration number: 0001 	 2026-11-29T00:00:00.000Z
-- CounterFire's schema. D1 is the source of truth; `order_event` is an append-only log.

CREATE TABLE restaurant (
    id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    name TEXT NOT NULL,
    -- SHA-256 (hex) of the kitchen key; the key itself is never stored.
    kitchen_key_hash TEXT NOT NULL,
    -- The next display number and the last cursor handed out, advanced inside each write batch.
    next_number INTEGER NOT NULL DEFAULT 1,
    last_cursor INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    restaurant_id TEXT NOT NULL REFERENCES restaurant(id),
    number INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('received', 'preparing', 'ready', 'completed', 'cancelled')),
    items TEXT NOT NULL,
    customer_name TEXT,
    -- The seq of the last event applied to this order.
    seq INTEGER NOT NULL,
    -- SHA-256 (hex) of the tracker token: a capability for this order alone.
    tracker_token_hash TEXT NOT NULL UNIQUE,
    status_times TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (restaurant_id, number)
);

CREATE INDEX orders_open ON orders (restaurant_id, status);

CREATE TABLE order_event (
    restaurant_id TEXT NOT NULL REFERENCES restaurant(id),
    -- Restaurant-wide position in the log, strictly increasing in commit order.
    cursor INTEGER NOT NULL,
    order_id TEXT NOT NULL REFERENCES orders(id),
    -- Per order: 1, 2, 3, ... no gaps, no repeats.
    seq INTEGER NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('order.created', 'order.status_changed')),
    status TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (restaurant_id, cursor),
    UNIQUE (order_id, seq)
);

CREATE TRIGGER order_event_is_append_only_update BEFORE UPDATE ON order_event
BEGIN
    SELECT RAISE(ABORT, 'order_event is append-only');
END;

CREATE TRIGGER order_event_is_append_only_delete BEFORE DELETE ON order_event
BEGIN
    SELECT RAISE(ABORT, 'order_event is append-only');
END;

CREATE TABLE idempotency_key (
    restaurant_id TEXT NOT NULL REFERENCES restaurant(id),
    key TEXT NOT NULL,
    -- SHA-256 (hex) of the canonical request body: the same key with another body is a conflict.
    request_hash TEXT NOT NULL,
    order_id TEXT NOT NULL REFERENCES orders(id),
    tracker_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (restaurant_id, key)
);
