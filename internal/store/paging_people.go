package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
)

// FindPeople finds at most limit people whose email or name starts with
// text (case as typed for names; emails are stored lower-case), by email:
// the audit log's search by a person. The email's unique index serves the
// email prefix; names are matched on the rows that index reads.
func (s *Store) FindPeople(ctx context.Context, text string, limit int) ([]shelf.User, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return []shelf.User{}, nil
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, email, name, created_at FROM users
		WHERE email LIKE $1 ESCAPE '\' OR name LIKE $2 ESCAPE '\' ORDER BY email LIMIT $3`,
		likeEscape(strings.ToLower(text))+"%", likeEscape(text)+"%", min(max(limit, 1), 50))
	if err != nil {
		return nil, fmt.Errorf("find people: %w", err)
	}
	defer rows.Close()
	out := []shelf.User{}
	for rows.Next() {
		var u shelf.User
		var created int64
		if err := rows.Scan(&u.ID, &u.Email, &u.Name, &created); err != nil {
			return nil, fmt.Errorf("find people: %w", err)
		}
		u.CreatedAt = fromMicros(created)
		out = append(out, u)
	}
	return out, rows.Err()
}

// PeopleNames returns the names of the users among ids, by id (ids of
// other things are left out): a page shows names where it has ids.
func (s *Store) PeopleNames(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	arg, err := jsonArg(ids)
	if err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT u.id, u.name FROM users u WHERE u.id IN (SELECT value FROM `+s.dialect.jsonTexts("$1")+`)`, arg)
	if err != nil {
		return nil, fmt.Errorf("people names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("people names: %w", err)
		}
		out[id] = name
	}
	return out, rows.Err()
}
