package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
)

// PostCard posts a message card of a cool app into a group it is
// installed in, within the app's card rate for that group.
func (s *Store) PostCard(ctx context.Context, appID, orgID, groupID string, in shelf.CardInput, limit shelf.CardLimit) (*shelf.GroupCard, error) {
	if err := in.Check(); err != nil {
		return nil, err
	}
	doc, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	c := &shelf.GroupCard{ID: shelf.NewID("crd"), GroupID: groupID, OrgID: orgID, AppID: appID, CardInput: in}
	err = s.Update(ctx, func(tx *Tx) error {
		if err := cardInstalled(ctx, tx, appID, orgID, groupID); err != nil {
			return err
		}
		if err := takeCardToken(ctx, tx, appID, groupID, limit); err != nil {
			return err
		}
		c.CreatedAt, c.UpdatedAt = tx.Now(), tx.Now()
		_, err := tx.ExecContext(ctx, `INSERT INTO group_cards (id, group_id, org_id, app_id, doc, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
			c.ID, groupID, orgID, appID, string(doc), micros(tx.Now()))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("post card into %s: %w", groupID, err)
	}
	return c, nil
}

// cardInstalled refuses a card into a group of another org, or one where
// the app is not installed, or from an app whose declaration does not ask
// to post cards.
func cardInstalled(ctx context.Context, tx *Tx, appID, orgID, groupID string) error {
	g, err := groupTx(ctx, tx, groupID)
	if err != nil || g.OrgID != orgID {
		return shelf.NotFound("group")
	}
	if _, err := installationWhere(ctx, tx, `app_id = $1 AND group_id = $2 AND status = 'active'`, appID, groupID); shelf.ErrorKind(err) == shelf.KindNotFound {
		return shelf.Forbidden("app_not_in_group", "the app is not installed in this group: its owner installs it first")
	} else if err != nil {
		return err
	}
	decl, err := coolAppDecl(ctx, tx, appID)
	switch {
	case shelf.ErrorKind(err) == shelf.KindNotFound:
		return nil // listed before cool-app applications: nothing declared to hold it to
	case err != nil:
		return err
	case !decl.Grants(shelf.ScopePostCards):
		return shelf.Forbidden("permission_not_declared", "the app did not ask group owners for %s", shelf.ScopePostCards)
	}
	return nil
}

// takeCardToken spends one card of the (app, group) budget: GCRA, a token
// bucket kept as one theoretical arrival time, updated by one conditional
// statement so concurrent posts on any node never overspend it.
func takeCardToken(ctx context.Context, tx *Tx, appID, groupID string, limit shelf.CardLimit) error {
	now, step := micros(tx.Now()), limit.Interval.Microseconds()
	window := step * int64(limit.Burst-1)
	if _, err := tx.ExecContext(ctx, `INSERT INTO group_card_limits (app_id, group_id, tat) VALUES ($1, $2, 0) ON CONFLICT (app_id, group_id) DO NOTHING`, appID, groupID); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE group_card_limits SET tat = (CASE WHEN tat > $3 THEN tat ELSE $3 END) + $4
		WHERE app_id = $1 AND group_id = $2 AND (CASE WHEN tat > $3 THEN tat ELSE $3 END) - $3 <= $5`, appID, groupID, now, step, window)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return shelf.ErrCardRateLimited()
	}
	return nil
}

// UpdateCard replaces a card's content; only the app that posted it may.
func (s *Store) UpdateCard(ctx context.Context, appID, orgID, groupID, cardID string, in shelf.CardInput) (*shelf.GroupCard, error) {
	if err := in.Check(); err != nil {
		return nil, err
	}
	doc, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	var out *shelf.GroupCard
	err = s.Update(ctx, func(tx *Tx) error {
		if err := tx.execOne(ctx, `UPDATE group_cards SET doc = $1, updated_at = $2 WHERE id = $3 AND app_id = $4 AND org_id = $5 AND group_id = $6`,
			string(doc), micros(tx.Now()), cardID, appID, orgID, groupID); err == errConcurrent {
			return shelf.NotFound("card")
		} else if err != nil {
			return err
		}
		out, err = cardTx(ctx, tx, cardID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("update card %s: %w", cardID, err)
	}
	return out, nil
}

// DeleteCard withdraws a card; only the app that posted it may.
func (s *Store) DeleteCard(ctx context.Context, appID, orgID, groupID, cardID string) error {
	return s.Update(ctx, func(tx *Tx) error {
		err := tx.execOne(ctx, `DELETE FROM group_cards WHERE id = $1 AND app_id = $2 AND org_id = $3 AND group_id = $4`, cardID, appID, orgID, groupID)
		if err == errConcurrent {
			return shelf.NotFound("card")
		}
		return err
	})
}

const cardColumns = `id, group_id, org_id, app_id, doc, created_at, updated_at FROM group_cards `

func scanCard(row interface{ Scan(...any) error }) (*shelf.GroupCard, error) {
	var c shelf.GroupCard
	var doc string
	var created, updated int64
	if err := row.Scan(&c.ID, &c.GroupID, &c.OrgID, &c.AppID, &doc, &created, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(doc), &c.CardInput); err != nil {
		return nil, fmt.Errorf("card %s: %w", c.ID, err)
	}
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &c, nil
}

func cardTx(ctx context.Context, q queryer, id string) (*shelf.GroupCard, error) {
	c, err := scanCard(q.QueryRowContext(ctx, `SELECT `+cardColumns+`WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("card")
	}
	return c, err
}

// Card returns one card.
func (s *Store) Card(ctx context.Context, id string) (*shelf.GroupCard, error) {
	return cardTx(ctx, s.read, id)
}

// groupCardsOrder pages a group's cards newest first (index group_cards_page).
var groupCardsOrder = keyset{cols: []string{"created_at", "id"}, desc: true}

// GroupCards lists a group's cards newest first, those before the time key
// before ("" for the newest), at most limit: a group page never reads
// more than one page of them.
func (s *Store) GroupCards(ctx context.Context, groupID, before string, limit int) ([]shelf.GroupCard, error) {
	tail, args, err := groupCardsOrder.pageAfter(before, limit, shelf.ParseTimeKey, []any{groupID})
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, `SELECT `+cardColumns+`WHERE group_id = $1`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("group cards: %w", err)
	}
	defer rows.Close()
	out := []shelf.GroupCard{}
	for rows.Next() {
		c, err := scanCard(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}
