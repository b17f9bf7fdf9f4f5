-- Every cursor-paged list reads its page through one index: its filter
-- columns, then its sort key (unique: the last column is an id), so the
-- first page costs the same at a thousand rows and at a million, on both
-- engines, with no sort (TestListIndexes checks each query's plan). Where an
-- index of the filter alone existed, the longer one replaces it (it serves
-- the same lookups), so writes keep the same number of indexes.

-- +goose Up
DROP INDEX memberships_user;
CREATE INDEX memberships_user_joined ON memberships(user_id, created_at, org_id);
CREATE INDEX memberships_org_joined ON memberships(org_id, created_at, user_id);
CREATE INDEX invitations_org_email ON invitations(org_id, email, id);
DROP INDEX chat_groups_org;
CREATE INDEX chat_groups_org_name ON chat_groups(org_id, name, id);
DROP INDEX orgs_owner;
CREATE INDEX orgs_owner_created ON orgs(owner_org_id, created_at, id);
DROP INDEX api_tokens_user;
CREATE INDEX api_tokens_user_created ON api_tokens(user_id, created_at, id);
DROP INDEX apps_org;
CREATE INDEX apps_org_name ON apps(org_id, name, id);
DROP INDEX events_app_created;
CREATE INDEX events_app_created_id ON events(app_id, created_at, id);
DROP INDEX delivery_exceptions_app;
CREATE INDEX delivery_exceptions_app_created ON delivery_exceptions(app_id, created_at, event_id);
DROP INDEX delivery_attempts_app_at;
CREATE INDEX delivery_attempts_app_at_id ON delivery_attempts(app_id, attempted_at, id);
DROP INDEX installations_org;
CREATE INDEX installations_org_active ON installations(org_id, status, created_at, id);
CREATE INDEX installations_app_id ON installations(app_id, status, id);
DROP INDEX notices_org;
CREATE INDEX notices_org_created_id ON notices(org_id, created_at, id);
DROP INDEX self_tests_app;
CREATE INDEX self_tests_app_started_id ON self_tests(app_id, started_at, id);
DROP INDEX listings_org;
CREATE INDEX listings_org_created ON listings(org_id, created_at, id);
CREATE INDEX revisions_submitted ON revisions(state, submitted_at, id);
DROP INDEX audit_log_at;
CREATE INDEX audit_log_at_id ON audit_log(at, id);
DROP INDEX audit_log_object;
CREATE INDEX audit_log_object_at ON audit_log(object_id, at, id);
CREATE INDEX audit_log_actor ON audit_log(actor_id, at, id);
DROP INDEX orders_org;
CREATE INDEX orders_org_created ON orders(org_id, created_at, id);
DROP INDEX orders_app;
CREATE INDEX orders_app_created ON orders(app_id, created_at, id);
DROP INDEX orders_state;
CREATE INDEX orders_state_created ON orders(state, created_at, id);
CREATE INDEX orders_created ON orders(created_at, id);
DROP INDEX subscriptions_app;
CREATE INDEX subscriptions_app_org ON subscriptions(app_id, org_id);
CREATE INDEX seats_subscription_assigned ON seats(subscription_id, assigned_at, user_id);
CREATE INDEX platform_roles_role ON platform_roles(role, user_id);
CREATE INDEX statements_partner_month ON statements(partner_org_id, month, id);
CREATE INDEX statements_month_id ON statements(month, id);
CREATE INDEX commission_rates_from ON commission_rates(effective_from, id);
DROP INDEX promo_channels_listing;
CREATE INDEX promo_channels_listing_id ON promo_channels(listing_id, created_at, id);

-- +goose Down
DROP INDEX promo_channels_listing_id;
CREATE INDEX promo_channels_listing ON promo_channels(listing_id, created_at);
DROP INDEX commission_rates_from;
DROP INDEX statements_month_id;
DROP INDEX statements_partner_month;
DROP INDEX platform_roles_role;
DROP INDEX seats_subscription_assigned;
DROP INDEX subscriptions_app_org;
CREATE INDEX subscriptions_app ON subscriptions(app_id);
DROP INDEX orders_created;
DROP INDEX orders_state_created;
CREATE INDEX orders_state ON orders(state, created_at);
DROP INDEX orders_app_created;
CREATE INDEX orders_app ON orders(app_id, created_at);
DROP INDEX orders_org_created;
CREATE INDEX orders_org ON orders(org_id, created_at);
DROP INDEX audit_log_actor;
DROP INDEX audit_log_object_at;
CREATE INDEX audit_log_object ON audit_log(object_id, at);
DROP INDEX audit_log_at_id;
CREATE INDEX audit_log_at ON audit_log(at);
DROP INDEX revisions_submitted;
DROP INDEX listings_org_created;
CREATE INDEX listings_org ON listings(org_id);
DROP INDEX self_tests_app_started_id;
CREATE INDEX self_tests_app ON self_tests(app_id, started_at);
DROP INDEX notices_org_created_id;
CREATE INDEX notices_org ON notices(org_id, created_at);
DROP INDEX installations_app_id;
DROP INDEX installations_org_active;
CREATE INDEX installations_org ON installations(org_id, status);
DROP INDEX delivery_attempts_app_at_id;
CREATE INDEX delivery_attempts_app_at ON delivery_attempts(app_id, attempted_at);
DROP INDEX delivery_exceptions_app_created;
CREATE INDEX delivery_exceptions_app ON delivery_exceptions(app_id, created_at);
DROP INDEX events_app_created_id;
CREATE INDEX events_app_created ON events(app_id, created_at);
DROP INDEX apps_org_name;
CREATE INDEX apps_org ON apps(org_id);
DROP INDEX api_tokens_user_created;
CREATE INDEX api_tokens_user ON api_tokens(user_id);
DROP INDEX orgs_owner_created;
CREATE INDEX orgs_owner ON orgs(owner_org_id);
DROP INDEX chat_groups_org_name;
CREATE INDEX chat_groups_org ON chat_groups(org_id);
DROP INDEX invitations_org_email;
DROP INDEX memberships_org_joined;
DROP INDEX memberships_user_joined;
CREATE INDEX memberships_user ON memberships(user_id);
