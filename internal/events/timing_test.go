package events_test

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/shelfhq/shelf/internal/events"
	"github.com/shelfhq/shelf/internal/shelf"
)

// timedStore counts and times the dispatcher's transactions for the
// benchmark's log. Only outcomes that were written count as recorded.
type timedStore struct {
	events.Store
	claim, record   atomic.Int64 // time spent
	claims, records atomic.Int64 // transactions that claimed, that recorded
	recorded        atomic.Int64
	onRecord        func(total int64)
}

func (t *timedStore) ClaimDeliveries(ctx context.Context, c shelf.DeliveryClaim) ([]shelf.DeliveryJob, error) {
	s := time.Now()
	t.claims.Add(1)
	defer func() { t.claim.Add(int64(time.Since(s))) }()
	return t.Store.ClaimDeliveries(ctx, c)
}

func (t *timedStore) RecordDeliveries(ctx context.Context, o []shelf.DeliveryOutcome) error {
	s := time.Now()
	t.records.Add(1)
	err := t.Store.RecordDeliveries(ctx, o)
	t.record.Add(int64(time.Since(s)))
	t.done(o, err)
	return err
}

// RecordAndClaim is one transaction; its time is logged as recording when
// it records, as claiming otherwise.
func (t *timedStore) RecordAndClaim(ctx context.Context, o []shelf.DeliveryOutcome, c shelf.DeliveryClaim) ([]shelf.DeliveryJob, error) {
	s := time.Now()
	jobs, err := t.Store.RecordAndClaim(ctx, o, c)
	spent := int64(time.Since(s))
	if c.Limit > 0 {
		t.claims.Add(1)
	}
	if len(o) > 0 {
		t.records.Add(1)
		t.record.Add(spent)
	} else {
		t.claim.Add(spent)
	}
	t.done(o, err)
	return jobs, err
}

func (t *timedStore) done(o []shelf.DeliveryOutcome, err error) {
	if err != nil || len(o) == 0 {
		return
	}
	if n := t.recorded.Add(int64(len(o))); t.onRecord != nil {
		t.onRecord(n)
	}
}
