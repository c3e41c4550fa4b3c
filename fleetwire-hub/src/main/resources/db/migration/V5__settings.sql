-- Settings the hub gives devices (seed 003: every agent setting is managed from the hub), kept as
-- overrides of the hub's defaults: one fleet-wide row and one row per device. Every change takes a
-- new number from settings_version, so a device's settings version (the larger of the fleet's and
-- its own) only ever grows. Version 1 is the hub's defaults with nothing overridden.
CREATE SEQUENCE settings_version START WITH 2;

CREATE TABLE fleet_settings (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    overrides  jsonb       NOT NULL DEFAULT '{}',
    version    bigint      NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text        NOT NULL
);

CREATE TABLE device_settings (
    device_id  uuid        PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    overrides  jsonb       NOT NULL DEFAULT '{}',
    version    bigint      NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text        NOT NULL
);

-- What the device last reported as applied (config_applied).
ALTER TABLE devices
    ADD COLUMN settings_applied_version bigint,
    ADD COLUMN settings_applied_at      timestamptz;
