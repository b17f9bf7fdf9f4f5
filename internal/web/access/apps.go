package access

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
)

// App is the caller's standing towards one app.
type App struct {
	App  *shelf.App
	User *shelf.User
	Role shelf.Role
}

// IsAdmin reports whether the caller administers the app's partner org.
func (a App) IsAdmin() bool { return a.Role == shelf.RoleAdmin }

// RequireApp loads the app in the path and checks the caller belongs to
// its partner org with at least minRole, the console installed; others
// get 404.
func (p *Policy) RequireApp(r *http.Request, minRole shelf.Role) (App, error) {
	u, err := RequireUser(r)
	if err != nil {
		return App{}, err
	}
	a, err := p.apps.App(r.Context(), r.PathValue("app"))
	if err != nil {
		return App{}, err
	}
	_, role, member, err := p.store.OrgForMember(r.Context(), a.OrgID, u.ID)
	if err != nil {
		return App{}, err
	}
	if !member {
		return App{}, shelf.NotFound("app")
	}
	if minRole == shelf.RoleAdmin && role != shelf.RoleAdmin {
		return App{}, shelf.Forbidden("org_admin_required", "only an admin of the app's org may do this")
	}
	if err := p.RequireConsole(r.Context(), a.OrgID); err != nil {
		return App{}, err
	}
	return App{App: a, User: u, Role: role}, nil
}

// RequirePartnerApp loads the app in the path for partner work: the
// caller administers its partner org, where the console is installed.
func (p *Policy) RequirePartnerApp(r *http.Request) (*shelf.App, *shelf.User, error) {
	a, err := p.RequireApp(r, shelf.RoleAdmin)
	return a.App, a.User, err
}
