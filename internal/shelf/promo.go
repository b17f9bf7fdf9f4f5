package shelf

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"
)

// PromoTarget is where a promotion channel's link lands a customer.
type PromoTarget string

// The landing targets: the listing's own call to action, its trial, or
// buying one given spec.
const (
	PromoTargetListing PromoTarget = "listing"
	PromoTargetTrial   PromoTarget = "trial"
	PromoTargetBuy     PromoTarget = "buy"
)

// PromoStatus is whether a channel's link works. Expired is never stored:
// a channel is expired once its expiry has passed.
type PromoStatus string

// Channel statuses.
const (
	PromoActive  PromoStatus = "active"
	PromoPaused  PromoStatus = "paused"
	PromoExpired PromoStatus = "expired"
)

// Limits of a promotion channel.
const (
	PromoNameMax  = 80
	PromoNoteMax  = 500
	PromoStateMax = 128
	// PromoCodeLen is the length of a channel code: 8 characters of a
	// 31-letter alphabet, about 2^39 codes, drawn at random.
	PromoCodeLen = 8
	// PromoAttributionDays is the default last-touch window; a listing
	// may set 1 to PromoAttributionMax days.
	PromoAttributionDays = 30
	PromoAttributionMax  = 90
)

// promoAlphabet leaves out 0/O, 1/I/L so a code read aloud or typed from
// a poster is not mistaken; codes are case-insensitive.
const promoAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// PromoChannel (自有渠道推广) is a partner's promotion channel for one of its
// listings: a short link /p/<code> and its QR code, with where it lands
// and an optional state handed to the vendor on the events it brings.
type PromoChannel struct {
	ID        string      `json:"id"`
	Code      string      `json:"code"`
	ListingID string      `json:"listing_id"`
	AppID     string      `json:"app_id"`
	OrgID     string      `json:"org_id"`
	Name      string      `json:"name"`
	Note      string      `json:"note"`
	Target    PromoTarget `json:"target"`
	SpecCode  string      `json:"spec_code,omitempty"`
	State     string      `json:"state,omitempty"`
	Paused    bool        `json:"-"`
	ExpiresAt *time.Time  `json:"expires_at"`
	CreatedBy string      `json:"created_by"`
	CreatedAt time.Time   `json:"created_at"`
	UpdatedAt time.Time   `json:"updated_at"`
}

// StatusAt is the channel's status at t.
func (c *PromoChannel) StatusAt(t time.Time) PromoStatus {
	switch {
	case c.ExpiresAt != nil && !t.Before(*c.ExpiresAt):
		return PromoExpired
	case c.Paused:
		return PromoPaused
	}
	return PromoActive
}

// NewPromoChannel is what a partner asks for.
type NewPromoChannel struct {
	ListingID string      `json:"-"`
	ByUserID  string      `json:"-"`
	Name      string      `json:"name"`
	Note      string      `json:"note"`
	Target    PromoTarget `json:"target"`
	SpecCode  string      `json:"spec_code"`
	State     string      `json:"state"`
	ExpiresAt *time.Time  `json:"expires_at"`
}

// PromoPatch changes a channel: nil fields stay. Status "paused" pauses,
// "active" resumes, "expired" expires it now (for good).
type PromoPatch struct {
	Name      *string      `json:"name"`
	Note      *string      `json:"note"`
	State     *string      `json:"state"`
	Status    *PromoStatus `json:"status"`
	ExpiresAt *time.Time   `json:"expires_at"`
}

// Check validates a new channel against the listing's live terms.
func (n *NewPromoChannel) Check(live *Revision, now time.Time) error {
	n.Name, n.Note, n.SpecCode = strings.TrimSpace(n.Name), strings.TrimSpace(n.Note), strings.TrimSpace(n.SpecCode)
	if n.Target == "" {
		n.Target = PromoTargetListing
	}
	if err := checkPromoName(n.Name); err != nil {
		return err
	}
	if err := checkPromoNote(n.Note); err != nil {
		return err
	}
	if err := CheckPromoState(n.State); err != nil {
		return err
	}
	if n.ExpiresAt != nil && !n.ExpiresAt.After(now) {
		return FieldError("expires_at", "expiry_in_past", "the expiry must be in the future")
	}
	return checkPromoTarget(n.Target, n.SpecCode, live)
}

func checkPromoName(name string) error {
	switch {
	case name == "":
		return FieldError("name", "required", "give the channel a name (where the code is shown: a poster, a fair, a website)")
	case utf8.RuneCountInString(name) > PromoNameMax || hasControl(name):
		return FieldError("name", "invalid_name", "a name has at most %d characters and no control characters", PromoNameMax)
	}
	return nil
}

