package events

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// Store is what the dispatcher needs from storage; *store.Store is one.
type Store interface {
	ClaimDeliveries(ctx context.Context, c shelf.DeliveryClaim) ([]shelf.DeliveryJob, error)
	RecordDeliveries(ctx context.Context, outs []shelf.DeliveryOutcome) error
	RecordAndClaim(ctx context.Context, outs []shelf.DeliveryOutcome, c shelf.DeliveryClaim) ([]shelf.DeliveryJob, error)
	NextDeliveryAt(ctx context.Context) (time.Time, bool, error)
	ReleaseLeases(ctx context.Context, owner string) (int, error)
}

// Options configure a Dispatcher. Zero values take the defaults.
type Options struct {
	Clock shelf.Clock // "now" for signatures, retries and leases
	Guard Guard
	// ConnectTimeout (3 s) bounds dialing and the TLS handshake;
	// ResponseTimeout (10 s) the wait for the answer once connected.
	ConnectTimeout  time.Duration
	ResponseTimeout time.Duration
	// OrderCap (1 h) is how long an event that keeps failing may hold up
	// the later events of its (app, org) before it is parked.
	OrderCap time.Duration
	Schedule Schedule
	// Workers (16) bounds deliveries in flight; PerApp (4) bounds them per
	// app, so a slow or dead endpoint holds at most PerApp workers.
	Workers int
	PerApp  int
	// Batch (16) is how many consecutive events of one (app, org) stream a
	// worker may take at once: it sends them one after the other, each
	// once the one before was accepted, with no database round in between,
	// and stops at the first failure. Order holds as before; a crash before
	// the batch is recorded sends its events again, in order (at least
	// once). 1 sends each event on its own.
	Batch int
	// Lease is how long claimed deliveries are this node's (default: an
	// attempt's timeouts, the margin, and a minute for a batch); if the node
	// dies, another takes over after it. LeaseMargin (30 s) is kept between
	// the latest possible end of an attempt and the end of its lease: time
	// to record the outcome, and slack for clocks that differ between nodes.
	// No attempt starts that could end inside the margin.
	Lease       time.Duration
	LeaseMargin time.Duration
	// PollInterval (1 s) is how often Run looks for due events when idle.
	PollInterval time.Duration
	// GroupCommit (2 ms) is how long Run waits, after a delivery finishes,
	// for the others in flight before recording: their outcomes then share
	// one transaction (one fsync on SQLite). It only delays recording: the
	// delivery has happened, and a crash meanwhile means a redelivery.
	GroupCommit time.Duration
	// Owner names this node in leases (default: a random id). It must be
	// unique among the running nodes: Run frees the leases held under it
	// at start. A name kept across restarts (and never shared) lets a
	// restarted node take back its leases at once.
	Owner string
	// Rand draws the jitter, in [0, 1) (default math/rand); calls to it
	// are serialized.
	Rand func() float64
	// StartSchedule spaces Run's tries to start (take back the node's
	// leases) while the database refuses (default: 1 s doubling to 1 min).
	StartSchedule Schedule
	// After waits for a duration (default time.After); tests pass a channel
	// they fire themselves.
	After   func(time.Duration) <-chan time.Time
	Logger  *slog.Logger
	Metrics *Metrics // nil: none
}

// startSchedule is the default Options.StartSchedule.
var startSchedule = Schedule{Base: time.Second, Factor: 2, Max: time.Minute, Jitter: 0.2}

// Limits on what is read from and kept of a vendor's answer.
const (
	maxResponseRead = 64 << 10
	maxResponseKept = 1 << 10
)

// Dispatcher delivers claimed events to vendors' endpoints.
type Dispatcher struct {
	store  Store
	opt    Options
	client *http.Client
	wake   chan struct{}
	// running is set while Run's loop delivers; startErr is why the last
	// try to start failed.
	running  atomic.Bool
	startErr atomic.Pointer[error]
}

