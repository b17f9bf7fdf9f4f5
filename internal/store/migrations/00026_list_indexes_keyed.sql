-- The lists whose callers continue after one string key (a group's apps,
-- an app's cool-app applications, the queues of all states) now page
-- through the store's keyset like every list (issue 16): each gets the
-- index its filter and order need, so the page is one range on both
-- engines however long the list grows.

-- +goose Up
CREATE INDEX installations_group ON installations(group_id, status, id);
CREATE INDEX coolapp_applications_app ON coolapp_applications(app_id, created_at, id);
CREATE INDEX coolapp_applications_created ON coolapp_applications(created_at, id);
DROP INDEX partner_applications_state;
CREATE INDEX partner_applications_state_page ON partner_applications(state, created_at, id);
CREATE INDEX partner_applications_created ON partner_applications(created_at, id);

-- +goose Down
DROP INDEX partner_applications_created;
DROP INDEX partner_applications_state_page;
CREATE INDEX partner_applications_state ON partner_applications(state, created_at);
DROP INDEX coolapp_applications_created;
DROP INDEX coolapp_applications_app;
DROP INDEX installations_group;
