-- Delivery state per stream, not per event (issue 15). A stream (app, org)
-- goes out in seq order and only its head can wait for a retry, so the
-- state that changes while delivering is one row per stream: the cursor
-- (delivered_seq: every event up to it is settled), the head's retry state,
-- and the lease of the claim sending it. An event is delivered when
-- seq <= delivered_seq and it has no exception; pending when seq >
-- delivered_seq. Events parked (they held their stream up past the order
-- cap, or were resent) or failed for good move to delivery_exceptions, so
-- the stream goes on. The attempt log stays append-only; attempt_no says
-- which attempt of its delivery an attempt was (0: a late outcome of a lost
-- lease, logged only), so a delivered event's attempts, status and time
-- come from its last counted attempt. pruned_seq hides the delivery log of
-- settled events up to it (retention); the events stay for the pull API.
--
-- The lease covers seqs lease_lo..lease_hi of the stream: the events a
-- claim took and has not reported on yet.

-- +goose Up
ALTER TABLE event_streams ADD COLUMN delivered_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE event_streams ADD COLUMN pruned_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE event_streams ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event_streams ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE event_streams ADD COLUMN give_up_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE event_streams ADD COLUMN first_attempt_at BIGINT;
ALTER TABLE event_streams ADD COLUMN last_status INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event_streams ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE event_streams ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE event_streams ADD COLUMN lease_id TEXT NOT NULL DEFAULT '';
ALTER TABLE event_streams ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE event_streams ADD COLUMN lease_lo BIGINT NOT NULL DEFAULT 0;
ALTER TABLE event_streams ADD COLUMN lease_hi BIGINT NOT NULL DEFAULT 0;

