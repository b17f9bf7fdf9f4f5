-- Partner self-operation: the platform's commission rates, the split of
-- every paid order and refund as it happened, and the partners' monthly
-- statements. Money is BIGINT minor units with its currency; rates are
-- basis points (1/100 of a percent); times BIGINT unix microseconds.

-- +goose Up
-- A commission rate applies from effective_from on, for every partner
-- (default), the listings of a category, or one partner org. Rows are
-- never changed: a new rate is a new row from a later moment.
CREATE TABLE commission_rates (
    id             TEXT PRIMARY KEY,
    scope          TEXT NOT NULL CHECK (scope IN ('default', 'category', 'partner')),
    scope_id       TEXT NOT NULL DEFAULT '',
    rate_bp        INTEGER NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
    effective_from BIGINT NOT NULL,
    created_by     TEXT NOT NULL,
    created_at     BIGINT NOT NULL
);
CREATE INDEX commission_rates_scope ON commission_rates(scope, scope_id, effective_from);

-- A partner's statement of one month and currency, with running totals
-- kept by the transactions that add its entries; closed, it never changes.
CREATE TABLE statements (
    id             TEXT PRIMARY KEY,
    partner_org_id TEXT NOT NULL REFERENCES orgs(id),
    month          TEXT NOT NULL,
    currency       TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    orders         INTEGER NOT NULL DEFAULT 0,
    gross          BIGINT NOT NULL DEFAULT 0,
    refunds        INTEGER NOT NULL DEFAULT 0,
    refunded       BIGINT NOT NULL DEFAULT 0,
    commission     BIGINT NOT NULL DEFAULT 0,
    net            BIGINT NOT NULL DEFAULT 0,
    carried_in     BIGINT NOT NULL DEFAULT 0,
    payout         BIGINT NOT NULL DEFAULT 0,
    carried_out    BIGINT NOT NULL DEFAULT 0,
    closed_at      BIGINT,
    closed_by      TEXT NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (partner_org_id, currency, month)
);
CREATE INDEX statements_month ON statements(month, state);

-- The split of a paid order (kind 'order') or of its refund ('refund',
-- negative amounts), written in the transaction of the payment or refund.
CREATE TABLE settlement_entries (
    id             TEXT PRIMARY KEY,
    statement_id   TEXT NOT NULL REFERENCES statements(id),
    partner_org_id TEXT NOT NULL,
    order_id       TEXT NOT NULL REFERENCES orders(id),
    kind           TEXT NOT NULL CHECK (kind IN ('order', 'refund')),
    org_id         TEXT NOT NULL,
    app_id         TEXT NOT NULL,
    listing_id     TEXT NOT NULL,
    order_type     TEXT NOT NULL,
    amount         BIGINT NOT NULL,
    commission     BIGINT NOT NULL,
    net            BIGINT NOT NULL,
    rate_bp        INTEGER NOT NULL,
    rate_id        TEXT NOT NULL DEFAULT '',
    currency       TEXT NOT NULL,
    at             BIGINT NOT NULL,
    UNIQUE (order_id, kind)
);
CREATE INDEX settlement_entries_statement ON settlement_entries(statement_id, at);

-- The sales dashboard's daily figures per partner, day (UTC,
-- "2027-01-31"), listing, currency and order type, kept by the same
-- transactions as the entries (refunds count on the day they happen), so
-- the dashboard reads days, never orders.
CREATE TABLE sales_daily (
    partner_org_id TEXT NOT NULL,
    day            TEXT NOT NULL,
    listing_id     TEXT NOT NULL,
    currency       TEXT NOT NULL,
    order_type     TEXT NOT NULL,
    orders         INTEGER NOT NULL DEFAULT 0,
    gross          BIGINT NOT NULL DEFAULT 0,
    refunds        INTEGER NOT NULL DEFAULT 0,
    refunded       BIGINT NOT NULL DEFAULT 0,
    commission     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (partner_org_id, day, listing_id, currency, order_type)
);
-- Covering, so a dashboard reads a partner's days from the index alone
-- (SQLite otherwise judges a scan of the table cheaper than the key's
-- lookups once the table is analyzed).
CREATE INDEX sales_daily_cover ON sales_daily(partner_org_id, day, listing_id, currency, order_type, orders, gross, refunds, refunded, commission);

-- The orgs that paid for a partner's listing in a month: the dashboard's
-- revenue per paying org.
CREATE TABLE sales_org_months (
    partner_org_id TEXT NOT NULL,
    month          TEXT NOT NULL,
    listing_id     TEXT NOT NULL,
    currency       TEXT NOT NULL,
    org_id         TEXT NOT NULL,
    PRIMARY KEY (partner_org_id, month, listing_id, currency, org_id)
);

-- The dashboard reads a partner's subscriptions by app.
CREATE INDEX subscriptions_app ON subscriptions(app_id);

-- Customer reviews: one per org and listing, by a member of an org that
-- has had the app installed; the partner replies once; an operator hides
-- one with a reason.
CREATE TABLE ratings (
    id            TEXT PRIMARY KEY,
    listing_id    TEXT NOT NULL REFERENCES listings(id),
    org_id        TEXT NOT NULL REFERENCES orgs(id),
    author_id     TEXT NOT NULL REFERENCES users(id),
    author_role   TEXT NOT NULL,
    stars         INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    body          TEXT NOT NULL,
    reply         TEXT NOT NULL DEFAULT '',
    reply_by      TEXT NOT NULL DEFAULT '',
    replied_at    BIGINT,
    hidden_reason TEXT NOT NULL DEFAULT '',
    hidden_by     TEXT NOT NULL DEFAULT '',
    hidden_at     BIGINT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (listing_id, org_id)
);
CREATE INDEX ratings_listing ON ratings(listing_id, created_at);

-- +goose Down
DROP TABLE ratings;
DROP INDEX subscriptions_app;
DROP TABLE sales_org_months;
DROP INDEX sales_daily_cover;
DROP TABLE sales_daily;
DROP TABLE settlement_entries;
DROP TABLE statements;
DROP TABLE commission_rates;
