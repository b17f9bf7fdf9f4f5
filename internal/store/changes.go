package store

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Caches of what decides entitlements (licenses, vendor tokens) must never
// answer from before a change, on any node. A transaction that changes
// them touches the orgs concerned (and one that changes the market, the
// keys of shelf.ChangeListing and shelf.ChangeCategories); after it commits, this node's listeners
// hear of it before Update returns, and on PostgreSQL every node's
// listeners hear of it through NOTIFY, which the server sends at commit.

// changeChannel is the PostgreSQL notification channel.
const changeChannel = "shelf_changes"

// changeHub fans committed changes out to this node's listeners.
type changeHub struct {
	mu        sync.RWMutex
	listeners []func(orgIDs []string)
}

// OnChange registers fn to hear, after commit, the orgs whose commerce
// facts a transaction on this node changed.
func (s *Store) OnChange(fn func(orgIDs []string)) {
	s.changes.mu.Lock()
	s.changes.listeners = append(s.changes.listeners, fn)
	s.changes.mu.Unlock()
}

func (h *changeHub) publish(orgIDs []string) {
	if len(orgIDs) == 0 {
		return
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, fn := range h.listeners {
		fn(orgIDs)
	}
}

// touch records that this transaction changed an org's commerce facts.
func (tx *Tx) touch(orgID string) {
	if !slices.Contains(tx.touched, orgID) {
		tx.touched = append(tx.touched, orgID)
	}
}

// notifyTouched tells the other nodes, through the transaction itself so
// nothing is sent for a rollback.
func (tx *Tx) notifyTouched(ctx context.Context) error {
	if tx.s.dialect != postgres {
		return nil
	}
	for _, org := range tx.touched {
		if _, err := tx.Tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, changeChannel, org); err != nil {
			return fmt.Errorf("notify change: %w", err)
		}
	}
	return nil
}

// ListenChanges hears the changes other nodes commit, until ctx ends: fn
// gets each org touched; state is called whenever the connection that
// listens is gained (listening) or lost (with the error), since changes may
// have been missed in between: a cache should then drop everything and keep
// nothing it reads until listening again. On SQLite, which one process
// owns, it reports listening and returns: every change is made here and
// OnChange hears it.
func (s *Store) ListenChanges(ctx context.Context, fn func(orgID string), state func(listening bool, err error)) {
	if s.dialect != postgres {
		state(true, nil)
		return
	}
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := s.listenOnce(ctx, fn, func() { state(true, nil); backoff = 100 * time.Millisecond })
		if ctx.Err() != nil {
			state(false, nil)
			return
		}
		state(false, err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 10*time.Second)
	}
}

func (s *Store) listenOnce(ctx context.Context, fn func(string), listening func()) error {
	conn, err := pgx.Connect(ctx, s.dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+changeChannel); err != nil {
		return err
	}
	listening()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		fn(n.Payload)
	}
}
