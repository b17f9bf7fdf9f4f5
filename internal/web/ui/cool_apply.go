package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
)

// coolApplyPage is the cool-app listing application (酷应用上架申请) of
// one app: the form with its materials, the live check's findings, the
// operators' reasons per field and the history of applications.
type coolApplyPage struct {
	App        *shelf.App
	Org        *shelf.Org
	Standing   shelf.PartnerStanding
	Latest     *shelf.CoolAppApplication
	History    []shelf.CoolAppApplication
	Form       coolForm
	Categories []shelf.Category
	Findings   []LiveFinding
	Checked    bool
	EntryKinds []shelf.CoolEntryKind
	Scopes     []shelf.CoolScope
	Reasons    map[string]string // field → the operator's reason, from the last rejection
	Editable   bool
}

// coolForm is the materials as the form shows them.
type coolForm struct {
	M         shelf.CoolMaterials
	Pricing   string // "free" or "per_user"
	Price     string // per user per month, in yuan
	MaxUsers  int
	TrialDays int
	Scenarios string // one a line
	Entry     map[shelf.CoolEntryKind]string
	Perm      map[shelf.CoolScope]string
}

func (h *Handler) pageCoolApply(w http.ResponseWriter, r *http.Request) {
	h.showCoolApply(w, r, nil, false, nil)
}

func (h *Handler) showCoolApply(w http.ResponseWriter, r *http.Request, form *coolForm, checked bool, formErr error) {
	app, _, err := h.RequirePartnerApp(r)
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	p, err := h.loadCoolApply(r, app)
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	if form != nil {
		p.Form = *form
	}
	if checked || form != nil {
		p.Checked = checked
		fs, err := h.CoolFindings(r.Context(), app.ID, &p.Form.M)
		if err != nil {
			h.coolFail(w, r, err)
			return
		}
		p.Findings = coolFindings(language(r), fs)
	}
	h.showLocal(w, r, "cool_apply", "cool.apply_title", p, p.Org, formErr)
}

func (h *Handler) loadCoolApply(r *http.Request, app *shelf.App) (*coolApplyPage, error) {
	ctx := r.Context()
	p := &coolApplyPage{App: app, Reasons: map[string]string{}, Editable: true, Scopes: shelf.CoolScopes,
		EntryKinds: []shelf.CoolEntryKind{shelf.EntryToolbar, shelf.EntryCard, shelf.EntryRobot}}
	var err error
	if p.Org, err = h.Store.Org(ctx, app.OrgID); err != nil {
		return nil, err
	}
	st, err := h.Cool.PartnerStatus(ctx, app.OrgID)
	if err != nil {
		return nil, err
	}
	p.Standing = st.Standing
	if p.History, err = h.Cool.AppCoolApplications(ctx, app.ID, "", coolAdminPage); err != nil {
		return nil, err
	}
	p.Form = coolFormOf(nil, app)
	if n := len(p.History); n > 0 {
		p.Latest = &p.History[n-1]
		p.Form = coolFormOf(&p.Latest.Materials, app)
		p.Editable = p.Latest.State == shelf.CoolRejected
		for _, fr := range p.Latest.FieldReasons {
			p.Reasons[strings.SplitN(fr.Field, "[", 2)[0]] = fr.Reason
		}
	}
	cats, err := h.Store.Categories(ctx, false)
	if err != nil {
		return nil, err
	}
	hasChild := map[string]bool{}
	for _, c := range cats {
		hasChild[c.ParentID] = true
	}
	for _, c := range cats {
		if !hasChild[c.ID] {
			p.Categories = append(p.Categories, c)
		}
	}
	return p, nil
}

// coolFormOf fills the form from earlier materials (nil: a new one).
func coolFormOf(m *shelf.CoolMaterials, app *shelf.App) coolForm {
	f := coolForm{Pricing: "free", MaxUsers: 50, Entry: map[shelf.CoolEntryKind]string{}, Perm: map[shelf.CoolScope]string{}}
	if m == nil {
		f.M.Name, f.M.NameEn = app.Name, app.NameEn
		return f
	}
	f.M = *m
	f.Scenarios = strings.Join(m.Scenarios, "\n")
	for _, e := range m.EntryPoints {
		f.Entry[e.Kind] = e.Name
	}
	for _, p := range m.Permissions {
		f.Perm[p.Scope] = p.Reason
	}
	f.Pricing = "per_user"
	for _, s := range m.Specs {
		if s.Free {
			f.Pricing, f.MaxUsers = "free", s.MaxUsers
		} else {
			f.Price = shelf.FormatMinor(s.Price, "")
			if f.Pricing != "free" {
				f.MaxUsers = s.MaxUsers
			}
		}
	}
	if m.Trial != nil {
		f.TrialDays = m.Trial.Days
	}
	return f
}

func (h *Handler) postCoolApply(w http.ResponseWriter, r *http.Request) {
	app, u, err := h.RequirePartnerApp(r)
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	if err := r.ParseMultipartForm(16 << 20); err != nil && err != http.ErrNotMultipart {
		h.coolFail(w, r, &shelf.Error{Kind: shelf.KindBadRequest, Code: "bad_form", Message: "the form cannot be read"})
		return
	}
	form, err := h.coolFormFromRequest(r, app)
	if err != nil {
		h.showCoolApply(w, r, form, false, err)
		return
	}
	if r.PostFormValue("action") == "check" {
		h.showCoolApply(w, r, form, true, nil)
		return
	}
	if _, err := h.Cool.SubmitCoolApp(r.Context(), app.ID, u.ID, form.M); err != nil {
		h.showCoolApply(w, r, form, false, err)
		return
	}
	done(w, r, "/apps/"+app.ID+"/coolapp", "cool.submitted")
}

