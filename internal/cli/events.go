package cli

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shelfhq/shelf/internal/events"
	"github.com/shelfhq/shelf/internal/secret"
	"github.com/shelfhq/shelf/internal/store"
)

// eventFlags configure webhook delivery in `shelf serve`.
type eventFlags struct {
	allowPrivate bool
	secretKey    string
	orderCap     time.Duration
	workers      int
	dispatch     bool
}

func (m *Main) addEventFlags(fs *flag.FlagSet) *eventFlags {
	f := &eventFlags{}
	fs.BoolVar(&f.allowPrivate, "allow-private-webhooks", m.envBool("ALLOW_PRIVATE_WEBHOOKS"),
		"let webhooks reach private and loopback addresses, and plain http on loopback: for development only (SHELF_ALLOW_PRIVATE_WEBHOOKS)")
	fs.StringVar(&f.secretKey, "secret-key", m.env("SECRET_KEY", ""),
		"key sealing webhook secrets: 64 hex digits; default: the file secret.key in the data folder, created on first start. Several nodes on one PostgreSQL must share it (SHELF_SECRET_KEY)")
	orderCap := m.env("EVENT_ORDER_CAP", "1h")
	d, err := time.ParseDuration(orderCap)
	if err != nil {
		d = time.Hour
	}
	fs.DurationVar(&f.orderCap, "event-order-cap", d, "how long a failing event may hold back the later events of its app and org before it is parked (SHELF_EVENT_ORDER_CAP)")
	fs.IntVar(&f.workers, "event-workers", 16, "webhook deliveries in flight at once on this node")
	fs.BoolVar(&f.dispatch, "dispatch", true, "run the webhook dispatcher on this node")
	return f
}

// secretBox returns the key that seals webhook secrets: the flag's, or the
// data folder's key file.
func (f *eventFlags) secretBox(data string) (*secret.Box, error) {
	var key []byte
	var err error
	if f.secretKey != "" {
		key, err = secret.ParseKey(f.secretKey)
	} else {
		key, err = secret.LoadOrCreateKey(filepath.Join(data, "secret.key"))
	}
	if err != nil {
		return nil, err
	}
	return secret.NewBox(key)
}

func (f *eventFlags) guard() events.Guard { return events.Guard{AllowPrivate: f.allowPrivate} }

// startDispatcher runs the webhook dispatcher until ctx ends; the returned
// func waits for it to stop (in-flight deliveries finish and are recorded).
func (m *Main) startDispatcher(ctx context.Context, st *store.Store, f *eventFlags, data string, log *slog.Logger, reg prometheus.Registerer) (*events.Dispatcher, func()) {
	events.RegisterLag(reg, st, m.Clock)
	d := events.New(st, events.Options{Clock: m.Clock, Guard: f.guard(), OrderCap: f.orderCap, Workers: f.workers,
		Owner: nodeName(data), Logger: log.With("component", "webhooks"), Metrics: events.NewMetrics(reg)})
	if !f.dispatch {
		return d, func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := d.Run(ctx); err != nil {
			log.Error("webhook dispatcher stopped", "err", fmt.Sprint(err))
		}
	}()
	return d, func() { <-done }
}

// nodeName names this node in delivery leases: the host and the data
// folder, stable across restarts, distinct between nodes.
func nodeName(data string) string {
	host, _ := os.Hostname()
	if abs, err := filepath.Abs(data); err == nil {
		data = abs
	}
	return host + ":" + data
}
