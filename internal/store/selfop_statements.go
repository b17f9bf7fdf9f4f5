package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/shelfhq/shelf/internal/shelf"
)

const statementColumns = `id, partner_org_id, month, currency, state, orders, gross, refunds, refunded, commission, net, carried_in, payout,
	carried_out, closed_at, closed_by`

func scanStatement(row interface{ Scan(...any) error }) (*shelf.Statement, error) {
	var st shelf.Statement
	var closed sql.NullInt64
	if err := row.Scan(&st.ID, &st.PartnerID, &st.Month, &st.Currency, &st.State, &st.Orders, &st.Gross, &st.Refunds, &st.Refunded,
		&st.Commission, &st.Net, &st.CarriedIn, &st.Payout, &st.CarriedOut, &closed, &st.ClosedBy); err != nil {
		return nil, err
	}
	st.ClosedAt = nullMicros(closed)
	return &st, nil
}

func statementWhere(ctx context.Context, q queryer, lock, where string, args ...any) (*shelf.Statement, error) {
	st, err := scanStatement(q.QueryRowContext(ctx, `SELECT `+statementColumns+` FROM statements WHERE `+where+lock, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("statement")
	}
	if err != nil {
		return nil, fmt.Errorf("statement: %w", err)
	}
	return st, nil
}

// Statement returns one statement.
func (s *Store) Statement(ctx context.Context, id string) (*shelf.Statement, error) {
	return statementWhere(ctx, s.read, "", `id = $1`, id)
}

// statementsOrder pages statements newest month first.
var statementsOrder = keyset{cols: []string{"month", "id"}, desc: true}

// Statements lists statements, newest month first: a partner's (partnerID
// set), or every partner's of a month (month set), or all.
func (s *Store) Statements(ctx context.Context, partnerID, month string, p shelf.PageReq) ([]shelf.Statement, error) {
	// Only the filters asked for are in the text, so the planner picks the
	// index of the one that narrows: (partner_org_id | month, month, id).
	where, args := `TRUE`, []any{}
	if partnerID != "" {
		args = append(args, partnerID)
		where += ` AND partner_org_id = $` + strconv.Itoa(len(args))
	}
	if month != "" {
		args = append(args, month)
		where += ` AND month = $` + strconv.Itoa(len(args))
	}
	tail, args, err := statementsOrder.page(p, args)
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, `SELECT `+statementColumns+` FROM statements WHERE `+where+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("statements: %w", err)
	}
	defer rows.Close()
	out := []shelf.Statement{}
	for rows.Next() {
		st, err := scanStatement(rows)
		if err != nil {
			return nil, fmt.Errorf("statements: %w", err)
		}
		out = append(out, *st)
	}
	return out, rows.Err()
}

// StatementEntries lists a statement's entries in the order they happened.
func (s *Store) StatementEntries(ctx context.Context, id string) ([]shelf.SettlementEntry, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, statement_id, partner_org_id, order_id, kind, org_id, app_id, listing_id, order_type,
		amount, commission, net, rate_bp, currency, at FROM settlement_entries WHERE statement_id = $1 ORDER BY at, id`, id)
	if err != nil {
		return nil, fmt.Errorf("statement entries: %w", err)
	}
	defer rows.Close()
	out := []shelf.SettlementEntry{}
	for rows.Next() {
		var e shelf.SettlementEntry
		var at int64
		if err := rows.Scan(&e.ID, &e.StatementID, &e.PartnerID, &e.OrderID, &e.Kind, &e.OrgID, &e.AppID, &e.ListingID, &e.OrderType,
			&e.Amount, &e.Commission, &e.Net, &e.RateBP, &e.Currency, &at); err != nil {
			return nil, fmt.Errorf("statement entries: %w", err)
		}
		e.At = fromMicros(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// CloseStatement closes a statement once its month is over and every
// earlier statement of the partner (in its currency) is closed: it takes
// in what the previous one carried out, pays out a positive balance and
// carries a negative one to the next. Closed, it never changes
// (statement_closed); the entries that come later go to the next month.
func (s *Store) CloseStatement(ctx context.Context, id, byUserID string) (*shelf.Statement, error) {
	var out *shelf.Statement
	err := s.Update(ctx, func(tx *Tx) error {
		st, err := statementWhere(ctx, tx, tx.s.dialect.forUpdate(), `id = $1`, id)
		if err != nil {
			return err
		}
		if st.State == shelf.StatementClosed {
			return shelf.ErrStatementClosed(id)
		}
		if end, _ := shelf.MonthEnd(st.Month); tx.Now().Before(end) {
			return shelf.Errorf(shelf.KindConflict, "statement_month_open", "%s is not over yet: a statement is closed after its month", st.Month)
		}
		var earlier string
		err = tx.QueryRowContext(ctx, `SELECT month FROM statements WHERE partner_org_id = $1 AND currency = $2 AND month < $3 AND state = 'open'
			ORDER BY month LIMIT 1`, st.PartnerID, st.Currency, st.Month).Scan(&earlier)
		if err == nil {
			return shelf.Errorf(shelf.KindConflict, "statement_previous_open", "close the statement of %s first", earlier)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var carried int64
		err = tx.QueryRowContext(ctx, `SELECT carried_out FROM statements WHERE partner_org_id = $1 AND currency = $2 AND month < $3
			ORDER BY month DESC LIMIT 1`, st.PartnerID, st.Currency, st.Month).Scan(&carried)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		st.Settle(carried)
		now := tx.Now()
		st.State, st.ClosedAt, st.ClosedBy = shelf.StatementClosed, &now, byUserID
		if err := tx.execOne(ctx, `UPDATE statements SET state = 'closed', carried_in = $2, payout = $3, carried_out = $4, closed_at = $5,
			closed_by = $6, updated_at = $5 WHERE id = $1 AND state = 'open'`, id, st.CarriedIn, st.Payout, st.CarriedOut, micros(now), byUserID); err != nil {
			return err
		}
		out = st
		return audit(ctx, tx, byUserID, "statement.close", "statement", id, nil, st, "")
	})
	if err != nil {
		return nil, fmt.Errorf("close statement %s: %w", id, err)
	}
	return out, nil
}
