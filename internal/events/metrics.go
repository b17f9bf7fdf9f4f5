package events

import (
	"context"
	"math"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shelfhq/shelf/internal/shelf"
)

// Metrics are the dispatcher's Prometheus series, for the platform's
// operators: is delivery keeping up, and how do vendors' endpoints answer.
// No series is labelled by app or org (there is no bound on them); the
// partner console shows each app's own delivery health.
type Metrics struct {
	attempts *prometheus.CounterVec
	latency  prometheus.Histogram
	rounds   prometheus.Histogram
	batches  prometheus.Histogram
	running  prometheus.Gauge
}

// NewMetrics registers the dispatcher's series with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shelf_webhook_attempts_total",
			Help: "Webhook attempts by what came of them: delivered; retry (in its stream's order); parked (to be retried out of order); failed (given up).",
		}, []string{"result"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "shelf_webhook_attempt_duration_seconds", Help: "Time from sending a webhook to its answer (or failure).",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}),
		rounds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "shelf_webhook_round_duration_seconds", Help: "The dispatcher's database transaction: record outcomes and claim the next events.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
		}),
		batches: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "shelf_webhook_batch_size", Help: "Events claimed together for one worker (a stream's next events in order).",
			Buckets: []float64{1, 2, 4, 8, 16, 32},
		}),
		running: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "shelf_dispatcher_running", Help: "1 while this node's webhook dispatcher is delivering; 0 before it started, while its start keeps failing, and after it stopped.",
		}),
	}
	reg.MustRegister(m.attempts, m.latency, m.rounds, m.batches, m.running)
	for _, r := range []string{"delivered", "retry", "parked", "failed"} {
		m.attempts.WithLabelValues(r) // every result shows, at 0, from the start
	}
	return m
}

// RegisterLag registers shelf_webhook_lag_seconds: how long the most overdue
// sendable delivery has waited past its time, 0 when none is overdue, NaN
// when the database cannot be read (not 0: an outage must not look like
// "nothing overdue"). It reads the database at each scrape, so it speaks
// for every node's dispatcher at once; it grows when delivery falls behind
// or stops.
func RegisterLag(reg prometheus.Registerer, st interface {
	NextDeliveryAt(context.Context) (time.Time, bool, error)
}, clock shelf.Clock) {
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "shelf_webhook_lag_seconds", Help: "How long the most overdue sendable webhook delivery has waited past its time (0: none overdue).",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		at, ok, err := st.NextDeliveryAt(ctx)
		if err != nil {
			return math.NaN()
		}
		if !ok {
			return 0
		}
		return max(0, clock.Now().Sub(at).Seconds())
	}))
}

// attempt counts one attempt by its outcome.
func (m *Metrics) attempt(o shelf.DeliveryOutcome) {
	if m == nil || o.Unsent {
		return
	}
	result := "retry"
	switch o.State {
	case shelf.DeliveryDelivered:
		result = "delivered"
	case shelf.DeliveryParked:
		result = "parked"
	case shelf.DeliveryFailed:
		result = "failed"
	}
	m.attempts.WithLabelValues(result).Inc()
	m.latency.Observe(o.Attempt.Latency.Seconds())
}

// round observes one record-and-claim transaction and the batches it gave.
func (m *Metrics) round(took time.Duration, batches [][]shelf.DeliveryJob) {
	if m == nil {
		return
	}
	m.rounds.Observe(took.Seconds())
	for _, b := range batches {
		m.batches.Observe(float64(len(b)))
	}
}

// setRunning sets shelf_dispatcher_running.
func (m *Metrics) setRunning(on bool) {
	if m == nil {
		return
	}
	v := 0.0
	if on {
		v = 1
	}
	m.running.Set(v)
}
