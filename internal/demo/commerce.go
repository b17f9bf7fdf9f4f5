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
	if _, err = place(ctx, s, shelf.OrderRequest{OrgID: org, ByUserID: admin, ListingID: flow, Type: shelf.OrderBuy, SpecCode: "pro-month-100", Users: 30, Periods: 12}); err != nil {
		return err
	}
	// examples/vendor, run on this machine, signs members in as Evergreen CRM.
	_, err = s.SetAppOIDC(ctx, w.Apps["evercrm"].ID, []string{VendorURL + "/callback"}, VendorURL+"/initiate", w.Users[Partner2Email].ID)
	return err
}

// VendorURL is where examples/vendor listens when it plays a demo app.
const VendorURL = "http://127.0.0.1:9000"

// VendorEnv is what examples/vendor needs to play Evergreen CRM against a
// demo served at issuer, as an environment file.
func (w *World) VendorEnv(issuer string) string {
	app, creds := w.Apps["evercrm"], w.Secrets["evercrm"]
	return "# examples/vendor as Evergreen CRM (demo). Run it with:\n" +
		"#   set -a; . ./demo-vendor.env; set +a; go run ./examples/vendor -addr 127.0.0.1:9000\n" +
		"# then, as member@shelf.test, open the workbench and launch Evergreen CRM.\n" +
		"SHELF_ISSUER=" + issuer + "\nSHELF_CLIENT_ID=" + app.ClientID + "\nSHELF_CLIENT_SECRET=" + creds.ClientSecret +
		"\nSHELF_WEBHOOK_SECRET=" + creds.WebhookSecret + "\n"
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
