-- Identity and tenancy: users, orgs, memberships, platform roles, groups,
-- categories, sessions and tokens.
-- One SQL text for SQLite and PostgreSQL: ids are TEXT with a type prefix,
-- times are BIGINT unix microseconds (UTC), booleans are BOOLEAN.

-- +goose Up
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);

CREATE TABLE orgs (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('platform', 'partner', 'customer')),
    owner_org_id    TEXT REFERENCES orgs(id),
    test            BOOLEAN NOT NULL DEFAULT FALSE,
    partner_program BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      BIGINT NOT NULL
);
CREATE INDEX orgs_owner ON orgs(owner_org_id);

CREATE TABLE memberships (
    org_id     TEXT NOT NULL REFERENCES orgs(id),
    user_id    TEXT NOT NULL REFERENCES users(id),
    role       TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE invitations (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES orgs(id),
    email      TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    invited_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    UNIQUE (org_id, email)
);
CREATE INDEX invitations_email ON invitations(email);

CREATE TABLE platform_roles (
    user_id    TEXT NOT NULL REFERENCES users(id),
    role       TEXT NOT NULL CHECK (role IN ('platform_admin', 'category_operator')),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE chat_groups (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES orgs(id),
    name       TEXT NOT NULL,
    owner_id   TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX chat_groups_org ON chat_groups(org_id);

CREATE TABLE group_members (
    group_id   TEXT NOT NULL REFERENCES chat_groups(id),
    user_id    TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);

CREATE TABLE categories (
    id         TEXT PRIMARY KEY,
    parent_id  TEXT REFERENCES categories(id),
    name       TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    archived   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);
CREATE INDEX categories_parent ON categories(parent_id);

CREATE TABLE category_operators (
    category_id TEXT NOT NULL REFERENCES categories(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (category_id, user_id)
);
CREATE INDEX category_operators_user ON category_operators(user_id);

-- Web sessions: the cookie holds the token, the table its SHA-256.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    csrf        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- API bearer tokens, stored hashed.
CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('session', 'personal')),
    token_hash   TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Failed sign-ins, for rate limiting across every node.
CREATE TABLE login_failures (
    email TEXT NOT NULL,
    at    BIGINT NOT NULL
);
CREATE INDEX login_failures_email_at ON login_failures(email, at);

-- +goose Down
DROP TABLE login_failures;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE category_operators;
DROP TABLE categories;
DROP TABLE group_members;
DROP TABLE chat_groups;
DROP TABLE platform_roles;
DROP TABLE invitations;
DROP TABLE memberships;
DROP TABLE orgs;
DROP TABLE users;
