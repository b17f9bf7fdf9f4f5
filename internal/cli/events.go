package cli

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shelfhq/shelf/internal/events"
	"github.com/shelfhq/shelf/internal/secret"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

// eventFlags configure webhook delivery in `shelf serve`.
type eventFlags struct {
	allowPrivate bool
	secretKey    string
	orderCap     time.Duration
	workers      int
	dispatch     bool
	logDays      int
}

func (m *Main) addEventFlags(fs *flag.FlagSet) *eventFlags {
	f := &eventFlags{}
	fs.BoolVar(&f.allowPrivate, "allow-private-webhooks", m.envBool("ALLOW_PRIVATE_WEBHOOKS"),
		"let webhooks reach private and loopback addresses, and plain http on loopback: for development only (SHELF_ALLOW_PRIVATE_WEBHOOKS)")
	fs.StringVar(&f.secretKey, "secret-key", m.env("SECRET_KEY", ""),
		"key sealing webhook secrets: 64 hex digits; default: the file secret.key in the data folder, created on first start. Several nodes on one PostgreSQL must share it (SHELF_SECRET_KEY)")
	fs.DurationVar(&f.orderCap, "event-order-cap", m.envDuration("EVENT_ORDER_CAP", time.Hour),
		"how long a failing event may hold back the later events of its app and org before it is parked (SHELF_EVENT_ORDER_CAP)")
	fs.IntVar(&f.workers, "event-workers", 16, "webhook deliveries in flight at once on this node")
	fs.BoolVar(&f.dispatch, "dispatch", true, "run the webhook dispatcher on this node")
	fs.IntVar(&f.logDays, "delivery-log-days", m.envInt("DELIVERY_LOG_DAYS", 30),
		"days the delivery log of an event is kept once it is settled (at least 14; 0 keeps it forever); the events themselves stay (SHELF_DELIVERY_LOG_DAYS)")
	return f
}

// check reports flag values out of range.
func (f *eventFlags) check() error {
	switch {
	case f.orderCap <= 0:
		return fmt.Errorf("--event-order-cap: %v: give a positive duration, such as 1h", f.orderCap)
	case f.workers <= 0:
		return fmt.Errorf("--event-workers: %d: give a positive number", f.workers)
	case f.logDays != 0 && f.logDays < minLogDays:
		return fmt.Errorf("--delivery-log-days: %d is too short: at least %d (the console's delivery health covers 14 days), or 0 to keep the log forever", f.logDays, minLogDays)
	}
	return nil
}

// minLogDays keeps the delivery log as long as the partner console's
// delivery health looks back, and well past an event's three days of
// retries.
const minLogDays = 14

// pruneEvery is how often startPruner looks for log to delete.
const pruneEvery = time.Hour

// startPruner deletes the delivery log of events settled more than logDays
// ago, at start and then hourly, a thousand deliveries per app at a time;
// the returned func waits for it to stop after ctx ends.
func (m *Main) startPruner(ctx context.Context, st *store.Store, f *eventFlags, log *slog.Logger) func() {
	if f.logDays == 0 {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(pruneEvery)
		defer tick.Stop()
		for {
			total := 0
			for ctx.Err() == nil {
				n, err := st.PruneDeliveries(ctx, m.Clock.Now().AddDate(0, 0, -f.logDays), 1000)
				if err != nil {
					log.Error("prune the delivery log", "err", fmt.Sprint(err))
					break
				}
				if total += n; n == 0 {
					break
				}
			}
			if total > 0 {
				log.Info("pruned the delivery log", "deliveries", total, "older_than_days", f.logDays)
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() { <-done }
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
// ready is the dispatcher's readiness check for /readyz: always nil on a
// node started with --dispatch=false.
func (m *Main) startDispatcher(ctx context.Context, st *store.Store, f *eventFlags, data string, log *slog.Logger, reg prometheus.Registerer) (d *events.Dispatcher, ready func() error, wait func()) {
	events.RegisterLag(reg, st, m.Clock)
	owner, release := nodeName(data)
	d = events.New(st, events.Options{Clock: m.Clock, Guard: f.guard(), OrderCap: f.orderCap, Workers: f.workers,
		Owner: owner, Logger: log.With("component", "webhooks"), Metrics: events.NewMetrics(reg)})
	if !f.dispatch {
		release()
		return d, func() error { return nil }, func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer release()
		if err := d.Run(ctx); err != nil {
			log.Error("webhook dispatcher stopped", "err", fmt.Sprint(err))
		}
	}()
	return d, d.Ready, func() { <-done }
}

// nodeName names this node in delivery leases: the host and the data
// folder, for whoever reads the database, and an id. Two processes running
// at once must never share a name: each frees its name's leases at start,
// and would free the other's, still in delivery. So the id is the data
// folder's (node-id, made at first start), kept across restarts so a
// restarted node takes back its leases at once, only while this process
// holds the folder's lock (node.lock); a second process on the same folder
// (containers of one image sharing a volume, say) gets an id of its own,
// drawn at start, and never takes back anything. release drops the lock.
func nodeName(data string) (name string, release func()) {
	host, _ := os.Hostname()
	if abs, err := filepath.Abs(data); err == nil {
		data = abs
	}
	prefix := host + ":" + data + ":"
	unlock, err := lockFile(filepath.Join(data, "node.lock"))
	if err != nil {
		return prefix + shelf.NewID("run"), func() {}
	}
	id, err := folderID(filepath.Join(data, "node-id"))
	if err != nil {
		unlock()
		return prefix + shelf.NewID("run"), func() {}
	}
	return prefix + id, unlock
}

// folderID reads the id in path, writing a new one there first if there
// is none.
func folderID(path string) (string, error) {
	b, err := os.ReadFile(path)
	if id := strings.TrimSpace(string(b)); err == nil && id != "" {
		return id, nil
	}
	id := shelf.NewID("node")
	if err := os.WriteFile(path, []byte(id+"\n"), 0o600); err != nil {
		return "", err
	}
	return id, nil
}
