-- Commerce: subscriptions (one per org and app, kept for ever so a trial is
-- once per org and app), seats, orders with their computation, idempotency
-- keys, and the vendors' install codes and org access tokens.
-- Money is BIGINT minor units with its currency; times BIGINT unix
-- microseconds (0 where "none" reads better than NULL in a comparison).

-- +goose Up
CREATE TABLE subscriptions (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES orgs(id),
    app_id           TEXT NOT NULL REFERENCES apps(id),
    listing_id       TEXT NOT NULL REFERENCES listings(id),
    kind             TEXT NOT NULL CHECK (kind IN ('trial', 'free', 'paid')),
    spec_code        TEXT NOT NULL,
    period           TEXT NOT NULL DEFAULT '',
    users            INTEGER NOT NULL,
    currency         TEXT NOT NULL DEFAULT '',
    unit_price       BIGINT NOT NULL DEFAULT 0,
    starts_at        BIGINT NOT NULL,
    ends_at          BIGINT NOT NULL DEFAULT 0,
    anchor_day       INTEGER NOT NULL DEFAULT 1,
    trial_used       BOOLEAN NOT NULL DEFAULT FALSE,
    free_spec        TEXT NOT NULL DEFAULT '',
    free_users       INTEGER NOT NULL DEFAULT 0,
    next_term        TEXT NOT NULL DEFAULT '',
    assigned_seats   INTEGER NOT NULL DEFAULT 0,
    all_members      BOOLEAN NOT NULL DEFAULT FALSE,
    over_limit_since BIGINT,
    cancelled_at     BIGINT,
    -- What the vendor was told of the term's end, so each notice goes out
    -- once: the term's end it was sent for.
    ending_noticed   BIGINT NOT NULL DEFAULT 0,
    ended_noticed    BIGINT NOT NULL DEFAULT 0,
    version          BIGINT NOT NULL DEFAULT 1,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    UNIQUE (org_id, app_id)
);
CREATE INDEX subscriptions_ends ON subscriptions(ends_at);

-- A seat: a member allowed to use the app. Seats are ranked by the moment
-- they were given: over the limit, the latest ones stop working first.
CREATE TABLE seats (
    subscription_id TEXT NOT NULL REFERENCES subscriptions(id),
    user_id         TEXT NOT NULL REFERENCES users(id),
    assigned_by     TEXT NOT NULL,
    assigned_at     BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, user_id)
);
CREATE INDEX seats_user ON seats(user_id);

CREATE TABLE orders (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES orgs(id),
    app_id       TEXT NOT NULL REFERENCES apps(id),
    listing_id   TEXT NOT NULL REFERENCES listings(id),
    type         TEXT NOT NULL CHECK (type IN ('BUY', 'RENEW', 'UPGRADE', 'RENEW_UPGRADE', 'RENEW_DEGRADE')),
    spec_code    TEXT NOT NULL,
    users        INTEGER NOT NULL,
    periods      INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('created', 'paid', 'fulfilled', 'cancelled', 'refunded')),
    amount       BIGINT NOT NULL,
    currency     TEXT NOT NULL,
    test         BOOLEAN NOT NULL DEFAULT FALSE,
    computation  TEXT NOT NULL,
    channel      TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    paid_at      BIGINT,
    fulfilled_at BIGINT,
    cancelled_at BIGINT,
    refunded_at  BIGINT,
    provider     TEXT NOT NULL DEFAULT '',
    payment_ref  TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    -- The subscription as it was before this order was fulfilled, so a
    -- refund of the latest order can put it back; fulfil_seq orders the
    -- fulfilled orders of one subscription.
    sub_before   TEXT NOT NULL DEFAULT '',
    fulfil_seq   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX orders_org ON orders(org_id, created_at);
CREATE INDEX orders_app ON orders(app_id, created_at);
CREATE INDEX orders_state ON orders(state, created_at);
-- One order waiting for payment per org and app: two could not both be
-- fulfilled against the same subscription.
CREATE UNIQUE INDEX orders_open ON orders(org_id, app_id) WHERE state = 'created';
-- A provider's payment pays one order, once.
CREATE UNIQUE INDEX orders_payment ON orders(provider, payment_ref) WHERE payment_ref <> '';

-- The first answer to an order request, replayed for a retry with the same
-- key and body (Stripe's rule), kept per org.
CREATE TABLE idempotency_keys (
    org_id       TEXT NOT NULL REFERENCES orgs(id),
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (org_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);

-- Install codes (one time, short lived) and the org access tokens a
-- vendor's server gets for them; both stored as SHA-256 hashes.
CREATE TABLE vendor_codes (
    code_hash  TEXT PRIMARY KEY,
    app_id     TEXT NOT NULL REFERENCES apps(id),
    org_id     TEXT NOT NULL REFERENCES orgs(id),
    expires_at BIGINT NOT NULL,
    used_at    BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE vendor_tokens (
    id                 TEXT PRIMARY KEY,
    app_id             TEXT NOT NULL REFERENCES apps(id),
    org_id             TEXT NOT NULL REFERENCES orgs(id),
    -- The install code it came from (a replayed code revokes its tokens,
    -- RFC 6749 §4.1.2); refreshed tokens keep their first code.
    code_hash          TEXT NOT NULL,
    access_hash        TEXT NOT NULL UNIQUE,
    refresh_hash       TEXT NOT NULL UNIQUE,
    access_expires_at  BIGINT NOT NULL,
    refresh_expires_at BIGINT NOT NULL,
    revoked_at         BIGINT,
    created_at         BIGINT NOT NULL
);
CREATE INDEX vendor_tokens_app_org ON vendor_tokens(app_id, org_id);

-- +goose Down
DROP TABLE vendor_tokens;
DROP TABLE vendor_codes;
DROP TABLE idempotency_keys;
DROP TABLE orders;
DROP TABLE seats;
DROP TABLE subscriptions;
