-- Deliveries get a queued flag: true for what a dispatcher may claim (the
-- head of each (app, org) stream, and parked events), so claiming reads an
-- index instead of scanning the whole backlog for stream heads. The flag is
-- kept by Emit, RecordDeliveries and resends (internal/store/deliveries.go).

-- +goose Up
ALTER TABLE deliveries ADD COLUMN queued BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE deliveries SET queued = TRUE
WHERE state = 'parked' OR (state = 'pending' AND NOT EXISTS (
    SELECT 1 FROM deliveries p WHERE p.app_id = deliveries.app_id AND p.org_id = deliveries.org_id
    AND p.state = 'pending' AND p.seq < deliveries.seq));
DROP INDEX deliveries_ready;
CREATE INDEX deliveries_queue ON deliveries(queued, next_attempt_at);

-- +goose Down
DROP INDEX deliveries_queue;
CREATE INDEX deliveries_ready ON deliveries(state, next_attempt_at);
ALTER TABLE deliveries DROP COLUMN queued;
