-- A listing's reviews page by cursor newest first (issue 16): the keyset
-- (created_at, id) needs its unique tail in the index, so the page is one
-- range of it on both engines, with no sort however many reviews there are.

-- +goose Up
DROP INDEX ratings_listing;
CREATE INDEX ratings_listing_created_id ON ratings(listing_id, created_at, id);

-- +goose Down
DROP INDEX ratings_listing_created_id;
CREATE INDEX ratings_listing ON ratings(listing_id, created_at);
