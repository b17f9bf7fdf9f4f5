package payment

import (
	"net/http"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

func TestSandboxNotificationsVerify(t *testing.T) {
	clock := shelf.NewManualClock(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	p := &Sandbox{Key: []byte("k1"), BaseURL: "https://shelf.example.com/", Clock: clock}
	o := &shelf.Order{ID: "ord_1", Amount: 900, Currency: "CNY"}
	body, header := p.Notify(o, true)
	res, err := p.Verify(body, header)
	if err != nil || !res.Paid || res.OrderID != "ord_1" || res.Amount != 900 || res.Provider != "sandbox" || res.Ref == "" {
		t.Fatalf("verify = %+v, %v", res, err)
	}
	if u, _ := p.Checkout(nil, o); u != "https://shelf.example.com/pay/sandbox/ord_1" {
		t.Errorf("checkout = %s", u)
	}
	other := &Sandbox{Key: []byte("k2"), Clock: clock}
	tampered := append([]byte{}, body...)
	tampered[len(tampered)-2] = 'x'
	tests := []struct {
		name   string
		body   []byte
		header http.Header
		at     time.Duration
	}{
		{"another key", body, func() http.Header { _, h := other.Notify(o, true); return h }(), 0},
		{"a changed body", tampered, header, 0},
		{"no signature", body, http.Header{}, 0},
		{"too old", body, header, 6 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock.Set(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC).Add(tt.at))
			if _, err := p.Verify(tt.body, tt.header); err != ErrSignature {
				t.Fatalf("err = %v, want ErrSignature", err)
			}
		})
	}
}

func TestManualRefusesNotifications(t *testing.T) {
	if _, err := (&Manual{}).Verify([]byte(`{}`), http.Header{}); err != ErrSignature {
		t.Fatalf("err = %v", err)
	}
}
