package ui

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

// coolLive is the live check's answer, already in the reader's language
// (the script shows it as it is: no code or key reaches the page).
type coolLive struct {
	Findings []LiveFinding `json:"findings"`
	OK       string        `json:"ok"` // shown when there is nothing to fix
}

// postCoolValidate is the cool-app application form's live
// pre-submission check, as the listing editor's /validate: the script
// posts the form as typed (files aside; nothing is stored) and shows the
// findings. It is the materials' own check (shelf.CoolPrecheck) without
// the link fetches, which the button 提交前检查 and submission still run.
func (h *Handler) postCoolValidate(w http.ResponseWriter, r *http.Request) {
	app, _, err := h.RequirePartnerApp(r)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		httpx.WriteError(w, r, &shelf.Error{Kind: shelf.KindBadRequest, Code: "bad_form", Message: "the form cannot be read"})
		return
	}
	lang := language(r)
	out := coolLive{Findings: []LiveFinding{}, OK: translate(lang, "cool.check_ok")}
	form, err := h.coolFormFromRequest(r, app) // a urlencoded post: no upload to store
	var fs []shelf.Finding
	for _, e := range shelf.AllErrors(err) {
		fs = append(fs, shelf.Finding{Severity: shelf.SeverityError, Field: e.Field, Code: e.Code, Message: e.Message})
	}
	form.M.Normalize()
	fs = append(fs, shelf.CoolPrecheck(&form.M)...)
	out.Findings = append(out.Findings, coolFindings(lang, fs)...)
	httpx.WriteJSON(w, http.StatusOK, out)
}
