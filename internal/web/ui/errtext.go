package ui

import (
	"net/http"
	"net/url"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

// errorText says an error in the reader's language: the catalog's message
// for its code ("err.<code>"), else one for its kind. A page never shows a
// code or the domain's English message. The status is the one the API
// would answer.
func errorText(r *http.Request, lang string, err error) (int, string) {
	status, _ := httpx.PublicError(r, err)
	if status == http.StatusInternalServerError {
		return status, translate(lang, "err.internal") + " " + httpx.RequestID(r.Context())
	}
	if e, ok := shelf.AsError(err); ok {
		return status, errorMessage(lang, e)
	}
	return status, translate(lang, "err.generic")
}

// fail shows an error page in the reader's language, or sends anonymous
// callers to sign in and come back.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if shelf.ErrorKind(err) == shelf.KindUnauthenticated {
		http.Redirect(w, r, "/signin?next="+url.QueryEscape(safeNext(r.URL.RequestURI())), http.StatusSeeOther)
		return
	}
	lang := language(r)
	status, msg := errorText(r, lang, err)
	v, verr := h.newView(r, translate(lang, "error.title"), nil)
	if verr != nil {
		http.Error(w, msg, status)
		return
	}
	v.Error = msg
	if status == http.StatusNotFound {
		v.Title = translate(lang, "error.not_found")
	}
	h.render(w, r, status, "error", v)
}

// showPage renders one of the commerce pages about an org (nil: none); a
// refused form's message is in the reader's language, its status the
// error's.
func (h *Handler) showPage(w http.ResponseWriter, r *http.Request, page, title string, data any, org *shelf.Org, formErr error) {
	v, err := h.newView(r, title, data)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Org = org
	status := http.StatusOK
	if formErr != nil {
		status, v.Error = errorText(r, v.Lang, formErr)
		if e, ok := shelf.AsError(formErr); ok && e.Field != "" {
			v.ErrorField = e.Field
			v.FieldErrors = map[string]string{e.Field: v.Error}
		}
	}
	h.render(w, r, status, page, v)
}
