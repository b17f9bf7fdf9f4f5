package events

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/sdk"
)

func TestScheduleDelay(t *testing.T) {
	s := DefaultSchedule
	for _, tc := range []struct {
		n    int
		r    float64
		want time.Duration
	}{
		{1, 0.5, 10 * time.Second},
		{2, 0.5, 20 * time.Second},
		{4, 0.5, 80 * time.Second},
		{11, 0.5, 10240 * time.Second},
		{12, 0.5, 4 * time.Hour},
		{500, 0.5, 4 * time.Hour},
		{1, 0, 8 * time.Second},
		{12, 0.999999, 4*time.Hour + 48*time.Minute - 0},
	} {
		if got := s.Delay(tc.n, tc.r); got.Round(time.Second) != tc.want {
			t.Errorf("Delay(%d, %v) = %v, want %v", tc.n, tc.r, got, tc.want)
		}
	}
	table := s.Table(shelf.DeliveryWindow)
	if !strings.Contains(table, "| 2 | 10s | 10s |") || !strings.Contains(table, "| 13 | 4h |") {
		t.Fatalf("table:\n%s", table)
	}
}

func TestForbidden(t *testing.T) {
	for _, tc := range []struct {
		addr string
		want bool
	}{
		{"127.0.0.1", true}, {"::1", true}, {"10.1.2.3", true}, {"172.16.0.1", true}, {"192.168.1.1", true},
		{"169.254.169.254", true}, {"fe80::1", true}, {"fd00:ec2::254", true}, {"100.100.100.200", true},
		{"0.0.0.0", true}, {"::", true}, {"224.0.0.1", true}, {"::ffff:127.0.0.1", true}, {"::ffff:10.0.0.1", true},
		{"168.63.129.16", true}, {"198.18.0.1", true},
		{"64:ff9b::a9fe:a9fe", true}, {"2002:a9fe:a9fe::1", true}, {"2001:0:4136:e378::1", true},
		{"93.184.216.34", false}, {"2606:2800:220:1::", false}, {"8.8.8.8", false},
	} {
		if got := Forbidden(netip.MustParseAddr(tc.addr)); got != tc.want {
			t.Errorf("Forbidden(%s) = %v, want %v", tc.addr, got, tc.want)
		}
	}
}

type fakeResolver map[string][]string

func (f fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	var out []netip.Addr
	for _, a := range f[host] {
		out = append(out, netip.MustParseAddr(a))
	}
	if len(out) == 0 {
		return nil, errors.New("no such host")
	}
	return out, nil
}

func TestGuardCheckURL(t *testing.T) {
	res := fakeResolver{
		"hooks.example.com":    {"93.184.216.34"},
		"mapped.example.com":   {"::ffff:93.184.216.34"},
		"mapped10.example.com": {"::ffff:10.0.0.1"},
		"sneaky.example.com":   {"93.184.216.34", "10.0.0.7"},
		"metadata.evil.cn":     {"169.254.169.254"},
		"localhost":            {"127.0.0.1"},
	}
	strict, dev := &Guard{Resolver: res}, &Guard{AllowPrivate: true, Resolver: res}
	for _, tc := range []struct {
		g    *Guard
		url  string
		code string
	}{
		{strict, "https://hooks.example.com/shelf", ""},
		{strict, "https://mapped.example.com/shelf", ""},
		{strict, "https://mapped10.example.com/shelf", "webhook_url_private"},
		{strict, "http://hooks.example.com/shelf", "webhook_url_insecure"},
		{strict, "https://sneaky.example.com/", "webhook_url_private"},
		{strict, "https://metadata.evil.cn/latest", "webhook_url_private"},
		{strict, "https://vendor.invalid/hook", "webhook_url_unresolvable"},
		{strict, "https://127.0.0.1:8080/", "webhook_url_private"},
		{strict, "https://[::1]/", "webhook_url_private"},
		{strict, "https://nowhere.example/", "webhook_url_unresolvable"},
		{strict, "http://127.0.0.1:8080/", "webhook_url_insecure"},
		{dev, "http://127.0.0.1:8080/", ""},
		{dev, "http://localhost:8080/", ""},
		{dev, "https://10.0.0.7/", ""},
		{dev, "http://10.0.0.7/", "webhook_url_insecure"},
		{dev, "http://hooks.example.com/", "webhook_url_insecure"},
	} {
		err := tc.g.CheckURL(context.Background(), "webhook_url", tc.url)
		if tc.code == "" {
			if err != nil {
				t.Errorf("%s (private %v): %v", tc.url, tc.g.AllowPrivate, err)
			}
			continue
		}
		if e, ok := shelf.AsError(err); !ok || e.Code != tc.code {
			t.Errorf("%s (private %v): got %v, want %s", tc.url, tc.g.AllowPrivate, err, tc.code)
		}
	}
}

