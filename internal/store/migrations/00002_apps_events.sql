-- Apps and vendor events: the app registry's first cut, its signing secrets,
-- the transactional outbox (events), one delivery row per event and the log
-- of every delivery attempt.
-- Secrets: the client secret is stored as a SHA-256 hash (it is 256 random
-- bits), the webhook signing secrets AES-GCM sealed and base64 encoded, so
-- the column is TEXT on both engines.

-- +goose Up
CREATE TABLE apps (
    id                 TEXT PRIMARY KEY,
    org_id             TEXT NOT NULL REFERENCES orgs(id),
    kind               TEXT NOT NULL CHECK (kind IN ('org', 'cool')),
    name               TEXT NOT NULL,
    name_en            TEXT NOT NULL DEFAULT '',
    state              TEXT NOT NULL DEFAULT 'active',
    homepage_url       TEXT NOT NULL DEFAULT '',
    launch_url         TEXT NOT NULL DEFAULT '',
    webhook_url        TEXT NOT NULL DEFAULT '',
    client_id          TEXT NOT NULL UNIQUE,
    client_secret_hash TEXT NOT NULL,
    created_by         TEXT REFERENCES users(id),
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX apps_org ON apps(org_id);

-- Signing secrets of an app's webhooks. The current one has no expiry; after
-- a rotation the previous one keeps signing until expires_at.
CREATE TABLE app_signing_secrets (
    id         TEXT PRIMARY KEY,
    app_id     TEXT NOT NULL REFERENCES apps(id),
    sealed     TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT
);
CREATE INDEX app_signing_secrets_app ON app_signing_secrets(app_id);

-- One row per (app, org) that has events: the last sequence number handed out.
CREATE TABLE event_streams (
    app_id   TEXT NOT NULL REFERENCES apps(id),
    org_id   TEXT NOT NULL REFERENCES orgs(id),
    last_seq BIGINT NOT NULL,
    PRIMARY KEY (app_id, org_id)
);

-- The outbox: written in the same transaction as the change it reports.
CREATE TABLE events (
    id         TEXT PRIMARY KEY,
    app_id     TEXT NOT NULL REFERENCES apps(id),
    org_id     TEXT NOT NULL REFERENCES orgs(id),
    seq        BIGINT NOT NULL,
    type       TEXT NOT NULL,
    data       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (app_id, org_id, seq)
);
CREATE INDEX events_app_created ON events(app_id, created_at);

-- The delivery state of each event. pending events go out in seq order per
-- (app, org); parked ones are retried on their own, out of order.
CREATE TABLE deliveries (
    event_id         TEXT PRIMARY KEY REFERENCES events(id),
    app_id           TEXT NOT NULL REFERENCES apps(id),
    org_id           TEXT NOT NULL REFERENCES orgs(id),
    seq              BIGINT NOT NULL,
    event_type       TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'parked', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    give_up_at       BIGINT NOT NULL,
    first_attempt_at BIGINT,
    lease_owner      TEXT NOT NULL DEFAULT '',
    lease_until      BIGINT NOT NULL DEFAULT 0,
    last_status      INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    delivered_at     BIGINT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX deliveries_ready ON deliveries(state, next_attempt_at);
CREATE INDEX deliveries_stream ON deliveries(app_id, org_id, state, seq);
CREATE INDEX deliveries_app_created ON deliveries(app_id, created_at);

-- Every delivery attempt, for the partner's delivery log and health figures.
CREATE TABLE delivery_attempts (
    id           TEXT PRIMARY KEY,
    event_id     TEXT NOT NULL REFERENCES events(id),
    app_id       TEXT NOT NULL REFERENCES apps(id),
    event_type   TEXT NOT NULL,
    attempted_at BIGINT NOT NULL,
    ok           BOOLEAN NOT NULL,
    status_code  INTEGER NOT NULL,
    latency_us   BIGINT NOT NULL,
    error        TEXT NOT NULL DEFAULT '',
    response     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX delivery_attempts_app_at ON delivery_attempts(app_id, attempted_at);
CREATE INDEX delivery_attempts_event ON delivery_attempts(event_id, attempted_at);

-- +goose Down
DROP TABLE delivery_attempts;
DROP TABLE deliveries;
DROP TABLE events;
DROP TABLE event_streams;
DROP TABLE app_signing_secrets;
DROP TABLE apps;
