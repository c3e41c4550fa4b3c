-- Devices, their enrollment tokens and their event history.

CREATE TABLE enrollment_tokens (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL UNIQUE,
    token_hash  bytea       NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz,
    max_uses    integer,
    uses        integer     NOT NULL DEFAULT 0,
    revoked_at  timestamptz
);

CREATE TABLE devices (
    id                  uuid PRIMARY KEY,
    name                text        NOT NULL UNIQUE,
    hostname            text,
    labels              jsonb       NOT NULL DEFAULT '{}',
    token_hash          bytea       NOT NULL UNIQUE,
    agent_id            text,
    enrollment_token_id uuid REFERENCES enrollment_tokens (id) ON DELETE SET NULL,
    capabilities        jsonb       NOT NULL DEFAULT '{}',
    agent_name          text,
    agent_version       text,
    online              boolean     NOT NULL DEFAULT false,
    last_seen           timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now()
);

-- Registering the same hostname again with the same enrollment token finds the same device.
CREATE UNIQUE INDEX devices_enrollment_hostname ON devices (enrollment_token_id, hostname)
    WHERE enrollment_token_id IS NOT NULL;
CREATE INDEX devices_created ON devices (created_at, id);

-- Every presence transition and lifecycle step, per device. Kept after the device is deleted.
CREATE TABLE device_events (
    id        bigserial PRIMARY KEY,
    device_id uuid        NOT NULL,
    ts        timestamptz NOT NULL DEFAULT now(),
    kind      text        NOT NULL,
    detail    jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX device_events_device ON device_events (device_id, id);
