-- The guestbook: one row per signature.
CREATE TABLE entries (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  signed_at INTEGER NOT NULL
);
