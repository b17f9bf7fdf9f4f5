package web

import (
	"net/http"
	"net/url"

	"github.com/shelfhq/shelf/internal/shelf"
)

// pageRoutes mounts the HTML pages. Forms post back and redirect
// (post/redirect/get); a refused form is shown again with its message.
func (s *Server) pageRoutes(mux *http.ServeMux) {
	mux.Handle("GET /static/", staticFiles())
	mux.HandleFunc("GET /{$}", s.pageHome)
	mux.HandleFunc("GET /lang", s.pageLang)
	mux.HandleFunc("GET /signin", s.pageSignin)
	mux.HandleFunc("POST /signin", s.postSignin)
	mux.HandleFunc("GET /signup", s.pageSignup)
	mux.HandleFunc("POST /signup", s.postSignup)
	mux.HandleFunc("POST /signout", s.postSignout)
	mux.HandleFunc("GET /switch", s.pageSwitch)
	mux.HandleFunc("GET /orgs", s.pageOrgs)
	mux.HandleFunc("POST /orgs", s.postOrg)
	mux.HandleFunc("GET /orgs/{org}", s.pageOrg)
	mux.HandleFunc("POST /orgs/{org}/members", s.postMember)
	mux.HandleFunc("POST /orgs/{org}/members/{user}/role", s.postMemberRole)
	mux.HandleFunc("POST /orgs/{org}/members/{user}/remove", s.postMemberRemove)
	mux.HandleFunc("GET /orgs/{org}/groups", s.pageGroups)
	mux.HandleFunc("POST /orgs/{org}/groups", s.postGroup)
	mux.HandleFunc("GET /orgs/{org}/test-orgs", s.pageTestOrgs)
	mux.HandleFunc("POST /orgs/{org}/test-orgs", s.postTestOrg)
	mux.HandleFunc("GET /admin/categories", s.pageCategories)
	mux.HandleFunc("POST /admin/categories", s.postCategory)
	mux.HandleFunc("POST /admin/categories/{cat}", s.postCategoryUpdate)
	mux.HandleFunc("POST /admin/categories/{cat}/operators", s.postCategoryOperator)
	mux.HandleFunc("POST /admin/categories/{cat}/operators/{user}/remove", s.postCategoryOperatorRemove)
	mux.HandleFunc("GET /orgs/{org}/console", s.pageConsole)
	mux.HandleFunc("POST /orgs/{org}/console", s.postConsoleInstall)
	mux.HandleFunc("POST /orgs/{org}/console/apps", s.postConsoleApp)
	mux.HandleFunc("GET /apps/{app}", s.pageApp)
	mux.HandleFunc("POST /apps/{app}/self-tests", s.postSelfTest)
	mux.HandleFunc("POST /apps/{app}/listing", s.postEditListing)
	mux.HandleFunc("POST /apps/{app}/listing/state", s.postPartnerListing)
	mux.HandleFunc("GET /revisions/{rev}/edit", s.pageEditor)
	mux.HandleFunc("POST /revisions/{rev}/edit", s.postEditor)
	mux.HandleFunc("POST /revisions/{rev}/withdraw", s.postWithdraw)
	mux.HandleFunc("POST /revisions/{rev}/validate", s.postValidate)
	mux.HandleFunc("GET /review", s.pageQueue)
	mux.HandleFunc("GET /review/{rev}", s.pageReview)
	mux.HandleFunc("POST /review/{rev}", s.postDecision)
	mux.HandleFunc("GET /listings/{listing}", s.pageListing)
	mux.HandleFunc("POST /listings/{listing}/takedown", s.postTakedown)
	mux.HandleFunc("GET /admin/audit", s.pageAudit)
	mux.HandleFunc("GET /media/{id}", s.serveMedia)
	s.appPages(mux)
	mux.HandleFunc("GET /invitations/{token}", s.pageInvitation)
	mux.HandleFunc("POST /invitations/{token}", s.postInvitation)
	mux.HandleFunc("GET /account", s.pageAccount)
	mux.HandleFunc("POST /account/tokens", s.postToken)
	mux.HandleFunc("POST /account/tokens/{token}/revoke", s.postTokenRevoke)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.pageError(w, r, shelf.NotFound("page"))
	})
}

// show renders a page after building its view; errors become error pages.
func (s *Server) show(w http.ResponseWriter, r *http.Request, page, titleKey string, data any, formErr error) {
	s.showIn(w, r, page, titleKey, data, nil, formErr)
}

// done redirects after a successful form with a flash message key.
func done(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		to += "?flash=" + url.QueryEscape(flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// pageLang switches the language and goes back where the user was.
func (s *Server) pageLang(w http.ResponseWriter, r *http.Request) {
	l := normLang(r.URL.Query().Get("to"))
	if l == "" {
		l = langZH
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, Secure: s.secure})
	http.Redirect(w, r, safeNext(r.URL.Query().Get("back")), http.StatusSeeOther)
}

func (s *Server) pageSwitch(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("org")
	if !shelf.HasPrefix(id, "org") {
		http.Redirect(w, r, "/orgs", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/orgs/"+url.PathEscape(id), http.StatusSeeOther)
}

type authForm struct {
	Email string
	Name  string
	Next  string
}

func (s *Server) pageSignin(w http.ResponseWriter, r *http.Request) {
	s.show(w, r, "signin", "auth.signin_title", authForm{Next: safeNext(r.URL.Query().Get("next"))}, nil)
}

func (s *Server) postSignin(w http.ResponseWriter, r *http.Request) {
	form := authForm{Email: r.PostFormValue("email"), Next: safeNext(r.PostFormValue("next"))}
	if !s.limiter.allow(r) {
		s.show(w, r, "signin", "auth.signin_title", form, s.rateLimited())
		return
	}
	u, err := s.store.Authenticate(r.Context(), form.Email, r.PostFormValue("password"), s.limiter.clientAddr(r))
	if err != nil {
		s.show(w, r, "signin", "auth.signin_title", form, err)
		return
	}
	s.startSession(w, r, u, form.Next)
}

func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *shelf.User, next string) {
	token, _, err := s.store.CreateSession(r.Context(), u.ID, webSessionTTL)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.setSessionCookie(w, token)
	if next == "/" || next == "" {
		next = "/orgs"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) pageSignup(w http.ResponseWriter, r *http.Request) {
	s.show(w, r, "signup", "auth.signup_title", authForm{Next: safeNext(r.URL.Query().Get("next"))}, nil)
}

func (s *Server) postSignup(w http.ResponseWriter, r *http.Request) {
	form := authForm{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"), Next: safeNext(r.PostFormValue("next"))}
	if !s.limiter.allow(r) {
		s.show(w, r, "signup", "auth.signup_title", form, s.rateLimited())
		return
	}
	u, err := s.store.CreateUser(r.Context(), form.Email, form.Name, r.PostFormValue("password"))
	if err != nil {
		s.show(w, r, "signup", "auth.signup_title", form, err)
		return
	}
	s.startSession(w, r, u, form.Next)
}

func (s *Server) postSignout(w http.ResponseWriter, r *http.Request) {
	if a := actorFrom(r.Context()); a != nil && a.session != "" {
		if err := s.store.DeleteSession(r.Context(), a.session); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	s.clearSessionCookie(w)
	done(w, r, "/", "auth.signed_out")
}
