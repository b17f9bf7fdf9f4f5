-- Single sign-on: Shelf is an OpenID provider and every registered app a
-- client. Apps declare their redirect URIs (a JSON array of strings, matched
-- exactly) and the URI that starts a third-party-initiated login. The flow's
-- state is in the database, so any node can finish a flow another began:
-- authorization requests with their one-time code (its SHA-256 only),
-- access tokens (the SHA-256 of their id only) and the signing keys (the
-- private key sealed with the server's secret key).

-- +goose Up
ALTER TABLE apps ADD COLUMN redirect_uris TEXT NOT NULL DEFAULT '[]';
ALTER TABLE apps ADD COLUMN initiate_login_uri TEXT NOT NULL DEFAULT '';

-- Signing keys. A new key takes the next generation: the unique constraint
-- is what makes two nodes rotating at once add one key, not two.
CREATE TABLE oidc_keys (
    id          TEXT PRIMARY KEY,
    generation  BIGINT NOT NULL UNIQUE,
    algorithm   TEXT NOT NULL,
    sealed      TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

-- Authorization requests. user_id and org_id are set when the user signs
-- in; code_hash when the code is handed out (NULL before: both engines let
-- a UNIQUE column hold many NULLs); redeemed_at when the code is exchanged.
-- The row outlives the exchange, so a replayed code is recognised and the
-- tokens issued from it revoked (RFC 6749 §4.1.2).
CREATE TABLE oidc_auth_requests (
    id                    TEXT PRIMARY KEY,
    app_id                TEXT NOT NULL REFERENCES apps(id),
    client_id             TEXT NOT NULL,
    redirect_uri          TEXT NOT NULL,
    scopes                TEXT NOT NULL,
    state                 TEXT NOT NULL DEFAULT '',
    nonce                 TEXT NOT NULL DEFAULT '',
    response_type         TEXT NOT NULL,
    response_mode         TEXT NOT NULL DEFAULT '',
    code_challenge        TEXT NOT NULL DEFAULT '',
    code_challenge_method TEXT NOT NULL DEFAULT '',
    login_hint            TEXT NOT NULL DEFAULT '',
    prompt                TEXT NOT NULL DEFAULT '',
    user_id               TEXT REFERENCES users(id),
    org_id                TEXT REFERENCES orgs(id),
    auth_time             BIGINT,
    code_hash             TEXT UNIQUE,
    code_expires_at       BIGINT,
    redeemed_at           BIGINT,
    created_at            BIGINT NOT NULL,
    expires_at            BIGINT NOT NULL
);
CREATE INDEX oidc_auth_requests_expires ON oidc_auth_requests(expires_at);

-- Access tokens, by the SHA-256 of their id.
CREATE TABLE oidc_tokens (
    id_hash         TEXT PRIMARY KEY,
    auth_request_id TEXT NOT NULL REFERENCES oidc_auth_requests(id),
    app_id          TEXT NOT NULL REFERENCES apps(id),
    user_id         TEXT NOT NULL REFERENCES users(id),
    org_id          TEXT NOT NULL REFERENCES orgs(id),
    subject         TEXT NOT NULL,
    scopes          TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    revoked_at      BIGINT
);
CREATE INDEX oidc_tokens_auth_request ON oidc_tokens(auth_request_id);
CREATE INDEX oidc_tokens_expires ON oidc_tokens(expires_at);

-- +goose Down
DROP TABLE oidc_tokens;
DROP TABLE oidc_auth_requests;
DROP TABLE oidc_keys;
ALTER TABLE apps DROP COLUMN initiate_login_uri;
ALTER TABLE apps DROP COLUMN redirect_uris;
