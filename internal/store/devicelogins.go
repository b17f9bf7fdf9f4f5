package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shelfhq/shelf/internal/secret"
	"github.com/shelfhq/shelf/internal/shelf"
)

// deviceCodePrefix marks a device code (the device's secret while it waits).
const deviceCodePrefix = "shelf_dc_"

// CreateDeviceLogin starts a sign-in for a device without a browser: it
// returns the device's secret code (kept here only as its SHA-256) and the
// login with its short user code. Logins expired for a day are removed on
// the way, so the table holds only the last day's.
func (s *Store) CreateDeviceLogin(ctx context.Context, clientName string) (string, *shelf.DeviceLogin, error) {
	name, err := shelf.CleanName("client_name", clientName, 80)
	if err != nil {
		return "", nil, err
	}
	device := secret.NewToken(deviceCodePrefix)
	d := &shelf.DeviceLogin{ID: shelf.NewID("dvl"), ClientName: name, State: shelf.DeviceLoginPending}
	for try := 0; ; try++ {
		d.UserCode = shelf.NewUserCode()
		err = s.Update(ctx, func(tx *Tx) error {
			d.CreatedAt, d.ExpiresAt = tx.Now(), tx.Now().Add(shelf.DeviceLoginTTL)
			if _, err := tx.ExecContext(ctx, `DELETE FROM device_logins WHERE expires_at < $1`, micros(tx.Now().Add(-24*60*60e9))); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO device_logins (id, device_code_hash, user_code, client_name, state, created_at, expires_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, d.ID, secret.HashToken(device), d.UserCode, name, d.State, micros(d.CreatedAt), micros(d.ExpiresAt))
			return err
		})
		if err == nil || !isUniqueViolation(err) || try == 4 { // a user code drawn twice in a day: draw again
			break
		}
	}
	if err != nil {
		return "", nil, fmt.Errorf("create device login: %w", err)
	}
	return device, d, nil
}

// DeviceLogin returns the pending login of a user code as typed, for the
// approval page: unknown is a 404, one decided or expired a 409.
func (s *Store) DeviceLogin(ctx context.Context, userCode string) (*shelf.DeviceLogin, error) {
	d, err := s.deviceLogin(ctx, s.read, shelf.NormalizeUserCode(userCode))
	if err != nil {
		return nil, err
	}
	if err := deviceLoginOpen(d, s.clock.Now()); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Store) deviceLogin(ctx context.Context, q queryer, userCode string) (*shelf.DeviceLogin, error) {
	d := &shelf.DeviceLogin{}
	var created, expires int64
	err := q.QueryRowContext(ctx, `SELECT id, user_code, client_name, state, created_at, expires_at FROM device_logins WHERE user_code = $1`,
		userCode).Scan(&d.ID, &d.UserCode, &d.ClientName, &d.State, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) || userCode == "" {
		return nil, shelf.NotFound("device_login")
	}
	if err != nil {
		return nil, fmt.Errorf("device login: %w", err)
	}
	d.CreatedAt, d.ExpiresAt = fromMicros(created), fromMicros(expires)
	return d, nil
}

// deviceLoginOpen says why a login can no longer be decided: decided
// already, or expired.
func deviceLoginOpen(d *shelf.DeviceLogin, now time.Time) error {
	if d.State != shelf.DeviceLoginPending {
		return shelf.Errorf(shelf.KindConflict, "device_login_decided", "this sign-in was already approved or denied")
	}
	if !now.Before(d.ExpiresAt) {
		return shelf.Errorf(shelf.KindConflict, "device_login_expired", "this code has expired: start the sign-in on the device again")
	}
	return nil
}

// DecideDeviceLogin approves (binding the user) or denies a pending login
// by its user code. Only a pending, unexpired login can be decided, once.
func (s *Store) DecideDeviceLogin(ctx context.Context, userCode, userID string, approve bool) (*shelf.DeviceLogin, error) {
	var d *shelf.DeviceLogin
	err := s.Update(ctx, func(tx *Tx) error {
		var err error
		if d, err = s.deviceLogin(ctx, tx, shelf.NormalizeUserCode(userCode)); err != nil {
			return err
		}
		if err := deviceLoginOpen(d, tx.Now()); err != nil {
			return err
		}
		d.State = shelf.DeviceLoginDenied
		if approve {
			d.State = shelf.DeviceLoginApproved
		}
		res, err := tx.ExecContext(ctx, `UPDATE device_logins SET state = $1, user_id = $2 WHERE id = $3 AND state = 'pending'`, d.State, userID, d.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 { // decided beside us
			return shelf.Errorf(shelf.KindConflict, "device_login_decided", "this sign-in was already approved or denied")
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("decide device login: %w", err)
	}
	return d, nil
}

// RedeemDeviceLogin is the device's poll (RFC 8628 §3.4): once approved,
// it returns a new personal token named for the client, in the
// transaction that marks the login used, so it is handed out once. Before
// that it answers with the RFC's codes: authorization_pending, slow_down
// (polled sooner than the interval), access_denied, expired_token.
func (s *Store) RedeemDeviceLogin(ctx context.Context, deviceCode string) (string, *shelf.Token, error) {
	var plain string
	var tok *shelf.Token
	var answer error // said to the device after the poll time is saved
	err := s.Update(ctx, func(tx *Tx) error {
		var id, state, name string
		var userID sql.NullString
		var expires, polled int64
		err := tx.QueryRowContext(ctx, `SELECT id, state, user_id, client_name, expires_at, polled_at FROM device_logins
			WHERE device_code_hash = $1`+s.dialect.forUpdate(), secret.HashToken(deviceCode)).Scan(&id, &state, &userID, &name, &expires, &polled)
		if errors.Is(err, sql.ErrNoRows) {
			return shelf.Errorf(shelf.KindBadRequest, "invalid_grant", "this device code is not one the server gave")
		}
		if err != nil {
			return err
		}
		now := tx.Now()
		switch {
		case state == shelf.DeviceLoginUsed || !now.Before(fromMicros(expires)):
			return shelf.Errorf(shelf.KindBadRequest, "expired_token", "the code has expired or was used: start again")
		case state == shelf.DeviceLoginDenied:
			return shelf.Errorf(shelf.KindBadRequest, "access_denied", "the sign-in was denied")
		case state == shelf.DeviceLoginPending:
			answer = shelf.Errorf(shelf.KindBadRequest, "authorization_pending", "waiting for the code to be approved")
			if now.Sub(fromMicros(polled)) < shelf.DeviceLoginInterval {
				answer = shelf.Errorf(shelf.KindBadRequest, "slow_down", "poll at most every %d seconds", int(shelf.DeviceLoginInterval.Seconds()))
			}
			_, err := tx.ExecContext(ctx, `UPDATE device_logins SET polled_at = $1 WHERE id = $2`, micros(now), id)
			return err
		}
		if plain, tok, err = insertToken(ctx, tx, userID.String, name, shelf.TokenPersonal, personalPrefix, 0); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE device_logins SET state = 'used', polled_at = $1 WHERE id = $2`, micros(now), id)
		return err
	})
	if err == nil {
		err = answer
	}
	if err != nil {
		return "", nil, fmt.Errorf("redeem device login: %w", err)
	}
	return plain, tok, nil
}
