-- The attempt log loses its primary key on the random attempt id. Nothing
-- looks an attempt up by id (the log is read by app and time, or by event;
-- the id only breaks ties and is shown), yet every attempt inserted into
-- the key's index landed on a random page: with the event index, two of
-- the three random index pages a delivery dirtied at every round. Without
-- it SQLite keeps the rows in insertion order (rowid) and PostgreSQL in a
-- heap, and one index fewer is written per attempt. Ids stay random and
-- NOT NULL, so they stay unique in practice.

-- +goose Up
CREATE TABLE delivery_attempts_next (
    id           TEXT NOT NULL,
    event_id     TEXT NOT NULL REFERENCES events(id),
    app_id       TEXT NOT NULL REFERENCES apps(id),
    event_type   TEXT NOT NULL,
    attempted_at BIGINT NOT NULL,
    ok           BOOLEAN NOT NULL,
    status_code  INTEGER NOT NULL,
    latency_us   BIGINT NOT NULL,
    error        TEXT NOT NULL DEFAULT '',
    response     TEXT NOT NULL DEFAULT ''
);
INSERT INTO delivery_attempts_next (id, event_id, app_id, event_type, attempted_at, ok, status_code, latency_us, error, response)
SELECT id, event_id, app_id, event_type, attempted_at, ok, status_code, latency_us, error, response FROM delivery_attempts
ORDER BY attempted_at, id;
DROP TABLE delivery_attempts;
ALTER TABLE delivery_attempts_next RENAME TO delivery_attempts;
CREATE INDEX delivery_attempts_app_at ON delivery_attempts(app_id, attempted_at);
CREATE INDEX delivery_attempts_event ON delivery_attempts(event_id, attempted_at);

-- +goose Down
CREATE TABLE delivery_attempts_prev (
    id           TEXT PRIMARY KEY,
    event_id     TEXT NOT NULL REFERENCES events(id),
    app_id       TEXT NOT NULL REFERENCES apps(id),
    event_type   TEXT NOT NULL,
    attempted_at BIGINT NOT NULL,
    ok           BOOLEAN NOT NULL,
    status_code  INTEGER NOT NULL,
    latency_us   BIGINT NOT NULL,
    error        TEXT NOT NULL DEFAULT '',
    response     TEXT NOT NULL DEFAULT ''
);
INSERT INTO delivery_attempts_prev (id, event_id, app_id, event_type, attempted_at, ok, status_code, latency_us, error, response)
SELECT id, event_id, app_id, event_type, attempted_at, ok, status_code, latency_us, error, response FROM delivery_attempts;
DROP TABLE delivery_attempts;
ALTER TABLE delivery_attempts_prev RENAME TO delivery_attempts;
CREATE INDEX delivery_attempts_app_at ON delivery_attempts(app_id, attempted_at);
CREATE INDEX delivery_attempts_event ON delivery_attempts(event_id, attempted_at);
