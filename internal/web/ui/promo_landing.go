package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/auth"
)

// promoPageFiles are the promotion pages (see pageFiles).
var promoPageFiles = []string{"promo_landing", "promo_channels", "promo_print"}

// promoPages mounts own-channel promotion: the public landing of a
// channel's link and the partner console's channel pages (promo_console.go).
func (h *Handler) promoPages(mux *http.ServeMux) {
	mux.HandleFunc("GET /p/{code}", h.promoVisit)
	mux.HandleFunc("GET /p/{code}/start", h.pagePromoLanding)
	mux.HandleFunc("POST /p/{code}/org", h.postPromoOrg)
	h.promoConsolePages(mux)
}

// promoVisit is where a scanned code or a clicked link arrives: it
// records the visit durably (once per visitor and day; a signed-in
// visitor's last touch), then sends the visitor on to the landing page.
// A paused or expired channel sends them to the listing with a note; an
// unknown code is a friendly 404.
func (h *Handler) promoVisit(w http.ResponseWriter, r *http.Request) {
	c, live, err := h.Promo.PromoLink(r.Context(), r.PathValue("code"))
	if err != nil || !live {
		h.promoMissing(w, r, err)
		return
	}
	if h.promoEnded(w, r, c, &shelf.ListingInfo{Listing: shelf.Listing{ID: c.ListingID}}) {
		return
	}
	now := h.Clock.Now()
	start := "/p/" + c.Code + "/start"
	a := auth.FromContext(r.Context())
	if a == nil && h.promoSeen(r, c.Code, shelf.PromoDay(now)) {
		seeOther(w, start) // counted today already
		return
	}
	v := shelf.PromoVisit{Code: c.Code, At: now,
		Visitor: h.promoVisitors.Name(shelf.PromoDay(now), h.limiter.ClientAddr(r), r.UserAgent())}
	if a != nil {
		v.UserID = a.User.ID // a touch to record, cookie or not
	}
	if err := h.Promo.RecordPromoVisit(r.Context(), c, v); err != nil {
		h.pageError(w, r, err)
		return
	}
	if a == nil {
		h.markPromoSeen(w, c.Code, now)
	}
	seeOther(w, start)
}

// seeOther answers a 303 to a path of Shelf's own, without the short
// HTML body http.Redirect adds for clients that ignore Location (none a
// scanned code meets): a scan's answer is as small as it can be.
func seeOther(w http.ResponseWriter, path string) {
	w.Header()["Location"] = []string{path}
	w.WriteHeader(http.StatusSeeOther)
}

// promoEnded sends the reader of a paused or expired channel's link to
// the listing, with a note.
func (h *Handler) promoEnded(w http.ResponseWriter, r *http.Request, c *shelf.PromoChannel, li *shelf.ListingInfo) bool {
	if c.StatusAt(h.Clock.Now()) == shelf.PromoActive {
		return false
	}
	http.Redirect(w, r, "/listings/"+url.PathEscape(li.ID)+"?flash=promo.ended", http.StatusSeeOther)
	return true
}

// promoChannel reads the channel in the path and its listing; a code that
// names nothing live answers the friendly 404 page.
func (h *Handler) promoChannel(w http.ResponseWriter, r *http.Request) (*shelf.PromoChannel, *shelf.ListingInfo, bool) {
	c, err := h.Promo.PromoChannel(r.Context(), r.PathValue("code"))
	var li *shelf.ListingInfo
	if err == nil {
		li, err = h.Listings.Listing(r.Context(), c.ListingID)
	}
	if err == nil && (li.Live == nil || li.State != shelf.ListingListed) {
		err = shelf.NotFound("listing")
	}
	if err != nil {
		h.promoMissing(w, r, err)
		return nil, nil, false
	}
	return c, li, true
}

// promoMissing answers a code that names nothing live (nil err: a
// listing no longer live) with the friendly 404 page.
func (h *Handler) promoMissing(w http.ResponseWriter, r *http.Request, err error) {
	if err != nil && shelf.ErrorKind(err) != shelf.KindNotFound {
		h.pageError(w, r, err)
		return
	}
	v, verr := h.newView(r, translate(language(r), "promo.missing_title"), &promoLanding{Missing: true})
	if verr != nil {
		h.pageError(w, r, verr)
		return
	}
	h.render(w, r, http.StatusNotFound, "promo_landing", v)
}

