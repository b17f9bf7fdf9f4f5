-- Walking every list one row a page (issue 16) found pages that read far
-- more than their rows:
-- an org's contact requests (its leads of origin 'contact', newest first)
-- sorted all of the org's requests on each page: they get an index of
-- their filter and order; and each lead's count of its org's active
-- installations of the app went through the app's installations and
-- filtered on the org: it now finds the org's own in one lookup.

-- +goose Up
CREATE INDEX leads_org_origin ON leads(org_id, origin, created_at, id);
CREATE INDEX installations_app_org ON installations(app_id, org_id, status);

-- +goose Down
DROP INDEX installations_app_org;
DROP INDEX leads_org_origin;
