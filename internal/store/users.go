package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shelfhq/shelf/internal/secret"
	"github.com/shelfhq/shelf/internal/shelf"
)

// CreateUser signs a person up. Invitations to the email are not accepted
// here: signing up does not prove one owns the address; the invitation
// link does.
func (s *Store) CreateUser(ctx context.Context, email, name, password string) (*shelf.User, error) {
	email, err := shelf.NormalizeEmail("email", email)
	if err != nil {
		return nil, err
	}
	if name, err = shelf.CleanName("name", name, 100); err != nil {
		return nil, err
	}
	if err := shelf.CheckPassword(password); err != nil {
		return nil, err
	}
	hash, err := secret.HashPassword(password)
	if err != nil {
		return nil, err
	}
	u := &shelf.User{ID: shelf.NewID("usr"), Email: email, Name: name, PlatformRoles: []shelf.PlatformRole{}}
	err = s.Update(ctx, func(tx *Tx) error {
		u.CreatedAt = tx.Now()
		_, err := tx.ExecContext(ctx, `INSERT INTO users (id, email, name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)`,
			u.ID, u.Email, u.Name, hash, micros(tx.Now()))
		if isUniqueViolation(err) {
			return &shelf.Error{Kind: shelf.KindConflict, Code: "email_taken", Field: "email", Message: "an account with this email already exists"}
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, u.ID, "user.create", "user", u.ID, nil, map[string]string{"email": u.Email, "name": u.Name}, "")
	})
	if err != nil {
		return nil, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

// Authenticate checks an email and password tried from the client address
// from (empty when there is none), throttled as shelf.CheckSignIn says:
// failures lock out the address they come from, never the account. Every
// attempt is counted as a failure before the (slow) password check, in the
// transaction that reads the counts, so parallel guesses cannot slip past
// the budget; a success clears the address's count and remembers the
// address as the account's. A refused attempt (429) does not check the
// password, so guessing past the budget cannot confirm one either.
func (s *Store) Authenticate(ctx context.Context, email, password, from string) (*shelf.User, error) {
	email, err := shelf.NormalizeEmail("email", email)
	if err != nil {
		return nil, err
	}
	addr := shelf.SignInAddr(from)
	var id, hash string
	err = s.Update(ctx, func(tx *Tx) error {
		// Locking the account's row makes concurrent attempts on it take
		// turns on PostgreSQL (SQLite's writers always do).
		err := tx.QueryRowContext(ctx, `SELECT id, password_hash FROM users WHERE email = $1`+s.dialect.forUpdate(), email).Scan(&id, &hash)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var fromAddr, fromAll, known int
		since := micros(tx.Now().Add(-shelf.SignInWindow))
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN addr = $2 THEN 1 ELSE 0 END), 0), COUNT(*),
			(SELECT COUNT(*) FROM login_addresses WHERE email = $1 AND addr = $2 AND last_success_at > $4)
			FROM login_failures WHERE email = $1 AND at > $3`,
			email, addr, since, micros(tx.Now().Add(-shelf.SignInKnownFor))).Scan(&fromAddr, &fromAll, &known); err != nil {
			return err
		}
		if err := shelf.CheckSignIn(fromAddr, fromAll, known > 0); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO login_failures (email, addr, at) VALUES ($1, $2, $3)`, email, addr, micros(tx.Now()))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	ok := false
	if id != "" {
		if ok, err = secret.CheckPassword(hash, password); err != nil {
			return nil, fmt.Errorf("authenticate %s: %w", id, err)
		}
	} else {
		// Hash anyway so a missing account takes as long as a wrong password.
		_, _ = secret.HashPassword(password)
	}
	if !ok {
		return nil, &shelf.Error{Kind: shelf.KindUnauthenticated, Code: "invalid_credentials", Message: "wrong email or password"}
	}
	if err := s.Update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE (email = $1 AND addr = $2) OR at < $3`,
			email, addr, micros(tx.Now().Add(-shelf.SignInWindow))); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO login_addresses (email, addr, last_success_at) VALUES ($1, $2, $3)
			ON CONFLICT (email, addr) DO UPDATE SET last_success_at = excluded.last_success_at`, email, addr, micros(tx.Now()))
		return err
	}); err != nil {
		return nil, fmt.Errorf("clear sign-in failures: %w", err)
	}
	return s.User(ctx, id)
}

