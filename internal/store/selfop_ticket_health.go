package store

import (
	"context"
	"fmt"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// TicketHealthWindow is how far back the platform's ticket health looks
// (by opening time).
const TicketHealthWindow = 90 * 24 * time.Hour

// TicketHealth is every partner's tickets opened in the last
// TicketHealthWindow, by partner id after the cursor after, at most
// limit: counts by state, mean first-response and resolution times, and
// the breaches of the targets they were opened with (open ones count the
// time so far).
func (s *Store) TicketHealth(ctx context.Context, after string, limit int) ([]shelf.TicketHealth, error) {
	now := s.clock.Now()
	rows, err := s.read.QueryContext(ctx, `SELECT t.partner_org_id, o.name,
		SUM(CASE WHEN t.state = 'open' THEN 1 ELSE 0 END), SUM(CASE WHEN t.state = 'answered' THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.state = 'waiting_customer' THEN 1 ELSE 0 END), SUM(CASE WHEN t.state = 'closed' THEN 1 ELSE 0 END),
		COALESCE(SUM(t.first_response_at - t.created_at), 0), COUNT(t.first_response_at),
		COALESCE(SUM(CASE WHEN t.state = 'closed' THEN t.closed_at - t.created_at END), 0),
		SUM(CASE WHEN COALESCE(t.first_response_at, $1) > t.response_due_at THEN 1 ELSE 0 END),
		SUM(CASE WHEN (CASE WHEN t.state = 'closed' THEN t.closed_at ELSE $1 END) > t.resolution_due_at THEN 1 ELSE 0 END)
		FROM tickets t JOIN orgs o ON o.id = t.partner_org_id
		WHERE t.created_at >= $2 AND t.partner_org_id > $3
		GROUP BY t.partner_org_id, o.name ORDER BY t.partner_org_id LIMIT $4`, micros(now), micros(now.Add(-TicketHealthWindow)), after, limit)
	if err != nil {
		return nil, fmt.Errorf("ticket health: %w", err)
	}
	defer rows.Close()
	out := []shelf.TicketHealth{}
	for rows.Next() {
		var h shelf.TicketHealth
		var respSum, resSum int64
		var responded int
		if err := rows.Scan(&h.PartnerID, &h.PartnerName, &h.Open, &h.Answered, &h.WaitingCustomer, &h.Closed, &respSum, &responded, &resSum,
			&h.ResponseBreaches, &h.ResolutionBreaches); err != nil {
			return nil, fmt.Errorf("ticket health: %w", err)
		}
		if responded > 0 {
			h.MeanFirstResponse = respSum / int64(responded) / 1e6
		}
		if h.Closed > 0 {
			h.MeanResolution = resSum / int64(h.Closed) / 1e6
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
