package api_test

import (
	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// commerceEndpoints: subscriptions, seats, orders and statements. One set
// of orders (the customer's, of the app) serves the org's, the app's and
// the platform's lists; the partner's statements, its own and the
// platform's (every month's: the walk sends no ?month=).
func commerceEndpoints(o storetest.PagingOwners) []pagingEndpoint {
	org := map[string]string{"org": o.OrgID}
	app := map[string]string{"app": o.AppID}
	return []pagingEndpoint{
		{"subscriptions", "sub", demo.CustomerEmail, "/api/v1/orgs/{org}/subscriptions", "id", org},
		{"app-subscriptions", "sub_a", demo.PartnerEmail, "/api/v1/apps/{app}/subscriptions", "id", app},
		{"seats", "usr", demo.CustomerEmail, "/api/v1/orgs/{org}/subscriptions/{app}/seats", "user_id",
			map[string]string{"org": o.OrgID, "app": storetest.GenID("app", 1)}},
		{"orders", "ord", demo.CustomerEmail, "/api/v1/orgs/{org}/orders", "id", org},
		{"orders", "ord", demo.PartnerEmail, "/api/v1/apps/{app}/orders", "id", app},
		{"orders", "ord", demo.AdminEmail, "/api/v1/platform/orders", "id", nil},
		{"statements", "stm", demo.PartnerEmail, "/api/v1/partners/{org}/statements", "id", map[string]string{"org": o.PartnerID}},
		{"statements", "stm", demo.AdminEmail, "/api/v1/platform/statements", "id", nil},
	}
}
