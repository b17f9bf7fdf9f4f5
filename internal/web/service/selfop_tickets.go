package service

import (
	"context"
	"net/http"
	"strconv"

	"github.com/shelfhq/shelf/internal/shelf"
)

// TicketStore keeps service tickets; *store.Store implements it.
type TicketStore interface {
	OpenTicket(ctx context.Context, n shelf.NewTicket) (*shelf.Ticket, error)
	Ticket(ctx context.Context, id string) (*shelf.Ticket, error)
	Tickets(ctx context.Context, f shelf.TicketFilter) ([]shelf.Ticket, error)
	ReplyTicket(ctx context.Context, n shelf.TicketReply) (*shelf.Ticket, error)
	CloseTicket(ctx context.Context, id, byUserID string) (*shelf.Ticket, error)
	ReopenTicket(ctx context.Context, id, byUserID string) (*shelf.Ticket, error)
	TicketMessages(ctx context.Context, id string) ([]shelf.TicketMessage, error)
	TicketAttachmentData(ctx context.Context, ticketID, id string) (*shelf.TicketAttachment, []byte, error)
	ServiceTargets(ctx context.Context, partnerID string) ([]shelf.ServiceTarget, error)
	SetServiceTargets(ctx context.Context, partnerID, byUserID string, ts []shelf.ServiceTarget) ([]shelf.ServiceTarget, error)
	TicketHealth(ctx context.Context, after string, limit int) ([]shelf.TicketHealth, error)
}

// TicketView is a ticket with its messages.
type TicketView struct {
	*shelf.Ticket
	Messages []shelf.TicketMessage `json:"messages"`
}

// TicketWithMessages reads a ticket's messages for its view.
func (s *Services) TicketWithMessages(ctx context.Context, t *shelf.Ticket) (*TicketView, error) {
	ms, err := s.Selfop.TicketMessages(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	return &TicketView{Ticket: t, Messages: ms}, nil
}

// TicketState reads a ticket list's state filter ("" for all).
func TicketState(v string) (shelf.TicketState, error) {
	switch st := shelf.TicketState(v); st {
	case "", shelf.TicketOpen, shelf.TicketAnswered, shelf.TicketWaitingCustomer, shelf.TicketClosed:
		return st, nil
	}
	return "", shelf.FieldError("state", "invalid_ticket_state", "state must be open, answered, waiting_customer or closed")
}

// ServeTicketAttachment writes an attachment as a download: never shown
// inline, never sniffed.
func ServeTicketAttachment(w http.ResponseWriter, a *shelf.TicketAttachment, b []byte) {
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Header().Set("Content-Disposition", `attachment; filename="`+a.Name+`"`)
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	_, _ = w.Write(b)
}
