package store

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shelfhq/shelf/internal/imaging"
	"github.com/shelfhq/shelf/internal/shelf"
)

// cleanAttachment is an attachment checked and ready to keep.
type cleanAttachment struct {
	name, contentType string
	data              []byte
}

// cleanAttachments checks each file: at most shelf.MaxTicketAttachment
// bytes (attachment_too_large); an image (PNG, JPEG, WebP) decoded whole
// and re-encoded, as uploads are; plain UTF-8 text without control
// characters named .txt or .log; anything else refused (attachment_type_refused), since
// Shelf cannot vouch for what it does not read.
func cleanAttachments(atts []shelf.NewAttachment) ([]cleanAttachment, error) {
	out := make([]cleanAttachment, 0, len(atts))
	for i, a := range atts {
		field := fmt.Sprintf("attachments[%d]", i)
		if len(a.Data) == 0 {
			return nil, shelf.FieldError(field, "required", "an attachment needs its data")
		}
		if len(a.Data) > shelf.MaxTicketAttachment {
			return nil, shelf.FieldError(field, "attachment_too_large", "an attachment is at most %d KiB, this one has %d bytes", shelf.MaxTicketAttachment>>10, len(a.Data))
		}
		c := cleanAttachment{name: attachmentName(a.Name)}
		switch sniff := http.DetectContentType(a.Data); {
		case strings.HasPrefix(sniff, "image/"):
			info, data, err := imaging.Clean(a.Data)
			if err != nil {
				if e, ok := shelf.AsError(err); ok {
					e.Field = field
				}
				return nil, err
			}
			c.contentType, c.data = contentType(string(info.Format)), data
		case strings.HasPrefix(sniff, "text/plain") && textName(c.name) && plainText(a.Data):
			c.contentType, c.data = "text/plain; charset=utf-8", a.Data
		default:
			return nil, shelf.FieldError(field, "attachment_type_refused", "attachments are images (PNG, JPEG, WebP) or plain UTF-8 text named .txt or .log")
		}
		out = append(out, c)
	}
	return out, nil
}

// textName reports whether a file's name says it is a text or log file:
// text under any other name (an SVG, an HTML page) is refused, whatever
// it holds.
func textName(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".txt" || ext == ".log"
}

// plainText reports whether b is UTF-8 text whose only control characters
// are tabs and line ends.
func plainText(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return false
		}
	}
	return true
}

// attachmentName keeps a file name's last element, printable, at most 100
// characters.
func attachmentName(name string) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '/' || r == '\\' || r == '"' {
			return '_'
		}
		return r
	}, path.Base(strings.ReplaceAll(name, "\\", "/")))
	if name == "" || name == "." || name == "_" {
		name = "attachment"
	}
	if utf8.RuneCountInString(name) > 100 {
		name = string([]rune(name)[:100])
	}
	return name
}

