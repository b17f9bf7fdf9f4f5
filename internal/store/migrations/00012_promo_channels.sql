-- Own-channel promotion: a partner's channels (short links and QR codes)
-- for its listings, the visits they bring (one per visitor per channel and
-- day, the visitor named by a keyed hash that rotates daily, never the
-- address), each signed-in visitor's last touch per listing, and the
-- installs, trials and paid orders attributed to a channel.

-- +goose Up
CREATE TABLE promo_channels (
    id          TEXT PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    listing_id  TEXT NOT NULL REFERENCES listings(id),
    app_id      TEXT NOT NULL REFERENCES apps(id),
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    name        TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    target      TEXT NOT NULL CHECK (target IN ('listing', 'trial', 'buy')),
    spec_code   TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL DEFAULT '',
    paused      BOOLEAN NOT NULL DEFAULT FALSE,
    expires_at  BIGINT NOT NULL DEFAULT 0,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX promo_channels_listing ON promo_channels(listing_id, created_at);

-- The last-touch window of a listing, when not the default 30 days.
CREATE TABLE promo_settings (
    listing_id       TEXT PRIMARY KEY REFERENCES listings(id),
    attribution_days INTEGER NOT NULL
);

CREATE TABLE promo_visits (
    channel_id TEXT NOT NULL REFERENCES promo_channels(id),
    day        BIGINT NOT NULL,
    visitor    TEXT NOT NULL,
    PRIMARY KEY (channel_id, day, visitor)
);

CREATE TABLE promo_touches (
    user_id    TEXT NOT NULL REFERENCES users(id),
    listing_id TEXT NOT NULL REFERENCES listings(id),
    channel_id TEXT NOT NULL REFERENCES promo_channels(id),
    touched_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, listing_id)
);

-- What a channel brought. counted is false for test orgs and for the
-- partner's own people: such rows travel to the vendor but never reach
-- the funnel.
CREATE TABLE promo_conversions (
    id         TEXT PRIMARY KEY,
    channel_id TEXT NOT NULL REFERENCES promo_channels(id),
    listing_id TEXT NOT NULL REFERENCES listings(id),
    kind       TEXT NOT NULL CHECK (kind IN ('install', 'trial', 'order')),
    org_id     TEXT NOT NULL REFERENCES orgs(id),
    ref_id     TEXT NOT NULL,
    amount     BIGINT NOT NULL DEFAULT 0,
    currency   TEXT NOT NULL DEFAULT '',
    counted    BOOLEAN NOT NULL,
    day        BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (kind, ref_id)
);
CREATE INDEX promo_conversions_listing ON promo_conversions(listing_id, day);

-- +goose Down
DROP TABLE promo_conversions;
DROP TABLE promo_touches;
DROP TABLE promo_visits;
DROP TABLE promo_settings;
DROP TABLE promo_channels;
