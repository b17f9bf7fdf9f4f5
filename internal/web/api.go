package web

import (
	"net/http"
	"slices"
	"strings"
)

// route is one JSON API endpoint. The table is the single list of the API:
// the mux is built from it and a test checks it against the OpenAPI document.
type route struct {
	method  string
	pattern string
	handle  func(w http.ResponseWriter, r *http.Request) error
}

func (s *Server) api(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := rt.handle(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// apiRoutes lists every endpoint under /api/v1.
func (s *Server) apiRoutes() []route {
	return append([]route{
		{"POST", "/api/v1/auth/signup", s.apiSignup},
		{"POST", "/api/v1/auth/token", s.apiToken},
		{"DELETE", "/api/v1/auth/token", s.apiRevokeOwnToken},
		{"GET", "/api/v1/me", s.apiMe},
		{"GET", "/api/v1/me/tokens", s.apiListTokens},
		{"POST", "/api/v1/me/tokens", s.apiCreateToken},
		{"DELETE", "/api/v1/me/tokens/{token}", s.apiDeleteToken},

		{"GET", "/api/v1/orgs", s.apiListOrgs},
		{"POST", "/api/v1/orgs", s.apiCreateOrg},
		{"GET", "/api/v1/orgs/{org}", s.apiGetOrg},
		{"GET", "/api/v1/orgs/{org}/members", s.apiListMembers},
		{"POST", "/api/v1/orgs/{org}/members", s.apiAddMember},
		{"PATCH", "/api/v1/orgs/{org}/members/{user}", s.apiSetMemberRole},
		{"DELETE", "/api/v1/orgs/{org}/members/{user}", s.apiRemoveMember},
		{"GET", "/api/v1/orgs/{org}/invitations", s.apiListInvitations},
		{"POST", "/api/v1/invitations/{token}/accept", s.apiAcceptInvitation},
		{"GET", "/api/v1/orgs/{org}/groups", s.apiListGroups},
		{"POST", "/api/v1/orgs/{org}/groups", s.apiCreateGroup},
		{"POST", "/api/v1/orgs/{org}/groups/{group}/members", s.apiAddGroupMember},
		{"GET", "/api/v1/orgs/{org}/test-orgs", s.apiListTestOrgs},
		{"POST", "/api/v1/orgs/{org}/test-orgs", s.apiCreateTestOrg},

		{"GET", "/api/v1/categories", s.apiListCategories},
		{"POST", "/api/v1/categories", s.apiCreateCategory},
		{"PATCH", "/api/v1/categories/{cat}", s.apiUpdateCategory},
		{"PUT", "/api/v1/categories/{cat}/operators/{user}", s.apiAssignOperator},
		{"DELETE", "/api/v1/categories/{cat}/operators/{user}", s.apiUnassignOperator},
		{"GET", "/api/v1/platform/operators", s.apiListOperators},
	}, slices.Concat(s.appRoutes(), s.installRoutes(), s.listingRoutes())...)
}

// isAPI reports whether the request is for the JSON API.
func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }
