-- Commands for devices, jobs over many devices, operator-registered command types, the audit
-- trail and idempotency keys (issue #3).

-- How a device takes its commands: 'burst' sends every pending one at once, in order;
-- 'sequential' sends the next only when the previous one has a final state.
ALTER TABLE devices ADD COLUMN command_ordering text NOT NULL DEFAULT 'burst'
    CHECK (command_ordering IN ('burst', 'sequential'));

-- Command types registered by operators; the built-in ones live in the protocol module.
CREATE TABLE command_types (
    name        text PRIMARY KEY,
    description text,
    schema      jsonb       NOT NULL,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- A command for many devices: one device_commands row per device.
CREATE TABLE command_jobs (
    id                  uuid PRIMARY KEY,
    type                text        NOT NULL,
    params              jsonb       NOT NULL,
    target              jsonb       NOT NULL,
    ttl_seconds         integer     NOT NULL,
    rollout_per_minute  integer,
    abort_failure_pct   double precision,
    abort_min_finished  integer,
    status              text        NOT NULL DEFAULT 'in_progress'
        CHECK (status IN ('in_progress', 'completed', 'aborted', 'cancelled')),
    status_reason       text,
    created_by          text        NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    ended_at            timestamptz
);

CREATE TABLE device_commands (
    id            uuid PRIMARY KEY,
    -- Global creation order: a device's commands are delivered oldest first.
    seq           bigserial   NOT NULL UNIQUE,
    device_id     uuid        NOT NULL,
    job_id        uuid REFERENCES command_jobs (id),
    type          text        NOT NULL,
    params        jsonb       NOT NULL,
    status        text        NOT NULL
        CHECK (status IN ('pending', 'sent', 'delivered', 'succeeded', 'failed', 'expired', 'cancelled')),
    expires_at    timestamptz NOT NULL,
    -- A job's rollout: not sent before this instant.
    not_before    timestamptz,
    attempts      integer     NOT NULL DEFAULT 0,
    created_by    text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    sent_at       timestamptz,
    last_sent_at  timestamptz,
    delivered_at  timestamptz,
    delivered_via text,
    finished_at   timestamptz,
    expired_at    timestamptz,
    cancelled_at  timestamptz,
    cancelled_by  text,
    -- Set when the hub failed a delivered command whose device never reported a result in time.
    timed_out_at  timestamptz,
    output        jsonb,
    error         text,
    -- A result that came back after the command was cancelled or expired: kept, never hidden.
    late_result   jsonb
);
CREATE INDEX device_commands_open ON device_commands (device_id, seq)
    WHERE status IN ('pending', 'sent', 'delivered');
CREATE INDEX device_commands_device ON device_commands (device_id, seq);
CREATE INDEX device_commands_job ON device_commands (job_id, status) WHERE job_id IS NOT NULL;
CREATE INDEX device_commands_expiry ON device_commands (expires_at) WHERE status IN ('pending', 'sent');
CREATE INDEX device_commands_unacked ON device_commands (last_sent_at) WHERE status = 'sent';
CREATE INDEX device_commands_running ON device_commands (delivered_at) WHERE status = 'delivered';
CREATE INDEX device_commands_rollout ON device_commands (not_before) WHERE status = 'pending' AND not_before IS NOT NULL;

-- Who did what to which command, job or type, and when. Kept after devices are deleted.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    ts          timestamptz NOT NULL DEFAULT now(),
    actor       text        NOT NULL,
    action      text        NOT NULL,
    device_id   uuid,
    command_id  uuid,
    job_id      uuid,
    detail      jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_device ON audit_log (device_id, id) WHERE device_id IS NOT NULL;
CREATE INDEX audit_log_command ON audit_log (command_id, id) WHERE command_id IS NOT NULL;
CREATE INDEX audit_log_job ON audit_log (job_id, id) WHERE job_id IS NOT NULL;

-- Idempotency-Key of a creating POST: a retry with the same key and body gets the first answer.
CREATE TABLE idempotency_keys (
    scope        text        NOT NULL,
    key          text        NOT NULL,
    request_hash bytea       NOT NULL,
    resource_id  uuid        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
