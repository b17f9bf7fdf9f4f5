package web

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
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

func (s *Server) loadEditor(r *http.Request, draft *shelf.Revision) (*editorPage, error) {
	a, err := s.requireRevision(r)
	if err != nil {
		return nil, err
	}
	if err := a.needPartner(); err != nil {
		return nil, err
	}
	ctx := r.Context()
	p := &editorPage{Rev: a.rev, Parents: map[string]shelf.Category{}}
	if p.App, err = s.apps.App(ctx, a.rev.AppID); err != nil {
		return nil, err
	}
	if p.Org, err = s.store.Org(ctx, a.rev.OrgID); err != nil {
		return nil, err
	}
	cats, err := s.store.Categories(ctx, false)
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
	if st, err := s.listings.LatestSelfTest(ctx, a.rev.AppID); err == nil {
		p.SelfTest = st
	} else if shelf.ErrorKind(err) != shelf.KindNotFound {
		return nil, err
	}
	p.Editable = a.rev.State == shelf.RevisionDraft || a.rev.State == shelf.RevisionRejected
	shown := &a.rev.Revision
	if draft != nil {
		shown = draft
		p.Rev = &shelf.RevisionInfo{Revision: *draft, AppID: a.rev.AppID, OrgID: a.rev.OrgID, Number: a.rev.Number, Decision: a.rev.Decision}
		p.Rev.ID, p.Rev.ListingID, p.Rev.State = a.rev.ID, a.rev.ListingID, a.rev.State
	}
	p.Findings = shelf.Precheck(shown)
	p.Blocking = shelf.BlocksSubmission(p.Findings)
	for _, sp := range shown.Specs {
		p.Specs = append(p.Specs, specRow{Spec: sp, PriceText: shelf.FormatMinor(sp.Price, "")})
	}
	p.Specs = append(p.Specs, specRow{}) // one empty row to add a spec without script
	return p, nil
}

func (s *Server) showEditor(w http.ResponseWriter, r *http.Request, draft *shelf.Revision, formErr error) {
	p, err := s.loadEditor(r, draft)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.showIn(w, r, "editor", "editor.title", p, p.Org, formErr)
}

func (s *Server) pageEditor(w http.ResponseWriter, r *http.Request) { s.showEditor(w, r, nil, nil) }

// postEditor saves the form; with action=submit it then submits.
func (s *Server) postEditor(w http.ResponseWriter, r *http.Request) {
	a, err := s.requireRevision(r)
	if err == nil {
		err = a.needPartner()
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := r.ParseMultipartForm(16 << 20); err != nil && err != http.ErrNotMultipart {
		s.pageError(w, r, &shelf.Error{Kind: shelf.KindBadRequest, Code: "bad_form", Message: "the form cannot be read"})
		return
	}
	rev, err := s.revisionFromForm(r, a.rev)
	if err == nil && (a.rev.State == shelf.RevisionDraft || a.rev.State == shelf.RevisionRejected) {
		_, err = s.listings.SaveRevision(r.Context(), a.rev.ID, a.user.ID, rev)
	}
	if err == nil && r.PostFormValue("action") == "submit" {
		var cur *shelf.RevisionInfo
		if cur, err = s.listings.Revision(r.Context(), a.rev.ID); err == nil {
			var fs []shelf.Finding
			if fs, err = s.findings(r, cur); err == nil {
				if err = shelf.FirstBlocking(fs); err == nil {
					_, err = s.listings.Submit(r.Context(), a.rev.ID, a.user.ID)
				}
			}
		}
		if err == nil {
			done(w, r, "/revisions/"+a.rev.ID+"/edit", "editor.submitted")
			return
		}
	}
	if err != nil {
		s.showEditor(w, r, rev, err)
		return
	}
	done(w, r, "/revisions/"+a.rev.ID+"/edit", "editor.saved")
}

func (s *Server) postWithdraw(w http.ResponseWriter, r *http.Request) {
	a, err := s.requireRevision(r)
	if err == nil {
		err = a.needPartner()
	}
	if err == nil {
		_, err = s.listings.Withdraw(r.Context(), a.rev.ID, a.user.ID)
	}
	if err != nil {
		s.showEditor(w, r, nil, err)
		return
	}
	done(w, r, "/revisions/"+a.rev.ID+"/edit", "")
}

// revisionFromForm reads the editor form. Uploaded images are stored first
// and referenced by id; kept images come back as hidden ids.
func (s *Server) revisionFromForm(r *http.Request, cur *shelf.RevisionInfo) (*shelf.Revision, error) {
	rev, err := s.revisionFromFields(r)
	if err != nil {
		return rev, err
	}
	if err := s.imagesFromForm(r, cur, rev); err != nil {
		return rev, err
	}
	return rev, nil
}

// revisionFromFields reads the editor's text fields and specs table.
func (s *Server) revisionFromFields(r *http.Request) (*shelf.Revision, error) {
	f := r.PostFormValue
	rev := &shelf.Revision{
		Name: f("name"), NameEn: f("name_en"), Subtitle: f("subtitle"), SubtitleEn: f("subtitle_en"), Description: f("description"),
		CategoryID: f("category_id"), SupportContact: f("support_contact"), PrivacyURL: f("privacy_url"),
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
		sp := shelf.Spec{Code: at(codes), Name: at(names), Period: shelf.Period(at(periods)), Free: free[at(codes)]}
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

func (s *Server) imagesFromForm(r *http.Request, cur *shelf.RevisionInfo, rev *shelf.Revision) error {
	if id := r.PostFormValue("icon_id"); id != "" {
		rev.Icon = &shelf.Image{ID: id}
	}
	if b, err := uploadForm(r, "icon"); err != nil {
		return err
	} else if b != nil {
		img, err := s.listings.SaveMedia(r.Context(), cur.OrgID, b)
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
			img, err := s.listings.SaveMedia(r.Context(), cur.OrgID, b)
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

type validateResponse struct {
	Errors   map[string]string `json:"errors"`
	Findings []shelf.Finding   `json:"findings"`
}

// postValidate checks the editor form as typed, without saving: the
// editor's live validation messages.
func (s *Server) postValidate(w http.ResponseWriter, r *http.Request) {
	a, err := s.requireRevision(r)
	if err == nil {
		err = a.needPartner()
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.writeError(w, r, &shelf.Error{Kind: shelf.KindBadRequest, Code: "bad_form", Message: "the form cannot be read"})
		return
	}
	resp := validateResponse{Errors: map[string]string{}, Findings: []shelf.Finding{}}
	rev, err := s.revisionFromFields(r)
	if err == nil {
		rev.Icon, rev.Screenshots = a.rev.Icon, a.rev.Screenshots
		rev.Normalize()
		err = rev.CheckDraft()
		resp.Findings = shelf.Precheck(rev)
	}
	resp.Errors = fieldErrors(err)
	writeJSON(w, http.StatusOK, resp)
}