// promoLanding is the phone-first page a channel's link lands on: what the
// app is and the one next step for this reader.
type promoLanding struct {
	Missing bool
	Channel *shelf.PromoChannel
	Listing *shelf.ListingInfo
	Ended   bool
	// Step is what the reader does next: signup, org (create one), act,
	// ask (a member: the admins decide).
	Step    string
	Orgs    []shelf.OrgWithRole // the reader's customer orgs they administer
	Org     *shelf.OrgWithRole
	BuyLink string // target buy: the preview of the channel's spec
	Spec    *shelf.Spec
}

func (h *Handler) pagePromoLanding(w http.ResponseWriter, r *http.Request) {
	c, li, ok := h.promoChannel(w, r)
	if !ok || h.promoEnded(w, r, c, li) {
		return
	}
	p := &promoLanding{Channel: c, Listing: li, Step: "signup"}
	if err := h.promoStep(r, p); err != nil {
		h.pageError(w, r, err)
		return
	}
	h.showPage(w, r, "promo_landing", pick(language(r), li.Live.Name, li.Live.NameEn), p, nil, nil)
}

// promoStep decides the reader's next step: sign up or in; create an org
// (no customer org they administer); ask the admins (a member only); else
// act in the org chosen (?org=, or the first).
func (h *Handler) promoStep(r *http.Request, p *promoLanding) error {
	a := auth.FromContext(r.Context())
	if a == nil {
		return nil
	}
	orgs, err := h.Store.OrgsForUser(r.Context(), a.User.ID, shelf.PageReq{})
	if err != nil {
		return err
	}
	member := false
	for _, o := range orgs {
		if o.Kind != shelf.OrgCustomer || o.Test {
			continue
		}
		if o.Role != shelf.RoleAdmin {
			member = true
			continue
		}
		p.Orgs = append(p.Orgs, o)
	}
	switch {
	case len(p.Orgs) == 0 && member:
		p.Step = "ask"
		return nil
	case len(p.Orgs) == 0:
		p.Step = "org"
		return nil
	}
	p.Step, p.Org = "act", &p.Orgs[0]
	for i := range p.Orgs {
		if p.Orgs[i].ID == r.URL.Query().Get("org") {
			p.Org = &p.Orgs[i]
		}
	}
	if p.Channel.Target == shelf.PromoTargetBuy {
		for i, s := range p.Listing.Live.Specs {
			if s.Code == p.Channel.SpecCode {
				p.Spec = &p.Listing.Live.Specs[i]
				p.BuyLink = "/orgs/" + url.PathEscape(p.Org.ID) + "/shop/" + url.PathEscape(p.Listing.ID) + "/buy?type=BUY&spec=" +
					url.QueryEscape(s.Code) + "&users=" + strconv.Itoa(s.MinUsers) + "&periods=1"
			}
		}
	}
	return nil
}

// postPromoOrg creates the reader's customer org from the landing page and
// goes back to it, to act in the new org.
func (h *Handler) postPromoOrg(w http.ResponseWriter, r *http.Request) {
	c, li, ok := h.promoChannel(w, r)
	if !ok {
		return
	}
	a := auth.FromContext(r.Context())
	if a == nil {
		http.Redirect(w, r, "/signin?next="+url.QueryEscape("/p/"+c.Code), http.StatusSeeOther)
		return
	}
	o, err := h.Store.CreateOrg(r.Context(), shelf.NewOrg{Name: r.PostFormValue("name"), Kind: shelf.OrgCustomer, CreatorID: a.User.ID})
	if err != nil {
		p := &promoLanding{Channel: c, Listing: li, Step: "org"}
		h.showPage(w, r, "promo_landing", pick(language(r), li.Live.Name, li.Live.NameEn), p, nil, err)
		return
	}
	http.Redirect(w, r, "/p/"+c.Code+"/start?org="+url.QueryEscape(o.ID), http.StatusSeeOther)
}
