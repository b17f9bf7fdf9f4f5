package ui

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

// editorPage is the listing editor of one revision.
type editorPage struct {
	Rev        *shelf.RevisionInfo
	App        *shelf.App
	Org        *shelf.Org
	Categories []shelf.Category // leaves, with their parent's name
	Parents    map[string]shelf.Category
	Findings   []shelf.Finding
	Blocking   bool
	Editable   bool
	SelfTest   *shelf.SelfTest
	Specs      []specRow
}

// specRow is a spec as the form shows it: price in major units.
type specRow struct {
	shelf.Spec
	PriceText string
}

func (h *Handler) loadEditor(r *http.Request, draft *shelf.Revision) (*editorPage, error) {
	a, err := h.RequirePartnerRevision(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	p := &editorPage{Rev: a.Rev, Parents: map[string]shelf.Category{}}
	if p.App, err = h.Apps.App(ctx, a.Rev.AppID); err != nil {
		return nil, err
	}
	if p.Org, err = h.Store.Org(ctx, a.Rev.OrgID); err != nil {
		return nil, err
	}
	cats, err := h.Store.Categories(ctx, false)
	if err != nil {
		return nil, err
	}
	hasChild := map[string]bool{}
	for _, c := range cats {
		if c.ParentID == "" {
			p.Parents[c.ID] = c
		} else {
			hasChild[c.ParentID] = true
		}
	}
	for _, c := range cats {
		if !hasChild[c.ID] {
			p.Categories = append(p.Categories, c)
		}
	}
	if st, err := h.Listings.LatestSelfTest(ctx, a.Rev.AppID); err == nil {
		p.SelfTest = st
	} else if shelf.ErrorKind(err) != shelf.KindNotFound {
		return nil, err
	}
	p.Editable = a.Rev.State == shelf.RevisionDraft || a.Rev.State == shelf.RevisionRejected
	shown := &a.Rev.Revision
	if draft != nil {
		shown = draft
		p.Rev = &shelf.RevisionInfo{Revision: *draft, AppID: a.Rev.AppID, OrgID: a.Rev.OrgID, Number: a.Rev.Number, Decision: a.Rev.Decision}
		p.Rev.ID, p.Rev.ListingID, p.Rev.State = a.Rev.ID, a.Rev.ListingID, a.Rev.State
	}
	p.Findings = shelf.Precheck(shown)
	p.Blocking = shelf.BlocksSubmission(p.Findings)
	for _, sp := range shown.Specs {
		p.Specs = append(p.Specs, specRow{Spec: sp, PriceText: shelf.FormatMinor(sp.Price, "")})
	}
	p.Specs = append(p.Specs, specRow{}) // one empty row to add a spec without script
	return p, nil
}

func (h *Handler) showEditor(w http.ResponseWriter, r *http.Request, draft *shelf.Revision, formErr error) {
	p, err := h.loadEditor(r, draft)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	h.showIn(w, r, "editor", "editor.title", p, p.Org, formErr)
}

func (h *Handler) pageEditor(w http.ResponseWriter, r *http.Request) { h.showEditor(w, r, nil, nil) }

// postEditor saves the form; with action=submit it then submits.
func (h *Handler) postEditor(w http.ResponseWriter, r *http.Request) {
	a, err := h.RequirePartnerRevision(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	if err := r.ParseMultipartForm(16 << 20); err != nil && err != http.ErrNotMultipart {
		h.pageError(w, r, &shelf.Error{Kind: shelf.KindBadRequest, Code: "bad_form", Message: "the form cannot be read"})
		return
	}
	rev, err := h.revisionFromForm(r, a.Rev)
	if err == nil && (a.Rev.State == shelf.RevisionDraft || a.Rev.State == shelf.RevisionRejected) {
		_, err = h.Listings.SaveRevision(r.Context(), a.Rev.ID, a.User.ID, rev)
	}
	if err == nil && r.PostFormValue("action") == "submit" {
		var cur *shelf.RevisionInfo
		if cur, err = h.Listings.Revision(r.Context(), a.Rev.ID); err == nil {
			_, err = h.Services.Submit(r.Context(), cur, a.User.ID)
		}
		if err == nil {
			done(w, r, "/revisions/"+a.Rev.ID+"/edit", "editor.submitted")
			return
		}
	}
	if err != nil {
		h.showEditor(w, r, rev, err)
		return
	}
	done(w, r, "/revisions/"+a.Rev.ID+"/edit", "editor.saved")
}

func (h *Handler) postWithdraw(w http.ResponseWriter, r *http.Request) {
	a, err := h.RequirePartnerRevision(r)
	if err == nil {
		_, err = h.Listings.Withdraw(r.Context(), a.Rev.ID, a.User.ID)
	}
	if err != nil {
		h.showEditor(w, r, nil, err)
		return
	}
	done(w, r, "/revisions/"+a.Rev.ID+"/edit", "")
}

// revisionFromForm reads the editor form. Uploaded images are stored first
// and referenced by id; kept images come back as hidden ids.
func (h *Handler) revisionFromForm(r *http.Request, cur *shelf.RevisionInfo) (*shelf.Revision, error) {
	rev, err := h.revisionFromFields(r)
	if err != nil {
		return rev, err
	}
	if err := h.imagesFromForm(r, cur, rev); err != nil {
		return rev, err
	}
	return rev, nil
}

// revisionFromFields reads the editor's text fields and specs table.
func (h *Handler) revisionFromFields(r *http.Request) (*shelf.Revision, error) {
	f := r.PostFormValue
	rev := &shelf.Revision{
		Name: f("name"), NameEn: f("name_en"), Subtitle: f("subtitle"), SubtitleEn: f("subtitle_en"), Description: f("description"),
		DescriptionEn: f("description_en"), CategoryID: f("category_id"), SupportContact: f("support_contact"), PrivacyURL: f("privacy_url"),
		PricingRule: shelf.PricingRule(f("pricing_rule")), Activation: shelf.ActivationOrder(f("activation_order")),
	}
	for _, t := range strings.FieldsFunc(f("tags"), func(c rune) bool { return c == ',' || c == '，' || c == '、' }) {
		if t = strings.TrimSpace(t); t != "" {
			rev.Tags = append(rev.Tags, t)
		}
	}
	for _, m := range r.PostForm["promotion_modes"] {
		rev.PromotionModes = append(rev.PromotionModes, shelf.PromotionMode(m))
	}
	var err error
	if rev.Specs, err = specsFromForm(r); err != nil {
		return rev, err
	}
	if days, max := f("trial_days"), f("trial_max_users"); days != "" || max != "" {
		d, err1 := strconv.Atoi(strings.TrimSpace(days))
		m, err2 := strconv.Atoi(strings.TrimSpace(max))
		if err1 != nil || err2 != nil {
			return rev, shelf.FieldError("trial.days", "not_a_number", "trial days and user cap must be whole numbers")
		}
		rev.Trial = &shelf.Trial{Days: d, MaxUsers: m}
	}
	return rev, nil
}

// specsFromForm reads the specs table; rows left blank are ignored. Prices
// are typed in major units (元) and stored in minor units (分).
func specsFromForm(r *http.Request) ([]shelf.Spec, error) {
	col := func(name string) []string { return r.PostForm[name] }
	codes, names, mins, maxs, periods, prices := col("spec_code"), col("spec_name"), col("spec_min"), col("spec_max"), col("spec_period"), col("spec_price")
	namesEn := col("spec_name_en")
	free := map[string]bool{}
	for _, c := range col("spec_free") {
		free[c] = true
	}
	var out []shelf.Spec
	for i := range codes {
		at := func(xs []string) string {
			if i < len(xs) {
				return strings.TrimSpace(xs[i])
			}
			return ""
		}
		if at(codes)+at(names)+at(mins)+at(maxs)+at(prices) == "" {
			continue
		}
		field := fmt.Sprintf("specs[%d]", len(out))
		sp := shelf.Spec{Code: at(codes), Name: at(names), NameEn: at(namesEn), Period: shelf.Period(at(periods)), Free: free[at(codes)]}
		var err error
		if sp.MinUsers, err = atoiField(at(mins), field+".min_users"); err != nil {
			return out, err
		}
		if sp.MaxUsers, err = atoiField(at(maxs), field+".max_users"); err != nil {
			return out, err
		}
		if sp.Price, err = parseMoney(at(prices), field+".price"); err != nil {
			return out, err
		}
		if sp.Free {
			sp.Period = ""
		}
		out = append(out, sp)
	}
	return out, nil
}

func atoiField(v, field string) (int, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, shelf.FieldError(field, "not_a_number", "%s must be a whole number", field)
	}
	return n, nil
}

// parseMoney reads "9", "9.5" or "9.50" (元) as 950 (分).
func parseMoney(v, field string) (int64, error) {
	if v == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f > 1e9 || math.Abs(f*100-math.Round(f*100)) > 1e-6 {
		return 0, shelf.FieldError(field, "price_invalid", "the price must be an amount like 9.90")
	}
	return int64(math.Round(f * 100)), nil
}

func (h *Handler) imagesFromForm(r *http.Request, cur *shelf.RevisionInfo, rev *shelf.Revision) error {
	if id := r.PostFormValue("icon_id"); id != "" {
		rev.Icon = &shelf.Image{ID: id}
	}
	if b, err := uploadForm(r, "icon"); err != nil {
		return err
	} else if b != nil {
		img, err := h.Listings.SaveMedia(r.Context(), cur.OrgID, b)
		if err != nil {
			return relabel(err, "icon")
		}
		rev.Icon = img
	}
	for _, id := range r.PostForm["screenshot_id"] {
		rev.Screenshots = append(rev.Screenshots, shelf.Image{ID: id})
	}
	if r.MultipartForm != nil {
		for _, fh := range r.MultipartForm.File["screenshots"] {
			f, err := fh.Open()
			if err != nil {
				return err
			}
			b, err := io.ReadAll(io.LimitReader(f, shelf.MaxImageBytes+1))
			f.Close()
			if err != nil {
				return err
			}
			img, err := h.Listings.SaveMedia(r.Context(), cur.OrgID, b)
			if err != nil {
				return relabel(err, fmt.Sprintf("screenshots[%d]", len(rev.Screenshots)))
			}
			rev.Screenshots = append(rev.Screenshots, *img)
		}
	}
	return nil
}

// relabel points an image error at the form field it came from.
func relabel(err error, field string) error {
	if e, ok := shelf.AsError(err); ok {
		c := *e
		c.Field = field
		return &c
	}
	return err
}

// Validation is the editor's live check of a form as typed.
type Validation struct {
	Errors   map[string]string `json:"errors"` // field key → message, in the reader's language
	Labels   map[string]string `json:"labels"` // field key → its label, for a message with no input to sit by
	Findings []LiveFinding     `json:"findings"`
}

// postValidate checks the editor form as typed, without saving: the
// editor's live validation messages, in the reader's language (the script
// shows them as they are: no code or field key reaches the page).
func (h *Handler) postValidate(w http.ResponseWriter, r *http.Request) {
	a, err := h.RequirePartnerRevision(r)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		httpx.WriteError(w, r, &shelf.Error{Kind: shelf.KindBadRequest, Code: "bad_form", Message: "the form cannot be read"})
		return
	}
	lang := language(r)
	resp := Validation{Labels: map[string]string{}, Findings: []LiveFinding{}}
	rev, err := h.revisionFromFields(r)
	if err == nil {
		rev.Icon, rev.Screenshots = a.Rev.Icon, a.Rev.Screenshots
		rev.Normalize()
		err = rev.CheckDraft()
		resp.Findings = liveFindings(lang, shelf.Precheck(rev))
	}
	if err != nil {
		err = localError(lang, err)
	}
	resp.Errors = fieldErrors(err)
	for field := range resp.Errors {
		resp.Labels[field] = fieldLabel(lang, field)
	}
	httpx.WriteJSON(w, http.StatusOK, resp)
}

// uploadForm reads an image from a multipart form field, if one was sent.
func uploadForm(r *http.Request, field string) ([]byte, error) {
	f, _, err := r.FormFile(field)
	if errors.Is(err, http.ErrMissingFile) {
		return nil, nil
	}
	if err != nil {
		return nil, &shelf.Error{Kind: shelf.KindBadRequest, Code: "bad_upload", Field: field, Message: "the upload cannot be read"}
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, shelf.MaxImageBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) == 0 {
		return nil, nil
	}
	return b, nil
}
