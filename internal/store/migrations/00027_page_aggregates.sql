-- What a page of a list shows beside its rows no longer reads the whole
-- list (issue 16, found by walking every list one row a page):
-- a listing's review summary is five kept counts, moved in the transaction
-- that changes a review, instead of a count over every review on each page;
-- the operators' figures read the decisions of the page's operators only.

-- +goose Up
CREATE TABLE rating_counts (
    listing_id TEXT NOT NULL REFERENCES listings(id),
    stars      INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    n          BIGINT NOT NULL,
    PRIMARY KEY (listing_id, stars)
);
INSERT INTO rating_counts (listing_id, stars, n)
    SELECT listing_id, stars, COUNT(*) FROM ratings WHERE hidden_at IS NULL GROUP BY listing_id, stars;
CREATE INDEX revisions_decided_by ON revisions(decided_by, decided_at);

-- +goose Down
DROP INDEX revisions_decided_by;
DROP TABLE rating_counts;
