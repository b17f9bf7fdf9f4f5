-- Partner self-operation, second part: leads (商机) and their notes.
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

-- +goose Down
DROP TABLE lead_notes;
DROP TABLE leads;
