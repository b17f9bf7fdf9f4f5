-- The storefront's featured listings, picked and ordered by platform
-- admins (issue 9). The English fields a listing lacked (description_en,
-- a spec's name_en) need no column: a revision's fields are its JSON
-- document (revisions.doc), and a document without them reads as empty.

-- +goose Up
CREATE TABLE featured_listings (
    listing_id TEXT PRIMARY KEY REFERENCES listings(id),
    position   INTEGER NOT NULL,
    added_by   TEXT NOT NULL,
    added_at   BIGINT NOT NULL
);

-- +goose Down
DROP TABLE featured_listings;
