package events_test

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/shelfhq/shelf/internal/events"
	"github.com/shelfhq/shelf/internal/shelf"
)

type timedStore struct {
	events.Store
	claim, record   atomic.Int64
	claims, records atomic.Int64
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
	defer func() { t.record.Add(int64(time.Since(s))) }()
	err := t.Store.RecordDeliveries(ctx, o)
	if n := t.recorded.Add(int64(len(o))); t.onRecord != nil {
		t.onRecord(n)
	}
	return err
}
