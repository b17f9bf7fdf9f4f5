package service

import (
	"context"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// RecordManualPayment records, for a platform admin, that an order's bank
// transfer arrived: the payment is the order's own amount, by the manual
// provider, with the transfer's reference. The API and the platform's
// order page both call it.
func (s *Services) RecordManualPayment(ctx context.Context, orderID, reference, byUserID string) (*shelf.Order, error) {
	reference, err := shelf.CleanName("reference", reference, 200)
	if err != nil {
		if e, ok := shelf.AsError(err); ok && e.Code == "required" {
			e.Message = "the bank transfer's reference is required"
		}
		return nil, err
	}
	o, err := s.Commerce.Order(ctx, orderID)
	if err != nil {
		return nil, err
	}
	o, err = s.Commerce.RecordPayment(ctx, shelf.PaymentResult{OrderID: o.ID, Provider: "manual", Ref: reference,
		Amount: o.Amount, Currency: o.Currency, Paid: true}, byUserID)
	if err != nil {
		return nil, err
	}
	return o, nil
}

// RefundOrder returns a paid order's money, with a reason, through the
// provider that took it, then records the refund. The API and the
// platform's order page both call it.
func (s *Services) RefundOrder(ctx context.Context, orderID, reason, byUserID string) (*shelf.Order, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, shelf.FieldError("reason", "required", "a refund needs a reason")
	}
	o, err := s.Commerce.Order(ctx, orderID)
	if err != nil {
		return nil, err
	}
	if o.State != shelf.OrderPaid && o.State != shelf.OrderFulfilled {
		return nil, shelf.Errorf(shelf.KindConflict, "order_not_refundable", "the order is %s: only a paid order can be refunded", o.State)
	}
	if p, ok := s.Payments.Get(o.Provider); ok {
		if err := p.Refund(ctx, o, reason); err != nil {
			return nil, err
		}
	}
	o, err = s.Commerce.Refund(ctx, o.ID, byUserID, reason)
	if err != nil {
		return nil, err
	}
	return o, nil
}

// OrderStates lists the order states a list may be filtered by.
var OrderStates = []shelf.OrderState{shelf.OrderCreated, shelf.OrderPaid, shelf.OrderFulfilled, shelf.OrderCancelled, shelf.OrderRefunded}

// OrderState reads an order-list state filter ("" for all).
func OrderState(v string) (shelf.OrderState, error) {
	for _, st := range OrderStates {
		if string(st) == v {
			return st, nil
		}
	}
	if v == "" {
		return "", nil
	}
	return "", shelf.FieldError("state", "invalid_state", "state must be created, paid, fulfilled, cancelled or refunded")
}

// ServeOrdersCSV answers an app's orders as a CSV download, a header row
// first: the partner's export, served by the API and the sales page alike.
func ServeOrdersCSV(w http.ResponseWriter, appID string, orders []shelf.Order) error {
	c := NewOrdersCSV(w, appID)
	c.Write(orders)
	return c.Close()
}

// OrdersCSV writes an app's orders as a CSV download a batch at a time, so
// an export of every order never holds them all.
type OrdersCSV struct{ cw *csv.Writer }

// NewOrdersCSV starts the download: its headers and the header row.
func NewOrdersCSV(w http.ResponseWriter, appID string) *OrdersCSV {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="orders-`+appID+`.csv"`)
	c := &OrdersCSV{cw: csv.NewWriter(w)}
	_ = c.cw.Write([]string{"order_id", "org_id", "type", "spec_code", "users", "periods", "state", "amount", "currency", "test", "created_at", "paid_at"})
	return c
}

// Write adds a batch of orders (a write error shows at Close).
func (c *OrdersCSV) Write(orders []shelf.Order) {
	for _, o := range orders {
		paid := ""
		if o.PaidAt != nil {
			paid = o.PaidAt.Format(time.RFC3339)
		}
		_ = c.cw.Write([]string{o.ID, o.OrgID, string(o.Type), o.SpecCode, strconv.Itoa(o.Users), strconv.Itoa(o.Periods), string(o.State),
			shelf.DecimalAmount(o.Amount, o.Currency), o.Currency, strconv.FormatBool(o.Test), o.CreatedAt.Format(time.RFC3339), paid})
	}
}

// Close flushes the download and reports the first write error.
func (c *OrdersCSV) Close() error {
	c.cw.Flush()
	return c.cw.Error()
}
