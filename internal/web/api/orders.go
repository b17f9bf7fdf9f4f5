package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

// orderView is an order as the API shows it: with its computation written
// out line by line.
type orderView struct {
	*shelf.Order
	Summary []string `json:"summary"`
}

func viewOrder(o *shelf.Order) orderView {
	return orderView{Order: o, Summary: shelf.DescribeQuote(&o.Computation, shelf.LangEn)}
}

type quoteView struct {
	*shelf.Quote
	Summary []string `json:"summary"`
}

func (h *Handler) orderRequest(w http.ResponseWriter, r *http.Request, acc access.Org) (shelf.OrderRequest, error) {
	var req shelf.OrderRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return req, err
	}
	if req.ListingID == "" {
		return req, shelf.FieldError("listing_id", "required", "listing_id is required")
	}
	req.OrgID, req.ByUserID = acc.Org.ID, acc.User.ID
	return req, nil
}

// quote prices an order without placing it, for the preview shown before
// the customer confirms.
func (h *Handler) quote(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	req, err := h.orderRequest(w, r, acc)
	if err != nil {
		return err
	}
	q, err := h.Commerce.Quote(r.Context(), req)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, quoteView{Quote: q, Summary: shelf.DescribeQuote(q, shelf.LangEn)})
	return nil
}

// maxIdempotencyKey bounds the Idempotency-Key header.
const maxIdempotencyKey = 255

// createOrder places an order. It needs an Idempotency-Key: a retry with
// the same key and body gets the first answer again (same status, same
// body), the same key with another body is refused.
func (h *Handler) createOrder(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	key := strings.TrimSpace(r.Header.Get("Idempotency-Key"))
	if key == "" || len(key) > maxIdempotencyKey {
		return &shelf.Error{Kind: shelf.KindBadRequest, Code: "idempotency_key_required", Field: "Idempotency-Key",
			Message: "send an Idempotency-Key header (1 to 255 characters, e.g. a UUID) so a retried order is never placed twice"}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<16))
	if err != nil {
		return &shelf.Error{Kind: shelf.KindBadRequest, Code: "body_too_large", Message: "the order request is too large"}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	req, err := h.orderRequest(w, r, acc)
	if err != nil {
		return err
	}
	canonical, err := json.Marshal(req)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(canonical)
	placed, err := h.Commerce.CreateOrder(r.Context(), req, shelf.Idempotency{Key: key, Hash: hex.EncodeToString(sum[:])},
		func(o *shelf.Order) (shelf.Answer, error) {
			b, err := json.Marshal(viewOrder(o))
			return shelf.Answer{Status: http.StatusCreated, Body: append(b, '\n')}, err
		})
	if err != nil {
		return err
	}
	if placed.Replay {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(placed.Answer.Status)
	_, _ = w.Write(placed.Answer.Body)
	return nil
}

func (h *Handler) listOrgOrders(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	return h.pageOrders(w, r, shelf.OrderQuery{OrgID: acc.Org.ID}, nil)
}

// ordersPager pages orders newest first; the state filter is part of the
// cursor's scope.
var ordersPager = pager[orderView]{tag: "orders", shape: "is", key: func(o orderView) []any { return []any{o.CreatedAt.UnixMicro(), o.ID} }}

// pageOrders answers one page of the orders q selects, narrowed by ?state=;
// csv, when not nil, serves the page in another format.
func (h *Handler) pageOrders(w http.ResponseWriter, r *http.Request, q shelf.OrderQuery, csv func([]shelf.Order) error) error {
	q.State = shelf.OrderState(r.URL.Query().Get("state"))
	scope := []string{q.OrgID, q.AppID, string(q.State)}
	page, limit, err := ordersPager.request(r, scope...)
	if err != nil {
		return err
	}
	q.PageReq = page
	orders, err := h.Commerce.Orders(r.Context(), q)
	if err != nil {
		return err
	}
	if csv != nil {
		return csv(orders[:min(len(orders), limit)])
	}
	views := make([]orderView, len(orders))
	for i := range orders {
		views[i] = viewOrder(&orders[i])
	}
	return ordersPager.write(w, r, views, limit, nil, scope...)
}

func (h *Handler) getOrder(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrder(r)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, viewOrder(acc.Order))
	return nil
}

type payRequest struct {
	Provider string `json:"provider"`
}

type checkout struct {
	OrderID     string `json:"order_id"`
	Provider    string `json:"provider"`
	CheckoutURL string `json:"checkout_url,omitempty"`
}

// payOrder starts paying an order with a provider (the default one
// unless named): where to send the customer.
func (h *Handler) payOrder(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireCustomerOrder(r)
	if err != nil {
		return err
	}
	var req payRequest
	if r.ContentLength != 0 {
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			return err
		}
	}
	if req.Provider == "" {
		req.Provider = h.Payments.Default
	}
	p, ok := h.Payments.Get(req.Provider)
	if !ok {
		return shelf.FieldError("provider", "provider_unknown", "there is no payment provider %q", req.Provider)
	}
	if acc.Order.State != shelf.OrderCreated {
		return shelf.Errorf(shelf.KindConflict, "order_not_open", "the order is %s: only an order waiting for payment can be paid", acc.Order.State)
	}
	u, err := p.Checkout(r.Context(), acc.Order)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, checkout{OrderID: acc.Order.ID, Provider: p.Name(), CheckoutURL: u})
	return nil
}

func (h *Handler) cancelOrder(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireCustomerOrder(r)
	if err != nil {
		return err
	}
	var req reasonRequest
	if r.ContentLength != 0 {
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			return err
		}
	}
	o, err := h.Commerce.CancelOrder(r.Context(), acc.Order.ID, acc.User.ID, req.Reason)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, viewOrder(o))
	return nil
}

// paymentCallback takes a provider's signed notification. Only what
// verifies counts; the same notification twice changes nothing.
func (h *Handler) paymentCallback(w http.ResponseWriter, r *http.Request) error {
	p, ok := h.Payments.Get(r.PathValue("provider"))
	if !ok {
		return shelf.NotFound("payment provider")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<16))
	if err != nil {
		return &shelf.Error{Kind: shelf.KindBadRequest, Code: "body_too_large", Message: "the notification is too large"}
	}
	res, err := p.Verify(body, r.Header)
	if err != nil {
		return err
	}
	o, err := h.Commerce.RecordPayment(r.Context(), res, "")
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"order_id": o.ID, "state": string(o.State)})
	return nil
}
