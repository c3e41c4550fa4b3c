-- Files operators upload for devices to fetch, e.g. the agent build a software_update installs.
CREATE TABLE artifacts (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL,
    sha256      text        NOT NULL,
    size        bigint      NOT NULL,
    content     bytea       NOT NULL,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
