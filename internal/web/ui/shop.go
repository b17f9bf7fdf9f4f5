package ui

import (
	"context"
	"net/http"
	"net/url"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/auth"
)

// shopBox is the listing page's call to action for the reader: sign in;
// pick one of your customer orgs; as a member ask the admins; as an admin
// start the trial, install the free plan or buy, as the listing's specs and
// activation order allow, or renew and change what the org has.
type shopBox struct {
	ListingID string
	SignedIn  bool
	Orgs      []shelf.OrgWithRole // the reader's customer orgs
	Org       *shelf.OrgWithRole  // the one chosen
	IsAdmin   bool
	Sub       *shelf.Subscription // the chosen org's; nil if it never had one
	Trial     bool                // the listing offers a trial
	TrialUsed bool
	Free      bool // the listing has a free spec
	// Primary is what the activation order puts first: trial, free or buy.
	Primary string
	// InForce: the org may use the app now; Paid: a paid term runs.
	InForce bool
	Paid    bool
	Pending string // an order of the org for the app waiting for payment
}

// shopBox reads the reader's standing towards a listing; the org is the
// one in the path (a refused form) or ?org=, else the first customer org.
func (h *Handler) shopBox(r *http.Request, li *shelf.ListingInfo) (*shopBox, error) {
	b := &shopBox{ListingID: li.ID}
	a := auth.FromContext(r.Context())
	if a == nil || li.Live == nil {
		return b, nil
	}
	b.SignedIn = true
	orgs, err := h.Store.OrgsForUser(r.Context(), a.User.ID, shelf.PageReq{})
	if err != nil {
		return nil, err
	}
	want := r.PathValue("org")
	if want == "" {
		want = r.URL.Query().Get("org")
	}
	chosen := -1
	for _, o := range orgs {
		if o.Kind != shelf.OrgCustomer {
			continue
		}
		if o.ID == want || chosen < 0 {
			chosen = len(b.Orgs)
		}
		b.Orgs = append(b.Orgs, o)
	}
	if chosen < 0 {
		return b, nil
	}
	b.Org = &b.Orgs[chosen]
	b.IsAdmin = b.Org.Role == shelf.RoleAdmin
	b.Trial = li.Live.Trial != nil
	for _, sp := range li.Live.Specs {
		b.Free = b.Free || sp.Free
	}
	switch li.Live.Activation {
	case shelf.ActivationTrialThenPaid:
		b.Primary = "trial"
	case shelf.ActivationFreeThenPaid:
		b.Primary = "free"
	default:
		b.Primary = "buy"
	}
	if !b.IsAdmin {
		return b, nil
	}
	if b.Sub, err = h.subscriptionOf(r.Context(), b.Org.ID, li.AppID); err != nil {
		return nil, err
	}
	if b.Sub != nil {
		b.TrialUsed = b.Sub.TrialUsed
		b.InForce = b.Sub.Usable()
		b.Paid = b.Sub.Kind == shelf.SubKindPaid && (b.Sub.Status == shelf.SubActive || b.Sub.Status == shelf.SubOverLimit)
	}
	b.Pending, err = h.pendingOrder(r.Context(), b.Org.ID, li.AppID)
	return b, err
}

// subscriptionOf is the org's subscription to the app, nil if none.
func (h *Handler) subscriptionOf(ctx context.Context, orgID, appID string) (*shelf.Subscription, error) {
	sub, err := h.Commerce.Subscription(ctx, orgID, appID)
	if shelf.ErrorKind(err) == shelf.KindNotFound {
		return nil, nil
	}
	return sub, err
}

// pendingOrder is the id of the org's order for the app that waits for
// payment ("" if none): only one may wait at a time.
func (h *Handler) pendingOrder(ctx context.Context, orgID, appID string) (string, error) {
	orders, err := h.Commerce.Orders(ctx, shelf.OrderQuery{OrgID: orgID, State: shelf.OrderCreated})
	if err != nil {
		return "", err
	}
	for _, o := range orders {
		if o.AppID == appID {
			return o.ID, nil
		}
	}
	return "", nil
}

// shopAction runs one of the org admin's (or, for asking, a member's)
// one-click actions on a listing and goes back to the listing.
func (h *Handler) shopAction(minRole shelf.Role, flash string, act func(ctx context.Context, orgID, listingID, userID string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		acc, err := h.RequireOrg(r, minRole) // refuses changes by non-members, platform admins too
		if err != nil {
			if shelf.ErrorKind(err) == shelf.KindForbidden {
				h.showListing(w, r, err)
				return
			}
			h.fail(w, r, err)
			return
		}
		listing := r.PathValue("listing")
		if err := act(r.Context(), acc.Org.ID, listing, acc.User.ID); err != nil {
			h.showListing(w, r, err)
			return
		}
		http.Redirect(w, r, "/listings/"+url.PathEscape(listing)+"?org="+url.QueryEscape(acc.Org.ID)+"&flash="+flash, http.StatusSeeOther)
	}
}

func (h *Handler) postTrial(w http.ResponseWriter, r *http.Request) {
	h.shopAction(shelf.RoleAdmin, "shop.trial_started", func(ctx context.Context, org, listing, user string) error {
		_, err := h.Commerce.StartTrial(ctx, org, listing, user)
		return err
	})(w, r)
}

func (h *Handler) postFree(w http.ResponseWriter, r *http.Request) {
	h.shopAction(shelf.RoleAdmin, "shop.free_installed", func(ctx context.Context, org, listing, user string) error {
		_, err := h.Commerce.InstallFree(ctx, org, listing, user)
		return err
	})(w, r)
}

func (h *Handler) postAskSeat(w http.ResponseWriter, r *http.Request) {
	h.shopAction(shelf.RoleMember, "shop.asked", h.Commerce.RequestSeat)(w, r)
}