// User returns a user by id, with their platform roles.
func (s *Store) User(ctx context.Context, id string) (*shelf.User, error) {
	return s.userWhere(ctx, `id = $1`, id)
}

// UserByEmail returns a user by email.
func (s *Store) UserByEmail(ctx context.Context, email string) (*shelf.User, error) {
	email, err := shelf.NormalizeEmail("email", email)
	if err != nil {
		return nil, err
	}
	return s.userWhere(ctx, `email = $1`, email)
}

func (s *Store) userWhere(ctx context.Context, where string, arg any) (*shelf.User, error) {
	u := &shelf.User{}
	var created int64
	err := s.read.QueryRowContext(ctx, `SELECT id, email, name, created_at FROM users WHERE `+where, arg).
		Scan(&u.ID, &u.Email, &u.Name, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("user")
	}
	if err != nil {
		return nil, fmt.Errorf("get user: %w", err)
	}
	u.CreatedAt = fromMicros(created)
	return u, s.loadPlatformRoles(ctx, u)
}

// loadPlatformRoles fills u.PlatformRoles.
func (s *Store) loadPlatformRoles(ctx context.Context, u *shelf.User) error {
	u.PlatformRoles = []shelf.PlatformRole{}
	rows, err := s.read.QueryContext(ctx, `SELECT role FROM platform_roles WHERE user_id = $1 ORDER BY role`, u.ID)
	if err != nil {
		return fmt.Errorf("get platform roles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r shelf.PlatformRole
		if err := rows.Scan(&r); err != nil {
			return err
		}
		u.PlatformRoles = append(u.PlatformRoles, r)
	}
	return rows.Err()
}

// SetPassword replaces a user's password and ends their sessions and
// tokens; byUserID is who set it (shelf.ActorCLI from the command line).
func (s *Store) SetPassword(ctx context.Context, email, password, byUserID string) error {
	u, err := s.UserByEmail(ctx, email)
	if err != nil {
		return err
	}
	if err := shelf.CheckPassword(password); err != nil {
		return err
	}
	hash, err := secret.HashPassword(password)
	if err != nil {
		return err
	}
	return s.Update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, u.ID); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`, micros(tx.Now()), u.ID); err != nil {
			return err
		}
		return audit(ctx, tx, byUserID, "user.set_password", "user", u.ID, nil, nil, "")
	})
}

// GrantPlatformRole gives a user a platform role; granting twice is a
// no-op (and audited once). byUserID is who granted it.
func (s *Store) GrantPlatformRole(ctx context.Context, userID string, role shelf.PlatformRole, byUserID string) error {
	if role != shelf.PlatformAdmin && role != shelf.CategoryOperator {
		return shelf.FieldError("role", "invalid_role", "unknown platform role %q", role)
	}
	return s.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO platform_roles (user_id, role, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (user_id, role) DO NOTHING`, userID, role, micros(tx.Now()))
		if isForeignKeyViolation(err) {
			return shelf.NotFound("user")
		}
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return audit(ctx, tx, byUserID, "user.grant_platform_role", "user", userID, nil, map[string]any{"role": role}, "")
	})
}

// platformUsersOrder pages the holders of a platform role by user id
// (index platform_roles_role).
var platformUsersOrder = keyset{cols: []string{"r.user_id"}}

// PlatformUsers lists the users holding a platform role.
func (s *Store) PlatformUsers(ctx context.Context, role shelf.PlatformRole, p shelf.PageReq) ([]shelf.User, error) {
	tail, args, err := platformUsersOrder.page(p, []any{role})
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, `SELECT u.id, u.email, u.name, u.created_at FROM platform_roles r
		JOIN users u ON u.id = r.user_id WHERE r.role = $1`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("platform users: %w", err)
	}
	defer rows.Close()
	out := []shelf.User{}
	for rows.Next() {
		var u shelf.User
		var created int64
		if err := rows.Scan(&u.ID, &u.Email, &u.Name, &created); err != nil {
			return nil, err
		}
		u.CreatedAt = fromMicros(created)
		u.PlatformRoles = []shelf.PlatformRole{role}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UserCount counts the accounts; zero means a fresh database.
func (s *Store) UserCount(ctx context.Context) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}
