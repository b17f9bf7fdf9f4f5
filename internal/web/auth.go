package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
)

// sessionCookie holds the web session token.
const sessionCookie = "shelf_session"

// actor is who is calling.
type actor struct {
	user *shelf.User
	// session is the web session token when the caller came with a cookie;
	// such callers must also prove the request is theirs (CSRF token).
	session string
	csrf    string
	// bearer is the API token when the caller sent one.
	bearer string
}

func actorFrom(ctx context.Context) *actor {
	a, _ := ctx.Value(actorKey).(*actor)
	return a
}

// authenticate resolves the caller from a bearer token or a session cookie.
// A bad bearer token is refused outright; a stale cookie is dropped and the
// caller is anonymous. Unsafe requests on a cookie session must carry the
// session's CSRF token (header X-CSRF-Token or form field csrf_token), on
// top of the cross-origin check in front of this.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var a *actor
		if r.URL.Path == "/metrics" { // the scraper's token is not a user's
			next.ServeHTTP(w, r)
			return
		}
		if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Basic ") {
			// An app's client credentials: the vendor endpoints check them.
		} else if h != "" {
			tok, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				s.writeError(w, r, &shelf.Error{Kind: shelf.KindUnauthenticated, Code: "invalid_token", Message: "use Authorization: Bearer <token>"})
				return
			}
			tok = strings.TrimSpace(tok)
			u, err := s.store.TokenUser(ctx, tok)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			a = &actor{user: u, bearer: tok}
		} else if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			u, csrf, err := s.store.SessionUser(ctx, c.Value)
			switch {
			case err == nil:
				a = &actor{user: u, session: c.Value, csrf: csrf}
			case shelf.ErrorKind(err) == shelf.KindUnauthenticated:
				s.clearSessionCookie(w)
			default:
				s.writeError(w, r, err)
				return
			}
		}
		if a != nil && a.session != "" && !safeMethod(r.Method) && !validCSRF(r, a.csrf) {
			s.writeError(w, r, shelf.Forbidden("csrf_failed", "the form is stale or was not sent by Shelf; reload the page and try again"))
			return
		}
		if a != nil {
			ctx = context.WithValue(ctx, actorKey, a)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func validCSRF(r *http.Request, want string) bool {
	got := r.Header.Get("X-CSRF-Token")
	ct := r.Header.Get("Content-Type")
	if got == "" && (strings.HasPrefix(ct, "application/x-www-form-urlencoded") || strings.HasPrefix(ct, "multipart/form-data")) {
		got = r.PostFormValue("csrf_token")
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(webSessionTTL.Seconds()),
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// The authorization rules. Each returns a *shelf.Error the caller answers
// with; a caller who may not know an org exists gets 404, not 403.
var errSignIn = &shelf.Error{Kind: shelf.KindUnauthenticated, Code: "unauthenticated", Message: "sign in or send a bearer token"}

// requireUser returns the signed-in user or 401.
func requireUser(r *http.Request) (*shelf.User, error) {
	a := actorFrom(r.Context())
	if a == nil {
		return nil, errSignIn
	}
	return a.user, nil
}

// requirePlatform returns the user if they hold the platform role.
func requirePlatform(r *http.Request, role shelf.PlatformRole) (*shelf.User, error) {
	u, err := requireUser(r)
	if err != nil {
		return nil, err
	}
	if !u.HasPlatformRole(role) {
		return nil, shelf.Forbidden("platform_role_required", "this needs the %s role", role)
	}
	return u, nil
}

// orgAccess is what the caller may do in one org.
type orgAccess struct {
	user *shelf.User
	org  *shelf.Org
	role shelf.Role // "" when the caller is a platform admin but not a member
}

func (a orgAccess) isAdmin() bool { return a.role == shelf.RoleAdmin }

// requireOrg loads the org in the path and checks the caller belongs to it
// with at least minRole. Platform admins may read every org but change
// only those they belong to.
func (s *Server) requireOrg(r *http.Request, minRole shelf.Role) (orgAccess, error) {
	u, err := requireUser(r)
	if err != nil {
		return orgAccess{}, err
	}
	o, role, member, err := s.store.OrgForMember(r.Context(), r.PathValue("org"), u.ID)
	if err != nil {
		return orgAccess{}, err
	}
	if !member {
		if !u.HasPlatformRole(shelf.PlatformAdmin) {
			return orgAccess{}, shelf.NotFound("org")
		}
		if minRole != shelf.RoleMember || !safeMethod(r.Method) {
			return orgAccess{}, shelf.Forbidden("org_member_required", "platform admins may read this org but only its members may change it")
		}
	}
	if minRole == shelf.RoleAdmin && role != shelf.RoleAdmin {
		return orgAccess{}, shelf.Forbidden("org_admin_required", "only an admin of this org may do this")
	}
	return orgAccess{user: u, org: o, role: role}, nil
}
