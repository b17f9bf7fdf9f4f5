-- Cool apps (酷应用): the platform's partner program, cool-app listing
-- applications and what an approved one declares, group admins, and the
-- message cards cool apps post into group chats with their rate limit.
-- Times are BIGINT unix microseconds; documents are JSON text.

-- +goose Up
-- Every application to the partner program, kept after the decision.
CREATE TABLE partner_applications (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES orgs(id),
    company_name    TEXT NOT NULL,
    registration_no TEXT NOT NULL,
    contact         TEXT NOT NULL,
    website         TEXT NOT NULL,
    builds          TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
    reason          TEXT NOT NULL DEFAULT '',
    submitted_by    TEXT NOT NULL,
    decided_by      TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    decided_at      BIGINT
);
CREATE INDEX partner_applications_org ON partner_applications(org_id, created_at);
CREATE INDEX partner_applications_state ON partner_applications(state, created_at);
-- At most one application of an org waits at a time.
CREATE UNIQUE INDEX partner_applications_one_pending ON partner_applications(org_id) WHERE state = 'pending';

-- A suspended member (orgs.partner_program stays true): the row is the
-- suspension; reinstating deletes it (the audit log keeps the history).
CREATE TABLE partner_suspensions (
    org_id       TEXT PRIMARY KEY REFERENCES orgs(id),
    reason       TEXT NOT NULL,
    suspended_by TEXT NOT NULL,
    suspended_at BIGINT NOT NULL
);

-- Every cool-app listing application; a resubmission is a new row, so the
-- earlier ones with their reasons are the history.
CREATE TABLE coolapp_applications (
    id            TEXT PRIMARY KEY,
    app_id        TEXT NOT NULL REFERENCES apps(id),
    org_id        TEXT NOT NULL REFERENCES orgs(id),
    number        INTEGER NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('submitted', 'approved', 'rejected')),
    materials     TEXT NOT NULL,
    self_test_id  TEXT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    field_reasons TEXT NOT NULL DEFAULT '[]',
    submitted_by  TEXT NOT NULL,
    decided_by    TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    decided_at    BIGINT,
    UNIQUE (app_id, number)
);
CREATE INDEX coolapp_applications_state ON coolapp_applications(state, created_at, id);
CREATE UNIQUE INDEX coolapp_applications_one_open ON coolapp_applications(app_id) WHERE state = 'submitted';

-- What the approved application of a cool app declares: entry points,
-- permissions with reasons, scenarios. Group owners read it before installing.
CREATE TABLE cool_apps (
    app_id         TEXT PRIMARY KEY REFERENCES apps(id),
    application_id TEXT NOT NULL REFERENCES coolapp_applications(id),
    declaration    TEXT NOT NULL,
    updated_at     BIGINT NOT NULL
);

-- Group admins may install and uninstall cool apps, as the owner may.
ALTER TABLE group_members ADD COLUMN role TEXT NOT NULL DEFAULT 'member';

-- Message cards posted by cool apps into group chats, read newest first.
CREATE TABLE group_cards (
    id         TEXT PRIMARY KEY,
    group_id   TEXT NOT NULL REFERENCES chat_groups(id),
    org_id     TEXT NOT NULL REFERENCES orgs(id),
    app_id     TEXT NOT NULL REFERENCES apps(id),
    doc        TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX group_cards_page ON group_cards(group_id, created_at, id);

-- The card rate limit per (app, group): GCRA's theoretical arrival time,
-- kept in the database so every node spends the same budget.
CREATE TABLE group_card_limits (
    app_id   TEXT NOT NULL,
    group_id TEXT NOT NULL,
    tat      BIGINT NOT NULL,
    PRIMARY KEY (app_id, group_id)
);

-- +goose Down
DROP TABLE group_card_limits;
DROP INDEX group_cards_page;
DROP TABLE group_cards;
ALTER TABLE group_members DROP COLUMN role;
DROP TABLE cool_apps;
DROP INDEX coolapp_applications_one_open;
DROP INDEX coolapp_applications_state;
DROP TABLE coolapp_applications;
DROP TABLE partner_suspensions;
DROP INDEX partner_applications_one_pending;
DROP INDEX partner_applications_state;
DROP INDEX partner_applications_org;
DROP TABLE partner_applications;
