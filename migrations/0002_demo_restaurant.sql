-- Migration number: 0002 	 2026-11-29T00:00:00.000Z
-- Dev data: restaurant `demo`, kitchen key `demo-kitchen-key` (stored as its SHA-256).
INSERT INTO restaurant (id, name, kitchen_key_hash, created_at)
VALUES ('demo', 'Demo Diner', 'd2f944a606217386635d4b877d12cd203eff3a11e49f3aa97ad71563a98d8274', '2026-11-29T00:00:00.000Z');
