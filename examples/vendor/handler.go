package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/shelfhq/shelf/sdk"
)

// maxBody bounds what the handler reads: Shelf's events are small.
const maxBody = 1 << 20

// Handler is a vendor's webhook endpoint built on the SDK: it verifies the
// signature (401 if it does not match), de-duplicates by event id (Shelf
// delivers at least once), and hands each new event to Process once.
type Handler struct {
	// Secrets are the webhook secrets to accept: during a rotation, both.
	Secrets []string
	// Tolerance for the signature's timestamp; 0 is sdk.DefaultTolerance.
	Tolerance time.Duration
	// Now defaults to time.Now.
	Now func() time.Time
	// Process acts on a new event; an error answers 500 so Shelf retries.
	Process func(e *sdk.Event) error

	mu   sync.Mutex
	seen map[string]bool // a real vendor keeps this in its database
	last map[string]int64
}

// ServeHTTP handles one delivery.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	now := time.Now()
	if h.Now != nil {
		now = h.Now()
	}
	if err := sdk.VerifyWebhookAt(h.Secrets, r.Header.Get(sdk.HeaderSignature), body, h.Tolerance, now); err != nil {
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	}
	e, err := sdk.ParseEvent(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := h.handle(e); err != nil {
		http.Error(w, "try again later", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handle processes e unless it was processed before. A production vendor
// records the id in the same database transaction as its effect.
func (h *Handler) handle(e *sdk.Event) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.seen == nil {
		h.seen, h.last = map[string]bool{}, map[string]int64{}
	}
	if h.seen[e.ID] {
		return nil
	}
	if h.Process != nil {
		if err := h.Process(e); err != nil {
			return err
		}
	}
	h.seen[e.ID] = true
	if e.Seq > h.last[e.AppID+"/"+e.OrgID] {
		h.last[e.AppID+"/"+e.OrgID] = e.Seq
	}
	return nil
}

// Seen reports whether an event id was processed.
func (h *Handler) Seen(id string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.seen[id]
}

// Describe is a one-line account of an event, for the log.
func Describe(e *sdk.Event) string {
	p, err := e.Payload()
	switch {
	case err != nil:
		return fmt.Sprintf("%s #%d %s: bad data: %v", e.OrgID, e.Seq, e.Type, err)
	case p == nil:
		return fmt.Sprintf("%s #%d %s (unknown type, acknowledged)", e.OrgID, e.Seq, e.Type)
	}
	return fmt.Sprintf("%s #%d %s %+v", e.OrgID, e.Seq, e.Type, p)
}

var errNoSecret = errors.New("set SHELF_WEBHOOK_SECRET (and SHELF_WEBHOOK_SECRET_OLD while rotating)")
