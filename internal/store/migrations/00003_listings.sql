-- The listing workflow: installations (apps authorized into an org or a
-- group, the built-in partner console among them), self-tests in test
-- orgs, listings and their revisions, uploaded images, partner notices and
-- the audit log.

-- +goose Up
-- app_id has no foreign key: built-in apps (app_partner_console) are
-- defined in code, not registered rows. group_id is '' for an org-wide
-- installation, so the unique key works on both engines.
CREATE TABLE installations (
    id           TEXT PRIMARY KEY,
    app_id       TEXT NOT NULL,
    org_id       TEXT NOT NULL REFERENCES orgs(id),
    group_id     TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('active', 'uninstalled')),
    channel      TEXT NOT NULL DEFAULT '',
    installed_by TEXT NOT NULL REFERENCES users(id),
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    UNIQUE (app_id, org_id, group_id)
);
CREATE INDEX installations_org ON installations(org_id, status);

CREATE TABLE self_tests (
    id          TEXT PRIMARY KEY,
    app_id      TEXT NOT NULL REFERENCES apps(id),
    test_org_id TEXT NOT NULL REFERENCES orgs(id),
    started_by  TEXT NOT NULL REFERENCES users(id),
    config_hash TEXT NOT NULL,
    passed      BOOLEAN NOT NULL,
    checks      TEXT NOT NULL,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT NOT NULL
);
CREATE INDEX self_tests_app ON self_tests(app_id, started_at);

CREATE TABLE listings (
    id               TEXT PRIMARY KEY,
    app_id           TEXT NOT NULL UNIQUE REFERENCES apps(id),
    org_id           TEXT NOT NULL REFERENCES orgs(id),
    state            TEXT NOT NULL,
    live_revision_id TEXT NOT NULL DEFAULT '',
    category_id      TEXT NOT NULL DEFAULT '',
    market           BOOLEAN NOT NULL DEFAULT FALSE,
    delist_reason    TEXT NOT NULL DEFAULT '',
    takedown_reason  TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX listings_org ON listings(org_id);
CREATE INDEX listings_market ON listings(state, market, category_id);

-- A revision's fields are kept as JSON (the same document the API and the
-- listing file use); what queries filter on is copied into columns.
CREATE TABLE revisions (
    id             TEXT PRIMARY KEY,
    listing_id     TEXT NOT NULL REFERENCES listings(id),
    number         INTEGER NOT NULL,
    state          TEXT NOT NULL,
    category_id    TEXT NOT NULL DEFAULT '',
    doc            TEXT NOT NULL,
    self_test_id   TEXT NOT NULL DEFAULT '',
    reasons        TEXT NOT NULL DEFAULT '',
    created_by     TEXT NOT NULL REFERENCES users(id),
    submitted_at   BIGINT,
    decided_at     BIGINT,
    decided_by     TEXT NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (listing_id, number)
);
CREATE INDEX revisions_queue ON revisions(state, category_id, submitted_at);

CREATE TABLE media (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES orgs(id),
    content_type TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    size         INTEGER NOT NULL,
    data         TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);

CREATE TABLE notices (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES orgs(id),
    kind       TEXT NOT NULL,
    object_id  TEXT NOT NULL DEFAULT '',
    message    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at    BIGINT
);
CREATE INDEX notices_org ON notices(org_id, created_at);

CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    actor_id    TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    before_doc  TEXT NOT NULL DEFAULT '',
    after_doc   TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    at          BIGINT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_object ON audit_log(object_id, at);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE notices;
DROP TABLE media;
DROP TABLE revisions;
DROP TABLE listings;
DROP TABLE self_tests;
DROP TABLE installations;
