package shelf

import (
	"encoding/json"
	"strings"
	"time"
)

// PricingRule says how a listing charges its customers (收费规则).
type PricingRule string

// PricingPerUser (按使用人数收费) is the only pricing rule the seed allows:
// the customer pays per user per period, for a seat range chosen by spec.
const PricingPerUser PricingRule = "per_user"

// Period is the billing period of a spec.
type Period string

// The billing periods.
const (
	PeriodMonth Period = "month"
	PeriodYear  Period = "year"
)

// ActivationOrder (优先开通顺序) says what a new customer gets first.
type ActivationOrder string

// The activation orders. ActivationTrialThenFree exists only so that it can
// be named and refused: the seed (step 4) says the platform does not support
// "trial first, then free on expiry" (优先试用，到期自动转免费).
const (
	ActivationPaidFirst     ActivationOrder = "paid_first"
	ActivationTrialThenPaid ActivationOrder = "trial_then_paid"
	ActivationFreeThenPaid  ActivationOrder = "free_then_paid"
	ActivationTrialThenFree ActivationOrder = "trial_then_free"
)

// PromotionMode (推广模式) says where customers can find a listing.
type PromotionMode string

// The promotion modes. Market listings are searchable in the storefront
// after review; own-channel listings are installable only through the
// partner's own promotion codes and links and never appear in search.
const (
	PromotionMarket     PromotionMode = "market"
	PromotionOwnChannel PromotionMode = "own_channel"
)

// Spec (商品参数规格) is one thing a customer can buy: a seat range for a
// period at a price per user per period. Price is in minor units of Currency
// (fen for CNY). The free spec has Free set, price 0 and a user cap; it has
// no period because it does not expire.
type Spec struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	NameEn   string `json:"name_en"`
	MinUsers int    `json:"min_users"`
	MaxUsers int    `json:"max_users"`
	Period   Period `json:"period,omitempty"`
	Price    int64  `json:"price"`
	Currency string `json:"currency,omitempty"`
	Free     bool   `json:"free,omitempty"`
}

// Trial is the free trial a listing offers: a number of days for at most
// MaxUsers users.
type Trial struct {
	Days     int `json:"days"`
	MaxUsers int `json:"max_users"`
}

// Image is an uploaded picture (icon or screenshot) as stored: its id and
// what CheckImage learnt about it.
type Image struct {
	ID string `json:"id"`
	ImageInfo
	// URL is where the image is served (MediaPath), written on every
	// answer; a value sent in is ignored.
	URL string `json:"url,omitempty"`
}

// MediaPath is where the server serves the uploaded image id, relative to
// its base URL.
func MediaPath(id string) string { return "/media/" + id }

// MarshalJSON writes the image with its URL.
func (im Image) MarshalJSON() ([]byte, error) {
	type plain Image
	p := plain(im)
	p.URL = MediaPath(im.ID)
	return json.Marshal(p)
}

// Revision is one version of a listing's content. A listing has at most one
// live (approved) revision and at most one being edited or reviewed; editing
// a live listing creates a new draft while the live one keeps selling.
//
// "Absent" is the zero value: an empty string, a nil slice, a nil Trial. A
// draft may leave fields absent (CheckDraft), but every present field must be
// valid; submission needs them all (CheckComplete). The JSON names are the
// API contract and also the keys of the listing file (see docs/listing.md);
// metadata and uploads are not part of the file, hence yaml:"-".
type Revision struct {
	ID        string        `json:"id,omitempty" yaml:"-"`
	ListingID string        `json:"listing_id,omitempty" yaml:"-"`
	State     RevisionState `json:"state,omitempty" yaml:"-"`

	Name           string          `json:"name"`
	NameEn         string          `json:"name_en"`
	Subtitle       string          `json:"subtitle"`
	SubtitleEn     string          `json:"subtitle_en"`
	Description    string          `json:"description"`
	DescriptionEn  string          `json:"description_en"`
	CategoryID     string          `json:"category_id"`
	Tags           []string        `json:"tags"`
	SupportContact string          `json:"support_contact"`
	PrivacyURL     string          `json:"privacy_url"`
	PricingRule    PricingRule     `json:"pricing_rule"`
	Specs          []Spec          `json:"specs"`
	Trial          *Trial          `json:"trial"`
	Activation     ActivationOrder `json:"activation_order"`
	PromotionModes []PromotionMode `json:"promotion_modes"`

	Icon        *Image  `json:"icon,omitempty" yaml:"-"`
	Screenshots []Image `json:"screenshots,omitempty" yaml:"-"`

	CreatedAt time.Time `json:"created_at,omitzero" yaml:"-"`
	UpdatedAt time.Time `json:"updated_at,omitzero" yaml:"-"`
}

