-- Sign-in of a device without a browser (RFC 8628, `shelf login --device`):
-- the device holds a secret device code (only its SHA-256 is kept here)
-- and shows the person a short user code to enter on a signed-in page.
-- Approving binds the user; the device's next poll receives a personal
-- token once (state 'used'), in the same transaction that marks it, so two
-- polls can never both receive one.

-- +goose Up
CREATE TABLE device_logins (
    id               TEXT PRIMARY KEY,
    device_code_hash TEXT NOT NULL UNIQUE,
    user_code        TEXT NOT NULL UNIQUE,
    client_name      TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'denied', 'used')),
    user_id          TEXT REFERENCES users(id),
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    polled_at        BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX device_logins_expires ON device_logins(expires_at);

-- +goose Down
DROP TABLE device_logins;