func insertTicketMessage(ctx context.Context, tx *Tx, ticketID, userID, side, text string, atts []cleanAttachment) (string, error) {
	id := shelf.NewID("tmsg")
	if _, err := tx.ExecContext(ctx, `INSERT INTO ticket_messages (id, ticket_id, author_id, side, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		id, ticketID, userID, side, text, micros(tx.Now())); err != nil {
		return "", fmt.Errorf("ticket message: %w", err)
	}
	for _, a := range atts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO ticket_attachments (id, ticket_id, message_id, name, content_type, size, data) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			shelf.NewID("tatt"), ticketID, id, a.name, a.contentType, len(a.data), base64.StdEncoding.EncodeToString(a.data)); err != nil {
			return "", fmt.Errorf("ticket attachment: %w", err)
		}
	}
	return id, nil
}

// ReplyTicket adds a message: the partner's answers the ticket (or waits
// for the customer), the first one being the first response; the
// customer's opens it again. A closed ticket takes no message
// (ticket_closed: reopen it first). Tells the vendor ticket.replied.
func (s *Store) ReplyTicket(ctx context.Context, n shelf.TicketReply) (*shelf.Ticket, error) {
	if err := shelf.CheckTicketMessage(&n.Text, n.Attachments); err != nil {
		return nil, err
	}
	atts, err := cleanAttachments(n.Attachments)
	if err != nil {
		return nil, err
	}
	err = s.Update(ctx, func(tx *Tx) error {
		t, err := scanTicket(tx.QueryRowContext(ctx, ticketSelect+` WHERE t.id = $1`, n.TicketID), tx.Now())
		if err != nil {
			return noRowsAs(err, "ticket")
		}
		if t.State == shelf.TicketClosed {
			return shelf.Errorf(shelf.KindConflict, "ticket_closed", "the ticket is closed: reopen it first")
		}
		state := shelf.TicketOpen
		if n.Side == shelf.TicketSidePartner {
			state = shelf.TicketAnswered
			if n.AwaitCustomer {
				state = shelf.TicketWaitingCustomer
			}
		}
		now := micros(tx.Now())
		if err := tx.execOne(ctx, `UPDATE tickets SET state = $2, updated_at = $3,
			first_response_at = CASE WHEN $4 AND first_response_at IS NULL THEN $3 ELSE first_response_at END WHERE id = $1 AND state = $5`,
			t.ID, string(state), now, n.Side == shelf.TicketSidePartner, string(t.State)); err != nil {
			return err
		}
		msgID, err := insertTicketMessage(ctx, tx, t.ID, n.ByUserID, n.Side, n.Text, atts)
		if err != nil {
			return err
		}
		_, err = tx.Emit(ctx, t.AppID, t.OrgID, shelf.EventTicketReplied, shelf.TicketEventData{TicketID: t.ID, MessageID: msgID, Subject: t.Subject,
			Priority: t.Priority, State: state, Side: n.Side})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reply to ticket %s: %w", n.TicketID, err)
	}
	return s.Ticket(ctx, n.TicketID)
}

// CloseTicket closes a ticket (either side): its resolution time stops.
func (s *Store) CloseTicket(ctx context.Context, id, byUserID string) (*shelf.Ticket, error) {
	return s.moveTicket(ctx, id, byUserID, "ticket.close", `UPDATE tickets SET state = 'closed', closed_at = $2, updated_at = $2 WHERE id = $1 AND state <> 'closed'`,
		func(t *shelf.Ticket, _ *Tx) error {
			if t.State == shelf.TicketClosed {
				return shelf.Errorf(shelf.KindConflict, "ticket_closed", "the ticket is already closed")
			}
			return nil
		})
}

// ReopenTicket opens a closed ticket again within shelf.TicketReopenWindow
// of its closing (reopen_window_passed after).
func (s *Store) ReopenTicket(ctx context.Context, id, byUserID string) (*shelf.Ticket, error) {
	return s.moveTicket(ctx, id, byUserID, "ticket.reopen", `UPDATE tickets SET state = 'open', closed_at = NULL, updated_at = $2 WHERE id = $1 AND state = 'closed'`,
		func(t *shelf.Ticket, tx *Tx) error {
			switch {
			case t.State != shelf.TicketClosed:
				return shelf.Errorf(shelf.KindConflict, "ticket_not_closed", "the ticket is not closed")
			case tx.Now().Sub(*t.ClosedAt) > shelf.TicketReopenWindow:
				return shelf.Errorf(shelf.KindConflict, "reopen_window_passed", "a ticket may be reopened within 14 days of closing: open a new one")
			}
			return nil
		})
}

// moveTicket checks a ticket's state with check, then runs the update and
// audits it.
func (s *Store) moveTicket(ctx context.Context, id, byUserID, action, update string, check func(*shelf.Ticket, *Tx) error) (*shelf.Ticket, error) {
	err := s.Update(ctx, func(tx *Tx) error {
		t, err := scanTicket(tx.QueryRowContext(ctx, ticketSelect+` WHERE t.id = $1`, id), tx.Now())
		if err != nil {
			return noRowsAs(err, "ticket")
		}
		if err := check(t, tx); err != nil {
			return err
		}
		if err := tx.execOne(ctx, update, id, micros(tx.Now())); err != nil {
			return err
		}
		return audit(ctx, tx, byUserID, action, "ticket", id, nil, nil, "")
	})
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", action, id, err)
	}
	return s.Ticket(ctx, id)
}

// TicketMessages lists a ticket's messages with their attachments, oldest
// first.
func (s *Store) TicketMessages(ctx context.Context, id string) ([]shelf.TicketMessage, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT m.id, m.author_id, u.name, m.side, m.body, m.created_at FROM ticket_messages m JOIN users u ON u.id = m.author_id
		WHERE m.ticket_id = $1 ORDER BY m.created_at, m.id LIMIT 1000`, id)
	if err != nil {
		return nil, fmt.Errorf("ticket messages: %w", err)
	}
	out := []shelf.TicketMessage{}
	at := map[string]int{}
	for rows.Next() {
		m := shelf.TicketMessage{Attachments: []shelf.TicketAttachment{}}
		var created int64
		if err := rows.Scan(&m.ID, &m.AuthorID, &m.AuthorName, &m.Side, &m.Text, &created); err != nil {
			rows.Close()
			return nil, fmt.Errorf("ticket messages: %w", err)
		}
		m.CreatedAt = fromMicros(created)
		at[m.ID] = len(out)
		out = append(out, m)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("ticket messages: %w", err)
	}
	rows, err = s.read.QueryContext(ctx, `SELECT id, message_id, name, content_type, size FROM ticket_attachments WHERE ticket_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("ticket attachments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a shelf.TicketAttachment
		var msg string
		if err := rows.Scan(&a.ID, &msg, &a.Name, &a.ContentType, &a.Size); err != nil {
			return nil, fmt.Errorf("ticket attachments: %w", err)
		}
		if i, ok := at[msg]; ok {
			out[i].Attachments = append(out[i].Attachments, a)
		}
	}
	return out, rows.Err()
}

// TicketAttachmentData returns an attachment of a ticket with its bytes.
func (s *Store) TicketAttachmentData(ctx context.Context, ticketID, id string) (*shelf.TicketAttachment, []byte, error) {
	var a shelf.TicketAttachment
	var enc string
	err := s.read.QueryRowContext(ctx, `SELECT id, name, content_type, size, data FROM ticket_attachments WHERE id = $1 AND ticket_id = $2`, id, ticketID).
		Scan(&a.ID, &a.Name, &a.ContentType, &a.Size, &enc)
	if err != nil {
		return nil, nil, fmt.Errorf("attachment %s: %w", id, noRowsAs(err, "attachment"))
	}
	b, err := base64.StdEncoding.DecodeString(enc)
	return &a, b, err
}
