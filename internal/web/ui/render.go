package ui

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/auth"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

//go:embed templates/*.html static/*
var assets embed.FS

// pages holds one parsed template set per language and page: the layout
// plus the page's own file, parsed once at start so a broken template fails
// at boot and no request pays for parsing or cloning.
type pages struct {
	sets map[string]map[string]*template.Template
}

// pageFiles is the explicit list of pages; each is rendered in layout.html.
var pageFiles = []string{
	"home", "signin", "signup", "orgs", "org", "groups", "testorgs", "categories", "account", "error",
	"invitation", "console", "app", "appevents", "editor", "queue", "review", "audit", "listing",
	"sales", "appsso", "orders", "order",
}

func loadPages() (*pages, error) {
	p := &pages{sets: map[string]map[string]*template.Template{}}
	for _, lang := range []string{langZH, langEN} {
		p.sets[lang] = map[string]*template.Template{}
		funcs := template.FuncMap{
			"t":    func(key string) string { return translate(lang, key) },
			"lang": func() string { return lang },
		}
		maps.Copy(funcs, qualityFuncs(lang))
		maps.Copy(funcs, labelFuncs(lang))
		for _, name := range slices.Concat(pageFiles, commercePageFiles, promoPageFiles, searchPageFiles, selfopPageFiles, vendorcliPageFiles, deviceLoginPageFiles, coolPageFiles, selfop2PageFiles) {
			t, err := template.New("layout.html").Funcs(templateFuncs).Funcs(funcs).
				ParseFS(assets, "templates/layout.html", "templates/partials.html", "templates/selfop_partials.html", "templates/"+name+".html")
			if err != nil {
				return nil, fmt.Errorf("parse page %s: %w", name, err)
			}
			p.sets[lang][name] = t
		}
	}
	return p, nil
}

// templateFuncs are the helpers pages may call, besides "t" (translate a
// catalog key) and "lang", which are bound per language set.
var templateFuncs = template.FuncMap{
	"date":     func(t time.Time) string { return t.Format("2006-01-02") },
	"datetime": func(t time.Time) string { return t.Format("2006-01-02 15:04") },
	"kindKey": func(o shelf.Org) string {
		if o.Test {
			return "kind.test"
		}
		return "kind." + string(o.Kind)
	},
	"money": func(amount int64, currency string) string {
		if currency == "" || currency == shelf.DefaultCurrency {
			return "¥" + shelf.FormatMinor(amount, shelf.DefaultCurrency)
		}
		return shelf.FormatMinor(amount, currency) + " " + currency
	},
	"waiting":  waiting,
	"static":   staticURL,
	"barWidth": func(n, most int) int { return 100 * n / max(1, most) },
	"sub":      func(a, b int) int { return a - b },
	"hasMode": func(modes []shelf.PromotionMode, m string) bool {
		return slices.Contains(modes, shelf.PromotionMode(m))
	},
	"join":          strings.Join,
	"changedFields": changedFields,
	"hasPrefix":     strings.HasPrefix,
	"list":          func(xs ...string) []string { return xs },
	"ferr":          func(errs map[string]string, field string) string { return errs[field] },
	"timep": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format("2006-01-02 15:04")
	},
	"pct": func(d shelf.DayStats) string { return fmt.Sprintf("%.1f%%", d.SuccessRate()*100) },
	"ms":  func(d time.Duration) string { return fmt.Sprintf("%d ms", d.Milliseconds()) },
	"pick": func(lang, zh, en string) string {
		if lang == langEN && en != "" {
			return en
		}
		return zh
	},
}