func TestDecide(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	d := New(nil, Options{Rand: func() float64 { return 0.5 }})
	earlier := func(ago time.Duration) *time.Time { t := now.Add(-ago); return &t }
	fail := shelf.DeliveryAttempt{AttemptedAt: now, StatusCode: 500}
	ok := shelf.DeliveryAttempt{AttemptedAt: now, StatusCode: 200, OK: true}
	window := now.Add(shelf.DeliveryWindow)
	for _, tc := range []struct {
		name      string
		job       shelf.DeliveryJob
		att       shelf.DeliveryAttempt
		state     shelf.DeliveryState
		nextAfter time.Duration
	}{
		{"success", shelf.DeliveryJob{State: shelf.DeliveryPending, GiveUpAt: window}, ok, shelf.DeliveryDelivered, 0},
		{"parked success", shelf.DeliveryJob{State: shelf.DeliveryParked, GiveUpAt: window}, ok, shelf.DeliveryDelivered, 0},
		{"first failure waits", shelf.DeliveryJob{State: shelf.DeliveryPending, GiveUpAt: window}, fail, shelf.DeliveryPending, 10 * time.Second},
		{"fifth failure", shelf.DeliveryJob{State: shelf.DeliveryPending, Attempts: 4, FirstAttemptAt: earlier(5 * time.Minute), GiveUpAt: window},
			fail, shelf.DeliveryPending, 160 * time.Second},
		{"would hold the stream past the cap: parked", shelf.DeliveryJob{State: shelf.DeliveryPending, Attempts: 8, FirstAttemptAt: earlier(50 * time.Minute), GiveUpAt: window},
			fail, shelf.DeliveryParked, 2560 * time.Second},
		{"parked stays parked", shelf.DeliveryJob{State: shelf.DeliveryParked, Attempts: 20, FirstAttemptAt: earlier(30 * time.Hour), GiveUpAt: window},
			fail, shelf.DeliveryParked, 4 * time.Hour},
		{"past the window: failed", shelf.DeliveryJob{State: shelf.DeliveryParked, Attempts: 30, FirstAttemptAt: earlier(70 * time.Hour), GiveUpAt: now.Add(time.Hour)},
			fail, shelf.DeliveryFailed, 4 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := d.decide(tc.job, tc.att)
			if out.State != tc.state || out.NextAttemptAt.Sub(now) != tc.nextAfter {
				t.Fatalf("decide = %s in %v, want %s in %v", out.State, out.NextAttemptAt.Sub(now), tc.state, tc.nextAfter)
			}
		})
	}
}

func TestEventTypesMatchSDK(t *testing.T) {
	if got, want := strings.Join(shelf.EventTypes, ","), strings.Join(sdk.EventTypes, ","); got != want {
		t.Fatalf("domain event types %s, SDK %s", got, want)
	}
	if got, want := strings.Join(shelf.CoolEventTypes, ","), strings.Join(sdk.CoolEventTypes, ","); got != want {
		t.Fatalf("domain cool-app event types %s, SDK %s", got, want)
	}
}
