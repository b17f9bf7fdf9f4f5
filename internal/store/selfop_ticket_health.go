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
	// Grouped by the partner alone, in the order of tickets_partner, the
	// groups stream from the index and the page stops after limit of them;
	// the partner's name is joined to the page's rows.
	rows, err := s.queryPage(ctx, `SELECT h.partner_org_id, o.name, h.open, h.answered, h.waiting, h.closed,
		h.resp_sum, h.responded, h.res_sum, h.resp_breaches, h.res_breaches FROM (
		SELECT t.partner_org_id,
		SUM(CASE WHEN t.state = 'open' THEN 1 ELSE 0 END) AS open, SUM(CASE WHEN t.state = 'answered' THEN 1 ELSE 0 END) AS answered,
		SUM(CASE WHEN t.state = 'waiting_customer' THEN 1 ELSE 0 END) AS waiting, SUM(CASE WHEN t.state = 'closed' THEN 1 ELSE 0 END) AS closed,
		COALESCE(SUM(t.first_response_at - t.created_at), 0) AS resp_sum, COUNT(t.first_response_at) AS responded,
		COALESCE(SUM(CASE WHEN t.state = 'closed' THEN t.closed_at - t.created_at END), 0) AS res_sum,
		SUM(CASE WHEN COALESCE(t.first_response_at, $1) > t.response_due_at THEN 1 ELSE 0 END) AS resp_breaches,
		SUM(CASE WHEN (CASE WHEN t.state = 'closed' THEN t.closed_at ELSE $1 END) > t.resolution_due_at THEN 1 ELSE 0 END) AS res_breaches
		FROM tickets t WHERE t.created_at >= $2 AND t.partner_org_id > $3
		GROUP BY t.partner_org_id ORDER BY t.partner_org_id LIMIT $4) h
		JOIN orgs o ON o.id = h.partner_org_id ORDER BY h.partner_org_id`, micros(now), micros(now.Add(-TicketHealthWindow)), after, limit)
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
