package webtest

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web"
)

// ErrOutage is what a broken method returns: a plain error with no kind,
// as the database driver gives when the database is gone.
var ErrOutage = errors.New("database is unreachable (test outage)")

// Outage is the real store with a switch per method: a broken method
// fails with ErrOutage instead of reading. It covers the reads the access
// checks and handlers branch on; add a method here to break another.
type Outage struct {
	*store.Store
	mu     sync.Mutex
	broken map[string]bool
	logs   bytes.Buffer // the server's log, to show errors were logged
}

// Logged returns what the server has logged so far.
func (o *Outage) Logged() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.logs.String()
}

// Write takes the server's log lines.
func (o *Outage) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.logs.Write(p)
}

// Break makes the named methods fail until Heal.
func (o *Outage) Break(methods ...string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.broken == nil {
		o.broken = map[string]bool{}
	}
	for _, m := range methods {
		o.broken[m] = true
	}
}

// Heal makes every method read again.
func (o *Outage) Heal() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.broken = nil
}

func (o *Outage) fail(method string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.broken[method] {
		return ErrOutage
	}
	return nil
}

// Group reads a group unless broken.
func (o *Outage) Group(ctx context.Context, id string) (*shelf.Group, error) {
	if err := o.fail("Group"); err != nil {
		return nil, err
	}
	return o.Store.Group(ctx, id)
}

// Installation reads an installation unless broken.
func (o *Outage) Installation(ctx context.Context, id string) (*shelf.Installation, error) {
	if err := o.fail("Installation"); err != nil {
		return nil, err
	}
	return o.Store.Installation(ctx, id)
}

// MemberRole reads a membership unless broken.
func (o *Outage) MemberRole(ctx context.Context, orgID, userID string) (shelf.Role, bool, error) {
	if err := o.fail("MemberRole"); err != nil {
		return "", false, err
	}
	return o.Store.MemberRole(ctx, orgID, userID)
}

// IsInstalled reads an installation's existence unless broken.
func (o *Outage) IsInstalled(ctx context.Context, appID, orgID string) (bool, error) {
	if err := o.fail("IsInstalled"); err != nil {
		return false, err
	}
	return o.Store.IsInstalled(ctx, appID, orgID)
}

// NewOutage starts a fixture on SQLite whose server reads through an
// Outage; the fixture's own Store (seeding, tokens) is never broken.
func NewOutage(t *testing.T) (*Fixture, *Outage) {
	t.Helper()
	var o *Outage
	f := NewWith(t, storetest.SQLite, func(c *web.Config) {
		o = &Outage{Store: c.Store.(*store.Store)}
		c.Store = o
		c.Logger = slog.New(slog.NewTextHandler(o, nil))
	})
	return f, o
}
