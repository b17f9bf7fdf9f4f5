package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
)

// vendorcliPageFiles are the pages of `shelf login --web` (see pageFiles).
var vendorcliPageFiles = []string{"vendorcli_login"}

// vendorcliPages mounts the browser sign-in of the shelf command: the CLI
// listens on a loopback port and opens /cli/login?port=&state=; the
// signed-in user approves, and the browser is sent back to the CLI's port
// with a new personal token.
func (h *Handler) vendorcliPages(mux *http.ServeMux) {
	mux.HandleFunc("GET /cli/login", h.pageVendorCLILogin)
	mux.HandleFunc("POST /cli/login", h.postVendorCLILogin)
}

// vendorcliLogin is the approval page's view.
type vendorcliLogin struct {
	Port  int
	State string
	Name  string
}

// vendorcliCallback reads the CLI's port and state: only a loopback port
// of this machine receives the token.
func vendorcliCallback(q url.Values) (*vendorcliLogin, error) {
	port, err := strconv.Atoi(q.Get("port"))
	state := q.Get("state")
	if err != nil || port < 1024 || port > 65535 || state == "" || len(state) > 100 {
		return nil, shelf.Errorf(shelf.KindBadRequest, "invalid_cli_login", "open this page from shelf login --web")
	}
	name := q.Get("name")
	if name == "" || len(name) > 80 {
		name = "shelf CLI"
	}
	return &vendorcliLogin{Port: port, State: state, Name: name}, nil
}

func (h *Handler) pageVendorCLILogin(w http.ResponseWriter, r *http.Request) {
	if _, err := access.RequireUser(r); err != nil {
		h.pageError(w, r, err)
		return
	}
	p, err := vendorcliCallback(r.URL.Query())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.show(w, r, "vendorcli_login", "vendorcli.title", p, nil)
}

// postVendorCLILogin makes the personal token and sends the browser back
// to the CLI's loopback port with it.
func (h *Handler) postVendorCLILogin(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequireUser(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.pageError(w, r, err)
		return
	}
	p, err := vendorcliCallback(r.PostForm)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	plain, _, err := h.Store.CreateToken(r.Context(), u.ID, p.Name, shelf.TokenPersonal, 0)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	back := url.URL{Scheme: "http", Host: "127.0.0.1:" + strconv.Itoa(p.Port), Path: "/callback",
		RawQuery: url.Values{"state": {p.State}, "token": {plain}}.Encode()}
	http.Redirect(w, r, back.String(), http.StatusSeeOther)
}
