-- Sign-in failures count per account and client address (so failing on
-- purpose locks out only the one failing, never the account's owner), and
-- the addresses an account signed in from are remembered: past the
-- account's budget of failures only those may still try (see
-- shelf.CheckSignIn).

-- +goose Up
ALTER TABLE login_failures ADD COLUMN addr TEXT NOT NULL DEFAULT '';
CREATE INDEX login_failures_email_addr_at ON login_failures(email, addr, at);
CREATE TABLE login_addresses (
    email           TEXT NOT NULL,
    addr            TEXT NOT NULL,
    last_success_at BIGINT NOT NULL,
    PRIMARY KEY (email, addr)
);

-- +goose Down
DROP TABLE login_addresses;
DROP INDEX login_failures_email_addr_at;
ALTER TABLE login_failures DROP COLUMN addr;