func checkPromoNote(note string) error {
	if utf8.RuneCountInString(note) > PromoNoteMax {
		return FieldError("note", "too_long", "a note has at most %d characters", PromoNoteMax)
	}
	return nil
}

// CheckPromoState refuses a state the vendor could not take back as is:
// more than 128 characters, or control characters.
func CheckPromoState(s string) error {
	if utf8.RuneCountInString(s) > PromoStateMax || !utf8.ValidString(s) || hasControl(s) {
		return FieldError("state", "invalid_channel_state", "state has at most %d characters and no control characters", PromoStateMax)
	}
	return nil
}

func hasControl(s string) bool {
	return strings.ContainsFunc(s, unicode.IsControl)
}

// checkPromoTarget refuses a landing the listing cannot serve.
func checkPromoTarget(t PromoTarget, spec string, live *Revision) error {
	if live == nil {
		return FieldError("listing_id", "listing_not_available", "the listing is not live: channels promote live listings")
	}
	switch t {
	case PromoTargetListing:
		if spec != "" {
			return FieldError("spec_code", "spec_not_allowed", "a spec is given only with the target buy")
		}
	case PromoTargetTrial:
		if live.Trial == nil {
			return FieldError("target", "trial_not_offered", "this listing has no trial: land on the listing or on buying a spec")
		}
		if spec != "" {
			return FieldError("spec_code", "spec_not_allowed", "a spec is given only with the target buy")
		}
	case PromoTargetBuy:
		for _, s := range live.Specs {
			if s.Code == spec && !s.Free {
				return nil
			}
		}
		return FieldError("spec_code", "unknown_spec", "target buy needs one of the listing's paid specs")
	default:
		return FieldError("target", "invalid_target", "target is listing, trial or buy")
	}
	return nil
}

// Apply checks a patch and applies it to the channel at now.
func (p *PromoPatch) Apply(c *PromoChannel, now time.Time) error {
	if c.StatusAt(now) == PromoExpired {
		return Errorf(KindConflict, "channel_expired", "this channel has expired; create a new one")
	}
	if p.Name != nil {
		name := strings.TrimSpace(*p.Name)
		if err := checkPromoName(name); err != nil {
			return err
		}
		c.Name = name
	}
	if p.Note != nil {
		note := strings.TrimSpace(*p.Note)
		if err := checkPromoNote(note); err != nil {
			return err
		}
		c.Note = note
	}
	if p.State != nil {
		if err := CheckPromoState(*p.State); err != nil {
			return err
		}
		c.State = *p.State
	}
	if p.ExpiresAt != nil {
		if !p.ExpiresAt.After(now) {
			return FieldError("expires_at", "expiry_in_past", "the expiry must be in the future; to end the channel now, set status expired")
		}
		e := p.ExpiresAt.UTC()
		c.ExpiresAt = &e
	}
	if p.Status != nil {
		switch *p.Status {
		case PromoActive:
			c.Paused = false
		case PromoPaused:
			c.Paused = true
		case PromoExpired:
			e := now
			c.ExpiresAt = &e
		default:
			return FieldError("status", "invalid_status", "status is active, paused or expired")
		}
	}
	return nil
}

// NewPromoCode draws a channel code at random: a code says nothing of the
// codes made before or after it.
func NewPromoCode() string {
	var b [PromoCodeLen]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("shelf: crypto/rand failed: " + err.Error())
	}
	for i := range b {
		// 256 % 31 leaves a bias of under 1/8 on a few letters: harmless
		// for codes whose only duty is not to follow each other.
		b[i] = promoAlphabet[int(b[i])%len(promoAlphabet)]
	}
	return string(b[:])
}

// NormPromoCode reads a code as typed (any case), or "" when it cannot be
// one.
func NormPromoCode(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != PromoCodeLen {
		return ""
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(promoAlphabet, s[i]) < 0 {
			return ""
		}
	}
	return s
}

// PromoDay is the day number (days since 1970-01-01, UTC) visits are
// counted by.
func PromoDay(t time.Time) int64 { return t.UTC().Unix() / 86400 }

// PromoVisitor names a visitor for one day without keeping their address:
// a keyed hash of address and user agent under a key derived from the
// server's secret and the day. The day's key is never stored, so the
// names of two days cannot be linked, nor an address found from a name.
func PromoVisitor(secret []byte, day int64, addr, userAgent string) string {
	return promoName(hmac.New(sha256.New, promoDayKey(secret, day)), addr, userAgent)
}

// promoDayKey is the key visitors are named under on one day.
func promoDayKey(secret []byte, day int64) []byte {
	dk := hmac.New(sha256.New, secret)
	dk.Write([]byte("promo visitor day " + strconv.FormatInt(day, 10)))
	return dk.Sum(nil)
}