// New returns a Dispatcher over st.
func New(st Store, opt Options) *Dispatcher {
	if opt.Clock == nil {
		opt.Clock = shelf.SystemClock{}
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&opt.ConnectTimeout, 3*time.Second)
	def(&opt.ResponseTimeout, 10*time.Second)
	def(&opt.OrderCap, time.Hour)
	def(&opt.LeaseMargin, 30*time.Second)
	def(&opt.Lease, opt.ConnectTimeout+opt.ResponseTimeout+opt.LeaseMargin+time.Minute)
	// A lease too short for one attempt would hand every claim back unsent.
	opt.Lease = max(opt.Lease, opt.ConnectTimeout+opt.ResponseTimeout+opt.LeaseMargin+time.Second)
	def(&opt.PollInterval, time.Second)
	def(&opt.GroupCommit, 2*time.Millisecond)
	if opt.Schedule.Base <= 0 {
		opt.Schedule = DefaultSchedule
	}
	if opt.Workers <= 0 {
		opt.Workers = 16
	}
	if opt.PerApp <= 0 {
		opt.PerApp = 4
	}
	if opt.Batch <= 0 {
		opt.Batch = 16
	}
	if opt.Owner == "" {
		opt.Owner = shelf.NewID("node")
	}
	if opt.Rand == nil {
		opt.Rand = rand.Float64
	} else {
		// Deliveries decide their retries concurrently; a caller's source
		// (a seeded *rand.Rand in tests) need not be safe for that.
		var mu sync.Mutex
		draw := opt.Rand
		opt.Rand = func() float64 {
			mu.Lock()
			defer mu.Unlock()
			return draw()
		}
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.StartSchedule.Base <= 0 {
		opt.StartSchedule = startSchedule
	}
	if opt.After == nil {
		opt.After = time.After
	}
	d := &Dispatcher{store: st, opt: opt, wake: make(chan struct{}, 1)}
	d.client = d.newClient()
	return d
}

// newClient builds the HTTP client: the guard on every dial, no proxy from
// the environment (it would dial for us, past the guard), no redirects (a
// 3xx is a failed attempt: the endpoint must answer itself).
func (d *Dispatcher) newClient() *http.Client {
	g := d.opt.Guard
	dialer := &net.Dialer{Timeout: d.opt.ConnectTimeout, KeepAlive: 30 * time.Second, Control: g.control}
	tr := &http.Transport{
		DialContext:           g.dialContext(dialer),
		TLSHandshakeTimeout:   d.opt.ConnectTimeout,
		ResponseHeaderTimeout: d.opt.ResponseTimeout,
		MaxIdleConnsPerHost:   d.opt.PerApp,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Wake makes a running Run look for work now (e.g. after an emit).
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// RunOnce claims what is due now, delivers it (the batches concurrently)
// and records the outcomes; it returns how many attempts it made. Tests
// drive it with a ManualClock; Run is the long-running form.
func (d *Dispatcher) RunOnce(ctx context.Context) (int, error) {
	began := time.Now()
	jobs, err := d.store.ClaimDeliveries(ctx, d.claim(d.opt.Workers, nil))
	if err != nil || len(jobs) == 0 {
		return 0, err
	}
	batches := batchesOf(jobs)
	d.opt.Metrics.round(time.Since(began), batches)
	done := make([][]shelf.DeliveryOutcome, len(batches))
	var wg sync.WaitGroup
	for i, b := range batches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			done[i] = d.deliverBatch(ctx, b)
		}()
	}
	wg.Wait()
	outs := slices.Concat(done...)
	if err := d.store.RecordDeliveries(context.WithoutCancel(ctx), outs); err != nil {
		return attempts(outs), err
	}
	return attempts(outs), nil
}

// attempts counts the outcomes that are attempts.
func attempts(outs []shelf.DeliveryOutcome) int {
	n := 0
	for _, o := range outs {
		if !o.Unsent {
			n++
		}
	}
	return n
}

func (d *Dispatcher) claim(limit int, busy map[string]int) shelf.DeliveryClaim {
	return shelf.DeliveryClaim{Owner: d.opt.Owner, Now: d.opt.Clock.Now(), Lease: d.opt.Lease, Limit: limit, PerApp: d.opt.PerApp,
		Busy: busy, Batch: d.opt.Batch}
}

// batchesOf groups claimed jobs into what one worker sends: a stream's
// pending events together in seq order (the store claims them with their
// head), every parked event on its own (it is out of its stream's order).
func batchesOf(jobs []shelf.DeliveryJob) [][]shelf.DeliveryJob {
	var out [][]shelf.DeliveryJob
	at := map[[2]string]int{}
	for _, j := range jobs {
		key := [2]string{j.Event.AppID, j.Event.OrgID}
		i, ok := at[key]
		if j.State != shelf.DeliveryPending || !ok {
			if j.State == shelf.DeliveryPending {
				at[key] = len(out)
			}
			out = append(out, []shelf.DeliveryJob{j})
			continue
		}
		out[i] = append(out[i], j)
	}
	for _, b := range out {
		slices.SortFunc(b, func(x, y shelf.DeliveryJob) int { return cmp.Compare(x.Event.Seq, y.Event.Seq) })
	}
	return out
}

// deliverBatch sends a batch's events in order, each only once the one
// before was delivered. It stops at the first failure, at shutdown, or when
// the next attempt could end inside the lease's margin (another node may
// take the stream over once the lease ends); the events not reached are
// handed back unsent.
func (d *Dispatcher) deliverBatch(ctx context.Context, batch []shelf.DeliveryJob) []shelf.DeliveryOutcome {
	outs := make([]shelf.DeliveryOutcome, 0, len(batch))
	for i, j := range batch {
		latest := d.opt.Clock.Now().Add(d.opt.ConnectTimeout + d.opt.ResponseTimeout + d.opt.LeaseMargin)
		stop := ctx.Err() != nil || latest.After(j.LeaseUntil) || (i > 0 && outs[i-1].State != shelf.DeliveryDelivered)
		if stop {
			for _, u := range batch[i:] {
				outs = append(outs, shelf.DeliveryOutcome{AppID: u.Event.AppID, LeaseID: u.LeaseID, Unsent: true,
					Attempt: shelf.DeliveryAttempt{EventID: u.Event.ID, EventType: u.Event.Type}})
			}
			break
		}
		outs = append(outs, d.deliver(ctx, j))
	}
	return outs
}

// Run delivers until ctx ends. Each batch (a stream's next events, or one
// parked event) goes to its own worker; a slow endpoint only holds its
// app's PerApp workers, while the others keep delivering. One loop does all
// the database work: it gathers the batches that finish together (waiting
// at most GroupCommit for stragglers), and in one transaction records them
// and claims work for the workers they free, including the next events of
// each stream that just moved on. Batches still in flight (a slow
// endpoint's) go on meanwhile, and their outcomes join a later round.
//
// A database that refuses at the start delays Run, never stops it: it
// tries again on StartSchedule until ctx ends. Running and Ready tell
// whether the loop is delivering.
func (d *Dispatcher) Run(ctx context.Context) error {
	if !d.start(ctx) {
		return nil
	}
	d.setRunning(true)
	defer d.setRunning(false)
	// Buffered for every worker, so a finished batch never waits on the
	// loop.
	results := make(chan []shelf.DeliveryOutcome, d.opt.Workers)
	busy := map[string]int{} // batches in flight, by app
	inflight := 0
	poll := time.NewTimer(0) // look for work at once
	defer poll.Stop()
	window := time.NewTimer(d.opt.GroupCommit)
	window.Stop()
	done := ctx.Done()
	for {
		var finished [][]shelf.DeliveryOutcome
		look := false
		select {
		case b := <-results:
			finished = d.gather(results, window, [][]shelf.DeliveryOutcome{b}, inflight)
		case <-d.wake:
			look = true
		case <-poll.C:
			look = true
		case <-done:
			done = nil // from now on, only wait for the deliveries in flight
		}
		if look {
			// Record what has finished before claiming again, so a claim
			// never overtakes the outcomes of its own streams.
			finished = drain(results, finished)
		}
		for _, b := range finished {
			inflight--
			if app := b[0].AppID; busy[app] > 1 {
				busy[app]--
			} else {
				delete(busy, app)
			}
		}
		outs := slices.Concat(finished...)
		limit := d.opt.Workers - inflight
		if ctx.Err() != nil || (!look && len(outs) == 0) {
			limit = 0
		}
		if len(outs) > 0 || limit > 0 {
			for _, b := range d.settle(ctx, outs, limit, busy) {
				inflight++
				busy[b[0].Event.AppID]++
				go func() { results <- d.deliverBatch(ctx, b) }()
			}
		}
		if ctx.Err() != nil && inflight == 0 {
			return nil
		}
		if look || len(outs) > 0 {
			poll.Reset(d.opt.PollInterval)
		}
	}
}

// start takes back the leases this node held before a restart, trying
// again with backoff while the database refuses; false means ctx ended
// first.
func (d *Dispatcher) start(ctx context.Context) bool {
	for try := 1; ; try++ {
		n, err := d.store.ReleaseLeases(ctx, d.opt.Owner)
		if err == nil {
			d.startErr.Store(nil)
			if n > 0 {
				d.opt.Logger.Info("took back deliveries leased before a restart", "count", n)
			}
			return true
		}
		err = fmt.Errorf("start: %w", err)
		d.startErr.Store(&err)
		wait := d.opt.StartSchedule.Delay(try, d.opt.Rand())
		d.opt.Logger.Error("webhook dispatcher cannot start; trying again", "err", fmt.Sprint(err), "in", wait)
		select {
		case <-ctx.Done():
			return false
		case <-d.opt.After(wait):
		}
	}
}

// setRunning records whether Run's loop is delivering.
func (d *Dispatcher) setRunning(on bool) {
	d.running.Store(on)
	d.opt.Metrics.setRunning(on)
}

// Running reports whether Run is delivering: false before Run, while its
// start keeps failing, and after it returned.
func (d *Dispatcher) Running() bool { return d.running.Load() }

// Ready is a readiness check (/readyz): nil while Run is delivering, an
// error saying why not otherwise.
func (d *Dispatcher) Ready() error {
	if d.Running() {
		return nil
	}
	if err := d.startErr.Load(); err != nil {
		return fmt.Errorf("webhook dispatcher not running: %w", *err)
	}
	return errors.New("webhook dispatcher not running")
}

// drain adds the batches that have finished, without waiting.
func drain(results <-chan []shelf.DeliveryOutcome, finished [][]shelf.DeliveryOutcome) [][]shelf.DeliveryOutcome {
	for {
		select {
		case b := <-results:
			finished = append(finished, b)
		default:
			return finished
		}
	}
}

// gather collects finished batches until every batch in flight has
// reported or the group-commit window has passed since the first: one
// transaction for a round of deliveries that finish close together, and a
// slow endpoint delays the others' recording by at most the window.
func (d *Dispatcher) gather(results <-chan []shelf.DeliveryOutcome, window *time.Timer, finished [][]shelf.DeliveryOutcome, inflight int) [][]shelf.DeliveryOutcome {
	window.Reset(d.opt.GroupCommit)
	defer window.Stop() // since Go 1.23 a stopped timer never delivers a stale tick
	for len(finished) < inflight {
		select {
		case b := <-results:
			finished = append(finished, b)
		case <-window.C:
			return finished
		}
	}
	return finished
}

// settle records outs and claims up to limit new deliveries in one
// transaction. If that fails, the outcomes are recorded on their own, so a
// claim that keeps failing (say, an app whose secret cannot be opened)
// never stops outcomes from being written; if recording fails too, the
// leases run out and the events go again: at least once.
func (d *Dispatcher) settle(ctx context.Context, outs []shelf.DeliveryOutcome, limit int, busy map[string]int) [][]shelf.DeliveryJob {
	began := time.Now()
	jobs, err := d.store.RecordAndClaim(context.WithoutCancel(ctx), outs, d.claim(limit, busy))
	if err == nil {
		batches := batchesOf(jobs)
		d.opt.Metrics.round(time.Since(began), batches)
		return batches
	}
	d.opt.Logger.Error("record and claim deliveries", "err", err)
	if len(outs) > 0 {
		if err := d.store.RecordDeliveries(context.WithoutCancel(ctx), outs); err != nil {
			d.opt.Logger.Error("record deliveries", "err", err)
		}
	}
	return nil
}
