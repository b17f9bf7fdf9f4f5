package demo

import (
	"context"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

// seedCommerce gives the customer org something of every kind: an app in
// trial (Skylark Attendance), a paid subscription renewed once with seats
// for the admin and the member (Evergreen CRM), the free spec of Skylark
// Approvals with an upgrade order waiting for payment.
func seedCommerce(ctx context.Context, s *store.Store, w *World) error {
	admin, member := w.Users[CustomerEmail].ID, w.Users[MemberEmail].ID
	org := w.Customer.ID
	listing := func(slug string) (string, error) {
		li, err := s.ListingForApp(ctx, w.Apps[slug].ID)
		if err != nil {
			return "", err
		}
		return li.ID, nil
	}
	attend, err := listing("larkattend")
	if err != nil {
		return err
	}
	if _, err := s.StartTrial(ctx, org, attend, admin); err != nil {
		return err
	}
	crm, err := listing("evercrm")
	if err != nil {
		return err
	}
	for i, req := range []shelf.OrderRequest{
		{Type: shelf.OrderBuy, SpecCode: "crm-month-50", Users: 10, Periods: 3},
		{Type: shelf.OrderRenew, SpecCode: "crm-month-50", Users: 10, Periods: 6},
	} {
		req.OrgID, req.ByUserID, req.ListingID = org, admin, crm
		if err := buy(ctx, s, req, fmt.Sprintf("DEMO-TRANSFER-%d", i+1)); err != nil {
			return err
		}
	}
	if _, err := s.SetSeats(ctx, org, w.Apps["evercrm"].ID, shelf.SeatsChange{UserIDs: []string{admin, member}, ByUserID: admin}); err != nil {
		return err
	}
	flow, err := listing("larkflow")
	if err != nil {
		return err
	}
	if _, err := s.InstallFree(ctx, org, flow, admin); err != nil {
		return err
	}
	_, err = place(ctx, s, shelf.OrderRequest{OrgID: org, ByUserID: admin, ListingID: flow, Type: shelf.OrderBuy, SpecCode: "pro-month-100", Users: 30, Periods: 12})
	return err
}

// place creates an order as the API would, under a key of its own.
func place(ctx context.Context, s *store.Store, req shelf.OrderRequest) (*shelf.Order, error) {
	key := shelf.NewID("demo")
	p, err := s.CreateOrder(ctx, req, shelf.Idempotency{Key: key, Hash: key}, func(*shelf.Order) (shelf.Answer, error) {
		return shelf.Answer{Status: 201, Body: []byte("{}")}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("demo order %s %s: %w", req.Type, req.SpecCode, err)
	}
	return p.Order, nil
}

// buy places an order and records its bank transfer.
func buy(ctx context.Context, s *store.Store, req shelf.OrderRequest, ref string) error {
	o, err := place(ctx, s, req)
	if err != nil {
		return err
	}
	_, err = s.RecordPayment(ctx, shelf.PaymentResult{OrderID: o.ID, Provider: "manual", Ref: ref, Amount: o.Amount, Currency: o.Currency, Paid: true}, "")
	return err
}