// promoName is a visitor's name under m, a fresh or reset HMAC keyed with
// the day's key.
func promoName(m hash.Hash, addr, userAgent string) string {
	io.WriteString(m, addr)
	m.Write([]byte{0})
	io.WriteString(m, userAgent)
	var sum [sha256.Size]byte
	return base64.RawURLEncoding.EncodeToString(m.Sum(sum[:0])[:16])
}

// PromoVisitors names visitors exactly as PromoVisitor does, for the node
// that names one per scanned code: the day's key is derived once a day
// rather than once a visit, and its keyed hashes are reused. The key
// lives only in memory and is replaced when the day turns.
type PromoVisitors struct {
	secret []byte
	cur    atomic.Pointer[promoVisitorDay]
}

// promoVisitorDay is one day's key, as reusable keyed hashes.
type promoVisitorDay struct {
	day  int64
	macs sync.Pool // of hash.Hash, HMAC-SHA-256 under the day's key
}

// NewPromoVisitors names visitors under secret.
func NewPromoVisitors(secret []byte) *PromoVisitors { return &PromoVisitors{secret: secret} }

// Name is PromoVisitor(secret, day, addr, userAgent).
func (v *PromoVisitors) Name(day int64, addr, userAgent string) string {
	d := v.cur.Load()
	if d == nil || d.day != day {
		// Two requests at midnight may both derive a day: harmless, each
		// names by its own day.
		key := promoDayKey(v.secret, day)
		d = &promoVisitorDay{day: day, macs: sync.Pool{New: func() any { return hmac.New(sha256.New, key) }}}
		v.cur.Store(d)
	}
	m := d.macs.Get().(hash.Hash)
	m.Reset()
	name := promoName(m, addr, userAgent)
	d.macs.Put(m)
	return name
}

// PromoVisit is one landing on a channel's link.
type PromoVisit struct {
	Code    string
	Visitor string // PromoVisitor's name for the visitor
	UserID  string // the signed-in visitor, if any: their last touch
	At      time.Time
}

// PromoTouch is what a visit tells about a later install, trial or order:
// the channel that brought it (last touch within the listing's window).
type PromoTouch struct {
	ChannelID string
	Code      string
	State     string
}

// FunnelQuery selects a listing's funnel: days [From, To] (UTC dates),
// optionally one channel.
type FunnelQuery struct {
	ListingID string
	Code      string
	From, To  time.Time
}

// FunnelDay is one day (or the total) of a funnel.
type FunnelDay struct {
	Day      string `json:"day,omitempty"` // YYYY-MM-DD; empty for the total
	Visits   int    `json:"visits"`
	Installs int    `json:"installs"`
	Trials   int    `json:"trials"`
	Orders   int    `json:"paid_orders"`
	// Revenue is in Currency's minor units: what the day's paid orders
	// brought less what the day's refunds (of orders the channel brought,
	// whenever paid) gave back; it can be negative.
	Revenue int64 `json:"revenue"`
	// Refunds are the channel's orders refunded that day, Refunded their
	// amount (minor units).
	Refunds  int   `json:"refunds"`
	Refunded int64 `json:"refunded"`
}

// Rates are the funnel's conversion rates, each against visits (0 when
// there were none).
func (d FunnelDay) Rates() FunnelRates {
	r := func(n int) float64 {
		if d.Visits == 0 {
			return 0
		}
		return float64(n) / float64(d.Visits)
	}
	return FunnelRates{Install: r(d.Installs), Trial: r(d.Trials), Paid: r(d.Orders)}
}

// FunnelRates are conversion rates from a visit.
type FunnelRates struct {
	Install float64 `json:"install"`
	Trial   float64 `json:"trial"`
	Paid    float64 `json:"paid"`
}

// Funnel is visits → installs → trials → paid orders → revenue, by day and
// in total, of a listing or one of its channels.
type Funnel struct {
	ListingID string      `json:"listing_id"`
	Code      string      `json:"channel,omitempty"`
	Currency  string      `json:"currency"`
	From      string      `json:"from"`
	To        string      `json:"to"`
	Days      []FunnelDay `json:"days"`
	Total     FunnelDay   `json:"total"`
	Rates     FunnelRates `json:"rates"`
}

// ChangePromoChannel is the change-feed key of a channel (by its code):
// caches of what its link resolves to drop it on every node.
func ChangePromoChannel(code string) string { return changePromoPrefix + code }

// ChangedPromoChannel returns the code a change-feed key names, if it does.
func ChangedPromoChannel(key string) (string, bool) { return strings.CutPrefix(key, changePromoPrefix) }

const changePromoPrefix = "promo:"
