-- Invitations become one-time links: only the person who opens the link,
-- signed in with the invited email, joins; links expire. (Sign-up no longer
-- turns invitations into memberships by the email alone: sign-up does not
-- prove one owns the address.)

-- +goose Up
ALTER TABLE invitations ADD COLUMN token_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE invitations ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX invitations_token ON invitations(token_hash);

-- +goose Down
DROP INDEX invitations_token;
ALTER TABLE invitations DROP COLUMN expires_at;
ALTER TABLE invitations DROP COLUMN token_hash;
