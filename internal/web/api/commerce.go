package api

import (
	"context"
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

func (h *Handler) commerceRoutes() []route {
	return []route{
		{"POST", "/api/v1/orgs/{org}/trials", h.startTrial},
		{"GET", "/api/v1/orgs/{org}/subscriptions", h.listSubscriptions},
		{"POST", "/api/v1/orgs/{org}/subscriptions", h.installFree},
		{"GET", "/api/v1/orgs/{org}/subscriptions/{app}/seats", h.listSeats},
		{"PUT", "/api/v1/orgs/{org}/subscriptions/{app}/seats", h.setSeats},
		{"POST", "/api/v1/orgs/{org}/seat-requests", h.requestSeat},
		{"POST", "/api/v1/orgs/{org}/quotes", h.quote},
		{"GET", "/api/v1/orgs/{org}/orders", h.listOrgOrders},
		{"POST", "/api/v1/orgs/{org}/orders", h.createOrder},
		{"GET", "/api/v1/orders/{order}", h.getOrder},
		{"POST", "/api/v1/orders/{order}/pay", h.payOrder},
		{"POST", "/api/v1/orders/{order}/cancel", h.cancelOrder},
		{"POST", "/api/v1/payments/{provider}/callback", h.paymentCallback},
		{"GET", "/api/v1/platform/orders", h.platformOrders},
		{"POST", "/api/v1/platform/orders/{order}/payments", h.recordManualPayment},
		{"POST", "/api/v1/platform/orders/{order}/refunds", h.refundOrder},
		{"GET", "/api/v1/apps/{app}/orders", h.appOrders},
		{"GET", "/api/v1/apps/{app}/subscriptions", h.appSubscriptions},
		{"POST", "/api/v1/vendor/token", h.vendorToken},
		{"GET", "/api/v1/vendor/entitlements", h.vendorEntitlements},
	}
}

type listingRequest struct {
	ListingID string `json:"listing_id"`
}

func (r listingRequest) check() error {
	if r.ListingID == "" {
		return shelf.FieldError("listing_id", "required", "listing_id is required")
	}
	return nil
}

// startTrial starts a listing's trial for the org (admins only).
func (h *Handler) startTrial(w http.ResponseWriter, r *http.Request) error {
	return h.subscribe(w, r, h.Commerce.StartTrial)
}

// installFree puts the org on the listing's free spec (and installs the
// app). Paid specs are bought with an order.
func (h *Handler) installFree(w http.ResponseWriter, r *http.Request) error {
	return h.subscribe(w, r, h.Commerce.InstallFree)
}

// subscribe runs what an org admin asks of a listing without an order.
func (h *Handler) subscribe(w http.ResponseWriter, r *http.Request,
	act func(ctx context.Context, orgID, listingID, byUserID string) (*shelf.Subscription, error)) error {
	acc, err := h.RequireOrg(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	var req listingRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := req.check(); err != nil {
		return err
	}
	sub, err := act(r.Context(), acc.Org.ID, req.ListingID, acc.User.ID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, sub)
	return nil
}

func (h *Handler) listSubscriptions(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	page, limit, err := subscriptionsPager.request(r)
	if err != nil {
		return err
	}
	subs, err := h.Commerce.Subscriptions(r.Context(), acc.Org.ID, page)
	return subscriptionsPager.write(w, r, subs, limit, err)
}

func (h *Handler) listSeats(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	page, limit, err := seatsPager.request(r)
	if err != nil {
		return err
	}
	seats, err := h.Commerce.Seats(r.Context(), acc.Org.ID, r.PathValue("app"), page)
	return seatsPager.write(w, r, seats, limit, err)
}

// An org's subscriptions page by app, an app's by org, seats in the order
// they were given.
var (
	subscriptionsPager    = pager[shelf.Subscription]{tag: "subscriptions", shape: "s", key: func(s shelf.Subscription) []any { return []any{s.AppID} }}
	appSubscriptionsPager = pager[shelf.Subscription]{tag: "app-subscriptions", shape: "s", key: func(s shelf.Subscription) []any { return []any{s.OrgID} }}
	seatsPager            = pager[shelf.Seat]{tag: "seats", shape: "is", key: func(s shelf.Seat) []any { return []any{s.AssignedAt.UnixMicro(), s.UserID} }}
)

type seatsRequest struct {
	UserIDs    []string `json:"user_ids"`
	AllMembers bool     `json:"all_members"`
}

// setSeats replaces who holds the seats of the org's subscription.
func (h *Handler) setSeats(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	var req seatsRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.AllMembers && len(req.UserIDs) > 0 {
		return shelf.FieldError("user_ids", "seats_ambiguous", "send user_ids or all_members, not both")
	}
	if req.UserIDs == nil && !req.AllMembers {
		return shelf.FieldError("user_ids", "required", "user_ids (possibly empty) or all_members is required")
	}
	sub, err := h.Commerce.SetSeats(r.Context(), acc.Org.ID, r.PathValue("app"),
		shelf.SeatsChange{UserIDs: req.UserIDs, AllMembers: req.AllMembers, ByUserID: acc.User.ID})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, sub)
	return nil
}

// requestSeat is a member's "ask my admin": a notice to the org's admins.
func (h *Handler) requestSeat(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	var req listingRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := req.check(); err != nil {
		return err
	}
	if err := h.Commerce.RequestSeat(r.Context(), acc.Org.ID, req.ListingID, acc.User.ID); err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusAccepted, map[string]bool{"requested": true})
	return nil
}
