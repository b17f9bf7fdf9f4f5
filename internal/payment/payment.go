// Package payment is where Shelf meets payment providers. Every provider
// sits behind one interface: it starts a checkout for an order, turns its
// signed notification into a verified result, and returns money. Shelf
// ships two: sandbox (the default: a checkout page clearly marked as a
// sandbox whose result comes back as a signed callback, exactly as a real
// provider's would) and manual (bank transfer: a platform admin records
// the payment). docs/commerce.md says how a real one plugs in.
package payment

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// Provider is a payment provider.
type Provider interface {
	// Name is the provider's name as orders record it.
	Name() string
	// Checkout starts paying an order: where to send the customer.
	Checkout(ctx context.Context, o *shelf.Order) (redirect string, err error)
	// Verify checks a notification's signature and reads what it says.
	// A notification that does not verify is an error and means nothing.
	Verify(body []byte, header http.Header) (shelf.PaymentResult, error)
	// Refund returns an order's money through the provider.
	Refund(ctx context.Context, o *shelf.Order, reason string) error
}

// ErrSignature answers a notification whose signature does not verify.
var ErrSignature = &shelf.Error{Kind: shelf.KindUnauthenticated, Code: "invalid_signature", Message: "the payment notification's signature does not verify"}

// Sandbox is the built-in test provider. Its checkout is a page of Shelf's
// own (/pay/sandbox/{order}), and its notifications are signed with a key
// derived from Shelf's secret key, so only this installation can make one.
type Sandbox struct {
	Key     []byte
	BaseURL string
	Clock   shelf.Clock
}

// SandboxSignature is the header a sandbox notification carries:
// "t=<unix seconds>,v1=<hex HMAC-SHA256 of t.body>", as Stripe signs.
const SandboxSignature = "Shelf-Sandbox-Signature"

// sandboxTolerance is how old a notification may be.
const sandboxTolerance = 5 * time.Minute

// Name is "sandbox".
func (*Sandbox) Name() string { return "sandbox" }

// Checkout sends the customer to the sandbox checkout page.
func (p *Sandbox) Checkout(_ context.Context, o *shelf.Order) (string, error) {
	return strings.TrimRight(p.BaseURL, "/") + "/pay/sandbox/" + url.PathEscape(o.ID), nil
}

// sandboxNotice is a sandbox notification's body.
type sandboxNotice struct {
	OrderID  string `json:"order_id"`
	Ref      string `json:"payment_id"`
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	Paid     bool   `json:"paid"`
}

// Notify makes the signed notification the sandbox sends when the
// customer presses pay or fail on its checkout page.
func (p *Sandbox) Notify(o *shelf.Order, paid bool) (body []byte, header http.Header) {
	body, _ = json.Marshal(sandboxNotice{OrderID: o.ID, Ref: shelf.NewID("sbx"), Amount: o.Amount, Currency: o.Currency, Paid: paid})
	t := strconv.FormatInt(p.Clock.Now().Unix(), 10)
	header = http.Header{}
	header.Set(SandboxSignature, "t="+t+",v1="+p.sign(t, body))
	return body, header
}

func (p *Sandbox) sign(t string, body []byte) string {
	mac := hmac.New(sha256.New, p.Key)
	mac.Write([]byte(t + "."))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// Verify checks a sandbox notification.
func (p *Sandbox) Verify(body []byte, header http.Header) (shelf.PaymentResult, error) {
	var t, v1 string
	for _, part := range strings.Split(header.Get(SandboxSignature), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			t = v
		case "v1":
			v1 = v
		}
	}
	sec, err := strconv.ParseInt(t, 10, 64)
	if err != nil || !hmac.Equal([]byte(v1), []byte(p.sign(t, body))) {
		return shelf.PaymentResult{}, ErrSignature
	}
	if age := p.Clock.Now().Sub(time.Unix(sec, 0)); age > sandboxTolerance || age < -sandboxTolerance {
		return shelf.PaymentResult{}, ErrSignature
	}
	var n sandboxNotice
	if err := json.Unmarshal(body, &n); err != nil {
		return shelf.PaymentResult{}, fmt.Errorf("sandbox notification: %w", err)
	}
	return shelf.PaymentResult{OrderID: n.OrderID, Provider: p.Name(), Ref: n.Ref, Amount: n.Amount, Currency: n.Currency, Paid: n.Paid}, nil
}

// Refund has nothing to return in the sandbox.
func (*Sandbox) Refund(context.Context, *shelf.Order, string) error { return nil }

// Manual is payment by bank transfer: the customer is shown where to
// send the money, and a platform admin records it when it arrives.
type Manual struct {
	// Instructions are shown on the order (bank, account, reference).
	Instructions string
}

// Name is "manual".
func (*Manual) Name() string { return "manual" }

// Checkout has no page of its own: the order's page shows the instructions.
func (*Manual) Checkout(context.Context, *shelf.Order) (string, error) { return "", nil }

// Verify refuses: a manual payment is recorded by a platform admin, never
// by a notification.
func (*Manual) Verify([]byte, http.Header) (shelf.PaymentResult, error) {
	return shelf.PaymentResult{}, ErrSignature
}

// Refund is made by the platform's finance team outside Shelf; Shelf
// records it.
func (*Manual) Refund(context.Context, *shelf.Order, string) error { return nil }

// Providers are the configured providers by name; the default one takes
// new checkouts.
type Providers struct {
	Default string
	byName  map[string]Provider
}

// NewProviders registers providers; the first is the default.
func NewProviders(ps ...Provider) *Providers {
	out := &Providers{byName: map[string]Provider{}}
	for i, p := range ps {
		if i == 0 {
			out.Default = p.Name()
		}
		out.byName[p.Name()] = p
	}
	return out
}

// Get returns a provider by name.
func (ps *Providers) Get(name string) (Provider, bool) {
	p, ok := ps.byName[name]
	return p, ok
}
