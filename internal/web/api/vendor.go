package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

// oauthError is an error of the token endpoint, in RFC 6749 §5.2's form.
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

func writeOAuthError(w http.ResponseWriter, status int, code, desc string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="shelf"`)
	}
	w.Header().Set("Pragma", "no-cache")
	httpx.WriteJSON(w, status, oauthError{Error: code, Description: desc})
}

// vendorToken is the OAuth 2.0 token endpoint of the vendors' servers: an
// install code (grant_type=authorization_code) or a refresh token
// (grant_type=refresh_token) for an org access token, the client
// authenticated by its id and secret in the body or with HTTP Basic.
// Errors are answered as RFC 6749 says, not in Shelf's envelope.
func (h *Handler) vendorToken(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "send the token request form-encoded (application/x-www-form-urlencoded)")
		return nil
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id == "" || secret == "" {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "authenticate with client_id and client_secret")
		return nil
	}
	app, err := h.Apps.AuthenticateApp(r.Context(), id, secret)
	if shelf.ErrorKind(err) == shelf.KindUnauthenticated {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "unknown client id or wrong client secret")
		return nil
	}
	if err != nil {
		return err
	}
	var tok *shelf.VendorToken
	switch gt := r.PostForm.Get("grant_type"); gt {
	case "authorization_code":
		tok, err = h.Commerce.ExchangeInstallCode(r.Context(), app.ID, r.PostForm.Get("code"))
	case "refresh_token":
		tok, err = h.Commerce.RefreshVendorToken(r.Context(), app.ID, r.PostForm.Get("refresh_token"))
	case "":
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "grant_type is required")
		return nil
	default:
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token")
		return nil
	}
	if e, ok := shelf.AsError(err); ok && e.Code == "invalid_grant" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", e.Message)
		return nil
	}
	if err != nil {
		return err
	}
	w.Header().Set("Pragma", "no-cache")
	httpx.WriteJSON(w, http.StatusOK, tok)
	return nil
}

// maxEntitlementUsers bounds one entitlement question.
const maxEntitlementUsers = 100

type entitlementList struct {
	Items []shelf.Entitlement `json:"items"`
}

// vendorEntitlements answers whether users may use the caller's app in
// the org its token is for: ?user=<id> for one (the answer itself), or
// ?users=<id>,<id> for up to 100 ({"items": […]}). Answered from memory.
func (h *Handler) vendorEntitlements(w http.ResponseWriter, r *http.Request) error {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || !strings.HasPrefix(tok, shelf.VendorAccessPrefix) {
		return &shelf.Error{Kind: shelf.KindUnauthenticated, Code: "invalid_token", Message: "send the org access token from POST /api/v1/vendor/token as Authorization: Bearer"}
	}
	g, err := h.Entitlements.Grant(r.Context(), tok)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	one, many := q.Get("user"), q.Get("users")
	var users []string
	switch {
	case one != "" && many == "":
		users = []string{one}
	case many != "" && one == "":
		users = strings.Split(many, ",")
	default:
		return shelf.FieldError("user", "required", "ask about one user (?user=<id>) or a list (?users=<id>,<id>)")
	}
	if slices.Contains(users, "") {
		return shelf.FieldError("users", "invalid", "user ids are separated by single commas; an empty one is not a user")
	}
	if len(users) > maxEntitlementUsers {
		return shelf.FieldError("users", "too_many", "at most %d users at once, not %d", maxEntitlementUsers, len(users))
	}
	es, err := h.Entitlements.Entitlements(r.Context(), g.AppID, g.OrgID, users)
	if err != nil {
		return err
	}
	if one != "" {
		httpx.WriteJSON(w, http.StatusOK, es[0])
		return nil
	}
	httpx.WriteJSON(w, http.StatusOK, entitlementList{Items: es})
	return nil
}