// changedFields names the top-level fields that differ between two JSON
// documents of the audit log ("" when either is missing).
func changedFields(before, after string) string {
	var b, a map[string]any
	if json.Unmarshal([]byte(before), &b) != nil || json.Unmarshal([]byte(after), &a) != nil {
		return ""
	}
	var out []string
	for k, v := range a {
		if k != "updated_at" && fmt.Sprint(b[k]) != fmt.Sprint(v) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// waiting renders a wait in seconds the way a queue shows it: "3 h 12 min",
// "2 d 4 h", "45 min".
func waiting(secs int64) string {
	m := secs / 60
	switch {
	case m < 60:
		return fmt.Sprintf("%d min", m)
	case m < 48*60:
		return fmt.Sprintf("%d h %d min", m/60, m%60)
	}
	return fmt.Sprintf("%d d %d h", m/1440, m%1440/60)
}

// view is what every page receives.
type view struct {
	Lang  string
	Title string
	User  *shelf.User
	Orgs  []shelf.OrgWithRole
	Org   *shelf.Org // the org the page is about, for the switcher
	CSRF  string
	Flash string
	Error string
	// ErrorField and FieldErrors place a refused form's messages next to
	// its fields.
	ErrorField  string
	FieldErrors map[string]string
	Path        string
	Version     string
	Data        any
}

// IsPlatformAdmin is used by the layout to show the platform menu.
func (v *view) IsPlatformAdmin() bool {
	return v.User != nil && v.User.HasPlatformRole(shelf.PlatformAdmin)
}

// IsReviewer is used by the layout to show the review queue.
func (v *view) IsReviewer() bool {
	return v.User != nil && (v.User.HasPlatformRole(shelf.PlatformAdmin) || v.User.HasPlatformRole(shelf.CategoryOperator))
}

// newView fills the parts of a view common to every page.
func (h *Handler) newView(r *http.Request, title string, data any) (*view, error) {
	v := &view{Lang: language(r), Title: title, Path: r.URL.Path, Version: h.version, Data: data}
	if a := auth.FromContext(r.Context()); a != nil {
		v.User, v.CSRF = a.User, a.CSRF
		orgs, err := h.Store.OrgsForUser(r.Context(), a.User.ID, shelf.PageReq{})
		if err != nil {
			return nil, err
		}
		v.Orgs = orgs
	}
	if key := r.URL.Query().Get("flash"); key != "" {
		if _, known := catalog[key]; known {
			v.Flash = translate(v.Lang, key)
		}
	}
	return v, nil
}

// render writes a page. It renders into a buffer first so a template
// error becomes a clean 500 rather than half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, page string, v *view) {
	t, ok := h.pages.sets[v.Lang][page]
	if !ok {
		h.log.ErrorContext(r.Context(), "no such page", "page", page)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		h.log.ErrorContext(r.Context(), "render page", "page", page, "err", err, "request_id", httpx.RequestID(r.Context()))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	formAction := "'self'"
	if fa, ok := v.Data.(interface{ FormAction() string }); ok {
		// A form whose answer redirects off the site (to an app, to a
		// payment provider) needs the target allowed: Chromium applies
		// form-action to the redirects too.
		formAction += " " + fa.FormAction()
	}
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action "+formAction)
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// pageError shows an error page, or sends anonymous callers to sign in.
func (h *Handler) pageError(w http.ResponseWriter, r *http.Request, err error) {
	if shelf.ErrorKind(err) == shelf.KindUnauthenticated {
		http.Redirect(w, r, "/signin?next="+url.QueryEscape(safeNext(r.URL.RequestURI())), http.StatusSeeOther)
		return
	}
	status, d := httpx.PublicError(r, localError(language(r), err))
	v, verr := h.newView(r, translate(language(r), "error.title"), nil)
	if verr != nil {
		http.Error(w, d.Message, status)
		return
	}
	v.Error = d.Message
	if status == http.StatusNotFound {
		v.Title = translate(v.Lang, "error.not_found")
	}
	h.render(w, r, status, "error", v)
}

// streamFailed logs a download that broke off after its first bytes (no
// error page can follow them): at info when its client went away (the
// request's context ended: a hang-up is not the server's error), else at
// error, with the request id.
func (h *Handler) streamFailed(r *http.Request, what string, err error, attrs ...any) {
	level := slog.LevelError
	if errors.Is(r.Context().Err(), context.Canceled) { // not a deadline: the client left
		level = slog.LevelInfo
	}
	h.log.Log(r.Context(), level, what, append(attrs, "err", err, "request_id", httpx.RequestID(r.Context()))...)
}

// safeNext keeps only local paths, so ?next= cannot send people elsewhere.
// Browsers drop tabs and newlines from URLs and read a backslash as a
// slash, so "/\t/evil.com" would become "//evil.com": any of those, a
// scheme, a host or a path starting with "//" sends people home instead.
func safeNext(p string) string {
	if strings.ContainsAny(p, "\\\x00\t\r\n") {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	if u.RawQuery != "" {
		return u.EscapedPath() + "?" + u.RawQuery
	}
	return u.EscapedPath()
}

// showIn renders a page about an org (nil: none) for the switcher, with a
// refused form's messages placed next to its fields.
func (h *Handler) showIn(w http.ResponseWriter, r *http.Request, page, titleKey string, data any, org *shelf.Org, formErr error) {
	h.renderView(w, r, page, translate(language(r), titleKey), data, org, formErr)
}

// renderView builds the view of a page and renders it; a form error sets
// the status and the messages.
func (h *Handler) renderView(w http.ResponseWriter, r *http.Request, page, title string, data any, org *shelf.Org, formErr error) {
	v, err := h.newView(r, title, data)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	v.Org = org
	status := http.StatusOK
	if formErr != nil {
		var d httpx.ErrorDetail
		formErr = localError(v.Lang, formErr) // codes choose the reader's message
		status, d = httpx.PublicError(r, formErr)
		v.Error = d.Message
		v.ErrorField = d.Field
		v.FieldErrors = fieldErrors(formErr)
	}
	h.render(w, r, status, page, v)
}

// fieldErrors maps each field of a refused form to its first message.
func fieldErrors(err error) map[string]string {
	out := map[string]string{}
	for _, e := range shelf.AllErrors(err) {
		if _, seen := out[e.Field]; !seen && e.Field != "" {
			out[e.Field] = e.Message
		}
	}
	return out
}