// coolFormFromRequest reads the form into materials; uploads are stored
// as the org's media. The form comes back even when an upload fails.
func (h *Handler) coolFormFromRequest(r *http.Request, app *shelf.App) (*coolForm, error) {
	v := r.PostFormValue
	f := &coolForm{Pricing: v("pricing"), Price: v("price"), Scenarios: v("scenarios"), Entry: map[shelf.CoolEntryKind]string{}, Perm: map[shelf.CoolScope]string{}}
	f.MaxUsers, _ = strconv.Atoi(v("max_users"))
	f.TrialDays, _ = strconv.Atoi(v("trial_days"))
	m := &f.M
	m.Name, m.NameEn, m.Subtitle, m.SubtitleEn = v("name"), v("name_en"), v("subtitle"), v("subtitle_en")
	m.Description, m.CategoryID, m.SupportContact, m.PrivacyURL = v("description"), v("category_id"), v("support_contact"), v("privacy_url")
	m.DemoVideoURL = v("demo_video_url")
	m.PricingRule, m.PromotionModes = shelf.PricingPerUser, []shelf.PromotionMode{shelf.PromotionMarket}
	for _, line := range strings.Split(f.Scenarios, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			m.Scenarios = append(m.Scenarios, line)
		}
	}
	for _, k := range []shelf.CoolEntryKind{shelf.EntryToolbar, shelf.EntryCard, shelf.EntryRobot} {
		if name := v("entry_" + string(k)); v("entry_"+string(k)+"_on") != "" {
			f.Entry[k] = name
			m.EntryPoints = append(m.EntryPoints, shelf.CoolEntryPoint{Kind: k, Name: name})
		}
	}
	for _, s := range shelf.CoolScopes {
		if reason := v("perm_" + string(s)); v("perm_"+string(s)+"_on") != "" {
			f.Perm[s] = reason
			m.Permissions = append(m.Permissions, shelf.CoolPermission{Scope: s, Reason: reason})
		}
	}
	if err := coolPricing(f); err != nil {
		return f, err
	}
	return f, h.coolImages(r, app, m)
}

// coolPricing turns the pricing choice into specs, a trial and the
// activation order by the listing rules.
func coolPricing(f *coolForm) error {
	m := &f.M
	users := max(f.MaxUsers, 1)
	if f.Price == "" {
		f.Price = "9.00"
	}
	price, err := parseMoney(f.Price, "specs")
	if err != nil {
		return err
	}
	paid := shelf.Spec{Code: "std-month", Name: "标准版 月付 Standard, monthly", MinUsers: 1, MaxUsers: users, Period: shelf.PeriodMonth, Price: price}
	if f.Pricing != "per_user" {
		// Free for groups up to the users given; the listing rules still
		// ask for a paid spec, for larger ones.
		paid.MaxUsers = max(users*10, 500)
		m.Specs = []shelf.Spec{{Code: "free", Name: "免费版 Free", MinUsers: 1, MaxUsers: users, Free: true}, paid}
		m.Activation = shelf.ActivationFreeThenPaid
		return nil
	}
	m.Specs = []shelf.Spec{paid}
	m.Activation = shelf.ActivationPaidFirst
	if f.TrialDays > 0 {
		m.Trial = &shelf.Trial{Days: f.TrialDays, MaxUsers: users}
		m.Activation = shelf.ActivationTrialThenPaid
	}
	return nil
}

// coolImages stores the icon and screenshot uploaded, or keeps the ones
// of the form before (hidden fields).
func (h *Handler) coolImages(r *http.Request, app *shelf.App, m *shelf.CoolMaterials) error {
	if id := r.PostFormValue("icon_id"); id != "" {
		m.Icon = &shelf.Image{ID: id}
	}
	if id := r.PostFormValue("screenshot_id"); id != "" {
		m.Screenshots = []shelf.Image{{ID: id}}
	}
	if r.MultipartForm == nil {
		return nil // a form without files
	}
	for _, field := range []string{"icon", "screenshot"} {
		b, err := uploadForm(r, field)
		if err != nil || b == nil {
			if err != nil {
				return err
			}
			continue
		}
		img, err := h.Listings.SaveMedia(r.Context(), app.OrgID, b)
		if err != nil {
			return err
		}
		if field == "icon" {
			m.Icon = img
		} else {
			m.Screenshots = []shelf.Image{*img}
		}
	}
	return nil
}

// LiveFinding is a pre-submission finding in the reader's language; Field
// is the form's field it is about (the live check marks it with it).
type LiveFinding struct {
	Severity shelf.Severity `json:"severity"`
	Field    string         `json:"field"`
	Label    string         `json:"label"`
	Text     string         `json:"text"`
}

// liveFindings are findings in the reader's language: each field by its
// listing label, each problem by its code's message.
func liveFindings(lang string, fs []shelf.Finding) []LiveFinding {
	out := make([]LiveFinding, 0, len(fs))
	for _, f := range fs {
		out = append(out, LiveFinding{Severity: f.Severity, Field: f.Field, Label: fieldLabel(lang, f.Field),
			Text: errorMessage(lang, &shelf.Error{Kind: shelf.KindInvalid, Code: f.Code, Field: f.Field})})
	}
	return out
}

// coolFindings are liveFindings named by the cool-app form's own labels
// where it has them, each marked with its top field (the form's inputs).
func coolFindings(lang string, fs []shelf.Finding) []LiveFinding {
	out := liveFindings(lang, fs)
	for i := range out {
		root := strings.SplitN(strings.SplitN(out[i].Field, "[", 2)[0], ".", 2)[0]
		out[i].Field = root
		if _, ok := catalog["cool.field_"+root]; ok {
			out[i].Label = translate(lang, "cool.field_"+root)
		}
	}
	return out
}
