-- device_latest keeps only the newest full sample of each device (`latest.state`), rewritten at most
-- every FLEETWIRE_LATEST_STATE_SECONDS per device instead of with every message: rewriting a 2-4 KB
-- jsonb row per message cost PostgreSQL 5-7 times what storing the message itself did. The newest
-- numbers (`latest.metrics`, `latest.ts`, `latest.seq`) are read from telemetry itself, whose primary
-- key (device_id, ts, seq, idx) finds a device's newest row directly.
ALTER TABLE device_latest DROP COLUMN metrics;