// Listing is a product in the marketplace: an app's presence there. Its
// content lives in revisions; LiveRevisionID is the approved one customers
// see and buy (empty until the first approval).
type Listing struct {
	ID             string       `json:"id"`
	AppID          string       `json:"app_id"`
	State          ListingState `json:"state"`
	LiveRevisionID string       `json:"live_revision_id,omitempty"`
	// DelistReason is kept when the partner delists; TakedownReason when an
	// operator takes the listing down (it then needs review to relist).
	DelistReason   string    `json:"delist_reason,omitempty"`
	TakedownReason string    `json:"takedown_reason,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Limits of a revision's content. Exported so that editors can show them and
// docs/listing.md can quote them.
const (
	MaxNameRunes        = 40
	MaxNameEnRunes      = 80
	MaxSubtitleRunes    = 60
	MaxSubtitleEnRunes  = 120
	MinDescriptionRunes = 50
	MaxDescriptionRunes = 20000
	MaxTags             = 10
	MaxTagRunes         = 20
	MaxSpecs            = 20
	MaxSpecNameRunes    = 40
	MaxSpecNameEnRunes  = 80
	MaxSpecUsers        = 1000000
	MaxSpecPrice        = 100000000 // 1,000,000.00 in a 2-decimal currency, per user per period
	MinTrialDays        = 1
	MaxTrialDays        = 90
	MaxScreenshots      = 6
	DefaultCurrency     = "CNY"
)

// Normalize trims surrounding space from the texts and fills defaults
// (currency CNY) so that what is stored, diffed and shown is canonical. Call
// it before CheckDraft; it never makes an invalid value valid.
func (r *Revision) Normalize() {
	for _, p := range []*string{&r.Name, &r.NameEn, &r.Subtitle, &r.SubtitleEn, &r.CategoryID, &r.SupportContact, &r.PrivacyURL} {
		*p = TrimLine(*p)
	}
	r.Description = strings.TrimSpace(r.Description)
	r.DescriptionEn = strings.TrimSpace(r.DescriptionEn)
	r.PricingRule = PricingRule(strings.TrimSpace(string(r.PricingRule)))
	r.Activation = ActivationOrder(strings.TrimSpace(string(r.Activation)))
	for i := range r.Tags {
		r.Tags[i] = TrimLine(r.Tags[i])
	}
	for i := range r.PromotionModes {
		r.PromotionModes[i] = PromotionMode(strings.TrimSpace(string(r.PromotionModes[i])))
	}
	for i := range r.Specs {
		s := &r.Specs[i]
		s.Code, s.Name, s.NameEn = strings.TrimSpace(s.Code), TrimLine(s.Name), TrimLine(s.NameEn)
		s.Period = Period(strings.TrimSpace(string(s.Period)))
		s.Currency = strings.TrimSpace(s.Currency)
		if s.Currency == "" {
			s.Currency = DefaultCurrency
		}
	}
}

// CheckDraft checks that every present field is valid, so that a draft may
// be saved half-written but never holds a value that could not be submitted.
// It returns nil or a FieldErrors listing every problem in field order.
func (r *Revision) CheckDraft() error {
	var c checker
	r.check(&c, false)
	return c.errs.Err()
}

// CheckComplete checks what submission needs: every present field valid (as
// CheckDraft) and every required field present. It returns nil or a
// FieldErrors. The self-test and the category being a leaf are checked by
// the service, which knows the app and the category tree.
func (r *Revision) CheckComplete() error {
	var c checker
	r.check(&c, true)
	return c.errs.Err()
}

// HasFreeSpec reports whether the revision offers a free spec.
func (r *Revision) HasFreeSpec() bool {
	for _, s := range r.Specs {
		if s.Free {
			return true
		}
	}
	return false
}

// checker collects field errors in the order they are found.
type checker struct{ errs FieldErrors }

func (c *checker) add(field, code, format string, args ...any) {
	c.errs = append(c.errs, FieldError(field, code, format, args...))
}

// check walks the fields in contract order so that the first error is the
// first problem a reader meets in the form or the file.
func (r *Revision) check(c *checker, complete bool) {
	checkLine(c, "name", r.Name, MaxNameRunes, complete)
	checkLine(c, "name_en", r.NameEn, MaxNameEnRunes, complete)
	checkLine(c, "subtitle", r.Subtitle, MaxSubtitleRunes, complete)
	checkLine(c, "subtitle_en", r.SubtitleEn, MaxSubtitleEnRunes, complete)
	checkDescription(c, r.Description, complete)
	checkDescriptionEn(c, r.DescriptionEn)
	checkCategory(c, r.CategoryID, complete)
	checkTags(c, r.Tags)
	checkSupportContact(c, r.SupportContact, complete)
	checkURL(c, "privacy_url", r.PrivacyURL, complete)
	checkPricingRule(c, r.PricingRule, complete)
	checkSpecs(c, r.Specs, complete)
	checkTrial(c, r.Trial)
	checkActivation(c, r, complete)
	checkPromotionModes(c, r.PromotionModes, complete)
	if len(r.Screenshots) > MaxScreenshots {
		c.add("screenshots", "screenshots_too_many", "at most %d screenshots", MaxScreenshots)
	}
}

func checkPricingRule(c *checker, p PricingRule, complete bool) {
	switch {
	case p == "":
		if complete {
			c.add("pricing_rule", "required", "pricing_rule is required; the only rule is %q (按使用人数收费)", PricingPerUser)
		}
	case p != PricingPerUser:
		c.add("pricing_rule", "pricing_rule_unsupported", "pricing rule %q is not supported: only %q (按使用人数收费, per user) is", p, PricingPerUser)
	}
}

func checkTrial(c *checker, t *Trial) {
	if t == nil {
		return
	}
	if t.Days < MinTrialDays || t.Days > MaxTrialDays {
		c.add("trial.days", "trial_days_invalid", "trial days must be %d to %d, not %d", MinTrialDays, MaxTrialDays, t.Days)
	}
	if t.MaxUsers < 1 || t.MaxUsers > MaxSpecUsers {
		c.add("trial.max_users", "trial_max_users_invalid", "trial max_users must be 1 to %d, not %d", MaxSpecUsers, t.MaxUsers)
	}
}

// checkActivation refuses trial_then_free with the seed's reason and an
// order whose first step the revision cannot deliver: a trial_then_paid
// listing without a trial, a free_then_paid one without a free spec. These
// are checked on drafts too, against the trial and specs of the same save,
// so a saved order always makes sense.
func checkActivation(c *checker, r *Revision, complete bool) {
	const f = "activation_order"
	switch r.Activation {
	case "":
		if complete {
			c.add(f, "required", "activation_order is required: %s, %s or %s", ActivationPaidFirst, ActivationTrialThenPaid, ActivationFreeThenPaid)
		}
	case ActivationPaidFirst:
	case ActivationTrialThenPaid:
		if r.Trial == nil {
			c.add(f, "activation_order_needs_trial", "activation order %q needs a trial; add one or choose %q", r.Activation, ActivationPaidFirst)
		}
	case ActivationFreeThenPaid:
		if !r.HasFreeSpec() {
			c.add(f, "activation_order_needs_free_spec", "activation order %q needs a free spec (free: true); add one or choose %q", r.Activation, ActivationPaidFirst)
		}
	case ActivationTrialThenFree:
		c.add(f, "activation_order_unsupported",
			"activation order %q is not supported: the platform does not support \"trial first, then free on expiry\" (优先试用，到期自动转免费); choose %s, %s or %s",
			r.Activation, ActivationPaidFirst, ActivationTrialThenPaid, ActivationFreeThenPaid)
	default:
		c.add(f, "activation_order_invalid", "unknown activation order %q: use %s, %s or %s", r.Activation, ActivationPaidFirst, ActivationTrialThenPaid, ActivationFreeThenPaid)
	}
}

func checkPromotionModes(c *checker, modes []PromotionMode, complete bool) {
	if len(modes) == 0 {
		if complete {
			c.add("promotion_modes", "promotion_modes_required", "choose at least one promotion mode: %s and/or %s", PromotionMarket, PromotionOwnChannel)
		}
		return
	}
	seen := map[PromotionMode]bool{}
	for i, m := range modes {
		f := fieldIndex("promotion_modes", i)
		switch {
		case m != PromotionMarket && m != PromotionOwnChannel:
			c.add(f, "promotion_mode_invalid", "unknown promotion mode %q: use %s or %s", m, PromotionMarket, PromotionOwnChannel)
		case seen[m]:
			c.add(f, "promotion_mode_duplicate", "promotion mode %q is listed twice", m)
		}
		seen[m] = true
	}
}
