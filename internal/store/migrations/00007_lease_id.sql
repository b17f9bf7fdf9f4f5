-- A delivery's lease names the claim that took it, not only the node: a
-- node that claims a stream again after its own lease ran out (its batch
-- took longer than the lease) must not have the late outcome of its first
-- claim move on, or hand back, the events its second claim is sending.
-- Outcomes are recorded only where lease_id still matches; lease_owner
-- stays, so a restarting node can take back its leases by name.

-- +goose Up
ALTER TABLE deliveries ADD COLUMN lease_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE deliveries DROP COLUMN lease_id;