CREATE TABLE delivery_exceptions (
    event_id         TEXT PRIMARY KEY REFERENCES events(id),
    app_id           TEXT NOT NULL REFERENCES apps(id),
    org_id           TEXT NOT NULL REFERENCES orgs(id),
    seq              BIGINT NOT NULL,
    event_type       TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('parked', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    give_up_at       BIGINT NOT NULL,
    first_attempt_at BIGINT,
    lease_owner      TEXT NOT NULL DEFAULT '',
    lease_id         TEXT NOT NULL DEFAULT '',
    lease_until      BIGINT NOT NULL DEFAULT 0,
    last_status      INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX delivery_exceptions_due ON delivery_exceptions(state, next_attempt_at);
CREATE INDEX delivery_exceptions_app ON delivery_exceptions(app_id, created_at);

ALTER TABLE delivery_attempts ADD COLUMN attempt_no INTEGER NOT NULL DEFAULT 0;

-- The cursor: just before the lowest pending event (pending events are
-- always a stream's last ones), or the last seq when none is pending.
UPDATE event_streams SET delivered_seq = COALESCE((SELECT MIN(d.seq) - 1 FROM deliveries d
    WHERE d.app_id = event_streams.app_id AND d.org_id = event_streams.org_id AND d.state = 'pending'), event_streams.last_seq);

-- The head's retry state and lease, from the lowest pending event's row;
-- the lease reaches as far as the pending events its claim took.
UPDATE event_streams SET attempts = h.attempts, next_attempt_at = h.next_attempt_at, give_up_at = h.give_up_at,
    first_attempt_at = h.first_attempt_at, last_status = h.last_status, last_error = h.last_error,
    lease_owner = h.lease_owner, lease_id = h.lease_id, lease_until = h.lease_until,
    lease_lo = CASE WHEN h.lease_id = '' THEN 0 ELSE h.seq END,
    lease_hi = CASE WHEN h.lease_id = '' THEN 0 ELSE (SELECT MAX(f.seq) FROM deliveries f WHERE f.app_id = h.app_id AND f.org_id = h.org_id
        AND f.state = 'pending' AND f.lease_id = h.lease_id) END
FROM deliveries h
WHERE h.app_id = event_streams.app_id AND h.org_id = event_streams.org_id AND h.seq = event_streams.delivered_seq + 1 AND h.state = 'pending';

-- Retention: the log of settled events whose rows were pruned stays hidden
-- (up to the first event that still has a row, parked ones aside: they
-- stay visible as exceptions).
UPDATE event_streams SET pruned_seq = COALESCE((SELECT MIN(d.seq) - 1 FROM deliveries d
    WHERE d.app_id = event_streams.app_id AND d.org_id = event_streams.org_id AND d.state <> 'parked'), event_streams.delivered_seq);

INSERT INTO delivery_exceptions (event_id, app_id, org_id, seq, event_type, state, attempts, next_attempt_at, give_up_at, first_attempt_at,
    lease_owner, lease_id, lease_until, last_status, last_error, created_at, updated_at)
SELECT event_id, app_id, org_id, seq, event_type, state, attempts, next_attempt_at, give_up_at, first_attempt_at,
    lease_owner, lease_id, lease_until, last_status, last_error, created_at, updated_at
FROM deliveries WHERE state IN ('parked', 'failed');

-- A delivered event's attempts count is read from its last counted attempt.
UPDATE delivery_attempts SET attempt_no = (SELECT d.attempts FROM deliveries d WHERE d.event_id = delivery_attempts.event_id)
WHERE ok AND EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = delivery_attempts.event_id AND d.state = 'delivered');

DROP TABLE deliveries;

-- What a dispatcher may claim: streams with a pending head, by due time.
CREATE INDEX event_streams_due ON event_streams(next_attempt_at) WHERE last_seq > delivered_seq;

-- +goose Down
CREATE TABLE deliveries (
    event_id         TEXT PRIMARY KEY REFERENCES events(id),
    app_id           TEXT NOT NULL REFERENCES apps(id),
    org_id           TEXT NOT NULL REFERENCES orgs(id),
    seq              BIGINT NOT NULL,
    event_type       TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'parked', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    give_up_at       BIGINT NOT NULL,
    first_attempt_at BIGINT,
    lease_owner      TEXT NOT NULL DEFAULT '',
    lease_until      BIGINT NOT NULL DEFAULT 0,
    last_status      INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    delivered_at     BIGINT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    queued           BOOLEAN NOT NULL DEFAULT FALSE,
    lease_id         TEXT NOT NULL DEFAULT ''
);
INSERT INTO deliveries (event_id, app_id, org_id, seq, event_type, state, queued, attempts, next_attempt_at, give_up_at, first_attempt_at,
    lease_owner, lease_id, lease_until, last_status, last_error, created_at, updated_at)
SELECT e.id, e.app_id, e.org_id, e.seq, e.type, 'pending', e.seq = s.delivered_seq + 1,
    CASE WHEN e.seq = s.delivered_seq + 1 THEN s.attempts ELSE 0 END,
    CASE WHEN e.seq = s.delivered_seq + 1 THEN s.next_attempt_at ELSE e.created_at END,
    CASE WHEN e.seq = s.delivered_seq + 1 THEN s.give_up_at ELSE e.created_at + 259200000000 END,
    CASE WHEN e.seq = s.delivered_seq + 1 THEN s.first_attempt_at END,
    '', '', 0,
    CASE WHEN e.seq = s.delivered_seq + 1 THEN s.last_status ELSE 0 END,
    CASE WHEN e.seq = s.delivered_seq + 1 THEN s.last_error ELSE '' END,
    e.created_at, e.created_at
FROM events e JOIN event_streams s ON s.app_id = e.app_id AND s.org_id = e.org_id WHERE e.seq > s.delivered_seq;
INSERT INTO deliveries (event_id, app_id, org_id, seq, event_type, state, queued, attempts, next_attempt_at, give_up_at, first_attempt_at,
    lease_owner, lease_id, lease_until, last_status, last_error, created_at, updated_at)
SELECT event_id, app_id, org_id, seq, event_type, state, state = 'parked', attempts, next_attempt_at, give_up_at, first_attempt_at,
    lease_owner, lease_id, lease_until, last_status, last_error, created_at, updated_at
FROM delivery_exceptions;
INSERT INTO deliveries (event_id, app_id, org_id, seq, event_type, state, attempts, next_attempt_at, give_up_at, delivered_at, created_at, updated_at)
SELECT e.id, e.app_id, e.org_id, e.seq, e.type, 'delivered',
    COALESCE((SELECT MAX(a.attempt_no) FROM delivery_attempts a WHERE a.event_id = e.id), 0),
    e.created_at, e.created_at + 259200000000,
    (SELECT MAX(a.attempted_at) FROM delivery_attempts a WHERE a.event_id = e.id AND a.ok),
    e.created_at, e.created_at
FROM events e JOIN event_streams s ON s.app_id = e.app_id AND s.org_id = e.org_id
WHERE e.seq > s.pruned_seq AND e.seq <= s.delivered_seq AND NOT EXISTS (SELECT 1 FROM delivery_exceptions x WHERE x.event_id = e.id);
CREATE INDEX deliveries_queue ON deliveries(queued, next_attempt_at);
CREATE INDEX deliveries_stream ON deliveries(app_id, org_id, state, seq);
CREATE INDEX deliveries_app_created ON deliveries(app_id, created_at);
DROP INDEX event_streams_due;
DROP TABLE delivery_exceptions;
ALTER TABLE delivery_attempts DROP COLUMN attempt_no;
ALTER TABLE event_streams DROP COLUMN lease_hi;
ALTER TABLE event_streams DROP COLUMN lease_lo;
ALTER TABLE event_streams DROP COLUMN lease_until;
ALTER TABLE event_streams DROP COLUMN lease_id;
ALTER TABLE event_streams DROP COLUMN lease_owner;
ALTER TABLE event_streams DROP COLUMN last_error;
ALTER TABLE event_streams DROP COLUMN last_status;
ALTER TABLE event_streams DROP COLUMN first_attempt_at;
ALTER TABLE event_streams DROP COLUMN give_up_at;
ALTER TABLE event_streams DROP COLUMN next_attempt_at;
ALTER TABLE event_streams DROP COLUMN attempts;
ALTER TABLE event_streams DROP COLUMN pruned_seq;
ALTER TABLE event_streams DROP COLUMN delivered_seq;
