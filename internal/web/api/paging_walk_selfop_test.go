package api_test

import (
	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// coolEndpoints: cool-app applications, group apps and cards,
// partner-program applications. The group is the generated one of the
// first generated org, where customer@ is a member (and the group's owner).
func coolEndpoints(o storetest.PagingOwners) []pagingEndpoint {
	group := map[string]string{"org": storetest.GenID("org", 1), "group": storetest.GenID("grp_c", 1)}
	return []pagingEndpoint{
		{"coolapp-applications", "cap", demo.AdminEmail, "/api/v1/coolapp-applications", "id", nil},
		{"coolapp-applications", "cap", demo.PartnerEmail, "/api/v1/apps/{app}/coolapp-applications", "id", map[string]string{"app": storetest.GenID("app_h", 1)}},
		{"group-apps", "ins_g", demo.CustomerEmail, "/api/v1/orgs/{org}/groups/{group}/apps", "installation_id", group},
		{"cards", "crd", demo.CustomerEmail, "/api/v1/orgs/{org}/groups/{group}/cards", "id", group},
		{"partner-applications", "pap", demo.AdminEmail, "/api/v1/partner-program/applications", "id", nil},
	}
}

// selfopEndpoints: leads, contact requests, tickets and ticket health.
func selfopEndpoints(o storetest.PagingOwners) []pagingEndpoint {
	org := map[string]string{"org": o.OrgID}
	partner := map[string]string{"org": o.PartnerID}
	return []pagingEndpoint{
		{"leads", "lead", demo.CustomerEmail, "/api/v1/orgs/{org}/contact-requests", "id", org},
		{"leads", "lead", demo.PartnerEmail, "/api/v1/partners/{org}/leads", "id", partner},
		{"tickets", "tkt", demo.CustomerEmail, "/api/v1/orgs/{org}/tickets", "id", org},
		{"tickets", "tkt", demo.PartnerEmail, "/api/v1/partners/{org}/tickets", "id", partner},
		{"ticket-health", "org_p", demo.AdminEmail, "/api/v1/platform/ticket-health", "partner_org_id", nil},
	}
}
