package ui

import (
	"errors"
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
)

// localError returns err with its messages in the reader's language, so a
// page never shows an error code or the API's English: each *shelf.Error
// takes the catalog's "err.<code>.<field>", else "err.<code>", else its
// kind's "err.kind.<kind>". Internal errors are left alone: PublicError
// logs them and shows only a request id.
func localError(lang string, err error) error {
	var done localizedError
	if errors.As(err, &done) {
		return err // already in the reader's language, maybe added to (badLine)
	}
	all := shelf.AllErrors(err)
	if len(all) == 0 || all[0].Kind == shelf.KindInternal {
		return err
	}
	out := make(shelf.FieldErrors, len(all))
	for i, e := range all {
		c := *e
		c.Message = errorMessage(lang, e)
		out[i] = &c
	}
	if len(out) == 1 {
		return localizedError{out[0]}
	}
	return localizedError{out}
}

// localizedError marks an error whose messages localError already put in
// the reader's language: every page renders errors through localError, and
// a second pass would undo what a handler added to a message.
type localizedError struct{ error }

func (l localizedError) Unwrap() error { return l.error }

// errorMessage is one error's message in lang: the catalog's
// "err.<code>.<field>", "err.<code>" or "err.kind.<kind>".
func errorMessage(lang string, e *shelf.Error) string {
	for _, key := range []string{"err." + e.Code + "." + e.Field, "err." + e.Code, "err.kind." + string(e.Kind)} {
		if _, ok := catalog[key]; ok {
			return translate(lang, key)
		}
	}
	return translate(lang, "err.kind.invalid")
}

// failPage shows an error page in the reader's language.
func (h *Handler) failPage(w http.ResponseWriter, r *http.Request, err error) {
	h.pageError(w, r, localError(language(r), err))
}

// showLocal renders a page about org (nil: none) with a refused form's
// messages in the reader's language.
func (h *Handler) showLocal(w http.ResponseWriter, r *http.Request, page, titleKey string, data any, org *shelf.Org, formErr error) {
	if formErr != nil {
		formErr = localError(language(r), formErr)
	}
	h.showIn(w, r, page, titleKey, data, org, formErr)
}
