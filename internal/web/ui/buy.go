package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
)

// buyPage is where an org admin chooses a plan, users and periods, sees the
// price the server computed, and confirms.
type buyPage struct {
	Org     *shelf.Org
	Listing *shelf.ListingInfo
	Specs   []shelf.Spec // the paid ones
	Sub     *shelf.Subscription
	Types   []shelf.OrderType // the order types the org's subscription allows
	Form    buyForm
	// Quote and Summary are the preview; Key is the confirm form's
	// idempotency key, made when the preview is shown.
	Quote   *shelf.Quote
	Summary []string
	Key     string
	Pending string
}

// buyForm is what the admin asked for.
type buyForm struct {
	Type    shelf.OrderType
	Spec    string
	Users   int
	Periods int
}

// request turns the form into an order request of the org.
func (f buyForm) request(acc access.Org, listingID string) shelf.OrderRequest {
	periods := f.Periods
	if f.Type == shelf.OrderUpgrade {
		periods = 0 // an upgrade runs to the end of the term
	}
	return shelf.OrderRequest{OrgID: acc.Org.ID, ByUserID: acc.User.ID, ListingID: listingID, Type: f.Type, SpecCode: f.Spec, Users: f.Users, Periods: periods}
}

// readBuyForm reads the form from the query (preview) or the body
// (confirm); numbers that do not parse are 0, which the quote refuses with
// a message.
func readBuyForm(get func(string) string) buyForm {
	users, _ := strconv.Atoi(strings.TrimSpace(get("users")))
	periods, _ := strconv.Atoi(strings.TrimSpace(get("periods")))
	return buyForm{Type: shelf.OrderType(get("type")), Spec: get("spec"), Users: users, Periods: periods}
}

// loadBuy authorizes an org admin and loads the listing, the org's
// subscription and the form's defaults.
func (h *Handler) loadBuy(r *http.Request) (access.Org, *buyPage, error) {
	acc, err := h.RequireOrg(r, shelf.RoleAdmin)
	if err != nil {
		return acc, nil, err
	}
	li, err := h.Listings.Listing(r.Context(), r.PathValue("listing"))
	if err != nil {
		return acc, nil, err
	}
	if li.Live == nil || li.State != shelf.ListingListed {
		return acc, nil, shelf.NotFound("listing")
	}
	p := &buyPage{Org: acc.Org, Listing: li}
	for _, sp := range li.Live.Specs {
		if !sp.Free {
			p.Specs = append(p.Specs, sp)
		}
	}
	if p.Sub, err = h.subscriptionOf(r.Context(), acc.Org.ID, li.AppID); err != nil {
		return acc, nil, err
	}
	if p.Pending, err = h.pendingOrder(r.Context(), acc.Org.ID, li.AppID); err != nil {
		return acc, nil, err
	}
	p.Types = []shelf.OrderType{shelf.OrderBuy}
	if p.Sub != nil && p.Sub.Kind == shelf.SubKindPaid && (p.Sub.Status == shelf.SubActive || p.Sub.Status == shelf.SubOverLimit) {
		p.Types = []shelf.OrderType{shelf.OrderRenew, shelf.OrderUpgrade, shelf.OrderRenewUpgrade, shelf.OrderRenewDegrade}
		p.Form = buyForm{Type: shelf.OrderRenew, Spec: p.Sub.SpecCode, Users: p.Sub.Users, Periods: 1}
	} else if len(p.Specs) > 0 {
		p.Form = buyForm{Type: shelf.OrderBuy, Spec: p.Specs[0].Code, Users: p.Specs[0].MinUsers, Periods: 1}
	}
	return acc, p, nil
}

// pageBuy shows the buy form; with a spec in the query it also shows the
// server's price and the confirm form (works without JavaScript).
func (h *Handler) pageBuy(w http.ResponseWriter, r *http.Request) {
	acc, p, err := h.loadBuy(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	if q.Has("spec") {
		p.Form = readBuyForm(q.Get)
		if !slices.Contains(p.Types, p.Form.Type) {
			p.Form.Type = p.Types[0]
		}
		quote, err := h.Commerce.Quote(r.Context(), p.Form.request(acc, p.Listing.ID))
		if err != nil {
			h.showBuy(w, r, p, err)
			return
		}
		p.Quote, p.Summary = quote, shelf.DescribeQuote(quote, shelf.Lang(language(r)))
		p.Key = shelf.NewID("idem")
	}
	h.showBuy(w, r, p, nil)
}

func (h *Handler) showBuy(w http.ResponseWriter, r *http.Request, p *buyPage, formErr error) {
	title := translate(language(r), "shop.buy_title") + " · " + pick(language(r), p.Listing.Live.Name, p.Listing.Live.NameEn)
	h.showPage(w, r, "shop_buy", title, p, p.Org, formErr)
}

// postBuy places the order the admin confirmed. The confirm form carries
// the idempotency key made with the preview, so a double click or a
// resubmitted form finds the first order instead of placing a second.
func (h *Handler) postBuy(w http.ResponseWriter, r *http.Request) {
	acc, p, err := h.loadBuy(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Form = readBuyForm(r.PostFormValue)
	key := strings.TrimSpace(r.PostFormValue("idempotency_key"))
	if key == "" || len(key) > maxIdempotencyKey {
		h.showBuy(w, r, p, &shelf.Error{Kind: shelf.KindBadRequest, Code: "idempotency_key_required", Message: "the confirm form has no key"})
		return
	}
	req := p.Form.request(acc, p.Listing.ID)
	sum := sha256.Sum256(fmt.Appendf(nil, "page\x00%s\x00%s\x00%s\x00%s\x00%d\x00%d", req.OrgID, req.ListingID, req.Type, req.SpecCode, req.Users, req.Periods))
	placed, err := h.Commerce.CreateOrder(r.Context(), req, shelf.Idempotency{Key: key, Hash: hex.EncodeToString(sum[:])},
		func(o *shelf.Order) (shelf.Answer, error) {
			return shelf.Answer{Status: http.StatusSeeOther, Body: []byte(o.ID)}, nil
		})
	if err != nil {
		h.showBuy(w, r, p, err)
		return
	}
	http.Redirect(w, r, "/orders/"+url.PathEscape(string(placed.Answer.Body)), http.StatusSeeOther)
}

// maxIdempotencyKey bounds the confirm form's key, as the API bounds its
// header.
const maxIdempotencyKey = 255

// pick is the template helper of the same name for Go code.
func pick(lang, zh, en string) string {
	if lang == langEN && en != "" {
		return en
	}
	return zh
}
