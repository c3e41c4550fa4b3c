-- Telemetry: one row per sample. Values are stored as a float8[] aligned with a shared, interned
-- list of metric names (metric_sets), so 25 values cost ~250 bytes, not 25 rows.

CREATE TABLE metric_sets (
    id    serial PRIMARY KEY,
    names text[] NOT NULL UNIQUE
);

-- Daily range partitions on ts, created ahead and dropped after the retention period by the hub.
-- (device_id, ts, seq, idx) makes a re-sent message a no-op: INSERT ... ON CONFLICT DO NOTHING.
CREATE TABLE telemetry (
    device_id uuid        NOT NULL,
    ts        timestamptz NOT NULL,
    seq       bigint      NOT NULL,
    idx       smallint    NOT NULL,
    set_id    integer     NOT NULL,
    vals      float8[]    NOT NULL,
    PRIMARY KEY (device_id, ts, seq, idx)
) PARTITION BY RANGE (ts);

-- The newest sample of each device: flattened metrics and the structured state as sent.
CREATE TABLE device_latest (
    device_id uuid PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    ts        timestamptz NOT NULL,
    seq       bigint      NOT NULL,
    metrics   jsonb       NOT NULL,
    state     jsonb       NOT NULL
);
