-- Partner self-operation, second part: leads (商机) and their notes,
-- service tickets (服务) with their messages, attachments and targets,
-- and customers' flags on reviews.
-- Times BIGINT unix microseconds; dates TEXT "2027-01-31".

-- +goose Up
-- A lead of one listing's partner with one org. Contact details are kept
-- only while the customer's consent stands: withdrawn, they are erased
-- and the lead stays, anonymised.
CREATE TABLE leads (
    id                   TEXT PRIMARY KEY,
    listing_id           TEXT NOT NULL REFERENCES listings(id),
    app_id               TEXT NOT NULL,
    partner_org_id       TEXT NOT NULL REFERENCES orgs(id),
    org_id               TEXT NOT NULL REFERENCES orgs(id),
    origin               TEXT NOT NULL CHECK (origin IN ('contact', 'trial_started', 'trial_ending')),
    source               TEXT NOT NULL,
    channel              TEXT NOT NULL DEFAULT '',
    state                TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'contacted', 'won', 'lost')),
    lost_reason          TEXT NOT NULL DEFAULT '',
    owner_id             TEXT NOT NULL DEFAULT '',
    next_follow_up       TEXT NOT NULL DEFAULT '',
    consent              TEXT NOT NULL CHECK (consent IN ('given', 'withdrawn', 'none')),
    contact_name         TEXT NOT NULL DEFAULT '',
    contact_email        TEXT NOT NULL DEFAULT '',
    message              TEXT NOT NULL DEFAULT '',
    requested_by         TEXT NOT NULL DEFAULT '',
    consent_withdrawn_at BIGINT,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);
CREATE INDEX leads_partner ON leads(partner_org_id, created_at, id);
CREATE INDEX leads_org ON leads(org_id, listing_id, origin);

CREATE TABLE lead_notes (
    id         TEXT PRIMARY KEY,
    lead_id    TEXT NOT NULL REFERENCES leads(id),
    author_id  TEXT NOT NULL REFERENCES users(id),
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX lead_notes_lead ON lead_notes(lead_id, created_at);

-- A partner's service targets per priority (minutes from opening); none
-- set, shelf.DefaultServiceTargets apply.
CREATE TABLE service_targets (
    partner_org_id         TEXT NOT NULL REFERENCES orgs(id),
    priority               TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    first_response_minutes INTEGER NOT NULL,
    resolution_minutes     INTEGER NOT NULL,
    updated_at             BIGINT NOT NULL,
    PRIMARY KEY (partner_org_id, priority)
);

-- A customer org's service ticket on an installed app. The due times are
-- the partner's targets when it was opened, so later changes never move
-- them.
CREATE TABLE tickets (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES orgs(id),
    app_id            TEXT NOT NULL REFERENCES apps(id),
    listing_id        TEXT NOT NULL,
    partner_org_id    TEXT NOT NULL REFERENCES orgs(id),
    opened_by         TEXT NOT NULL REFERENCES users(id),
    subject           TEXT NOT NULL,
    priority          TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    state             TEXT NOT NULL CHECK (state IN ('open', 'answered', 'waiting_customer', 'closed')),
    first_response_at BIGINT,
    closed_at         BIGINT,
    response_due_at   BIGINT NOT NULL,
    resolution_due_at BIGINT NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX tickets_partner ON tickets(partner_org_id, created_at, id);
CREATE INDEX tickets_org ON tickets(org_id, created_at, id);

CREATE TABLE ticket_messages (
    id         TEXT PRIMARY KEY,
    ticket_id  TEXT NOT NULL REFERENCES tickets(id),
    author_id  TEXT NOT NULL REFERENCES users(id),
    side       TEXT NOT NULL CHECK (side IN ('customer', 'partner')),
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ticket_messages_ticket ON ticket_messages(ticket_id, created_at);

-- A message's attached file, checked and (images) re-encoded before it
-- is kept; base64 as media are.
CREATE TABLE ticket_attachments (
    id           TEXT PRIMARY KEY,
    ticket_id    TEXT NOT NULL REFERENCES tickets(id),
    message_id   TEXT NOT NULL REFERENCES ticket_messages(id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    data         TEXT NOT NULL
);
CREATE INDEX ticket_attachments_message ON ticket_attachments(message_id);

-- Customers flag a review as abusive, once each; operators see the count.
CREATE TABLE rating_flags (
    rating_id  TEXT NOT NULL REFERENCES ratings(id),
    user_id    TEXT NOT NULL REFERENCES users(id),
    reason     TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (rating_id, user_id)
);

-- +goose Down
DROP TABLE rating_flags;
DROP TABLE ticket_attachments;
DROP TABLE ticket_messages;
DROP TABLE tickets;
DROP TABLE service_targets;
DROP TABLE lead_notes;
DROP TABLE leads;
