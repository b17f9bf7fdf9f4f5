package store

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shelfhq/shelf/internal/secret"
	"github.com/shelfhq/shelf/internal/shelf"
)

// Secret prefixes make leaked secrets recognisable by secret scanners.
const (
	clientSecretPrefix  = "shelf_cs_"
	webhookSecretPrefix = "whsec_"
)

// NewApp describes an app to register; an alias of the domain type, kept
// so callers may say store.NewApp.
type NewApp = shelf.NewApp

// CreateApp registers an app of a partner org. The credentials are returned
// once: the client secret is stored hashed, the webhook secret sealed.
func (s *Store) CreateApp(ctx context.Context, n NewApp) (*shelf.App, *shelf.AppCredentials, error) {
	if s.box == nil {
		return nil, nil, errors.New("create app: no secret key configured")
	}
	name, err := shelf.CleanName("name", n.Name, 100)
	if err != nil {
		return nil, nil, err
	}
	if err := shelf.CheckAppKind("kind", n.Kind); err != nil {
		return nil, nil, err
	}
	a := &shelf.App{ID: shelf.NewID("app"), OrgID: n.OrgID, Kind: n.Kind, Name: name, State: shelf.AppDraft, Registration: shelf.AppActive, ClientID: shelf.NewID("cli")}
	if a.NameEn, err = optionalName("name_en", n.NameEn); err != nil {
		return nil, nil, err
	}
	if a.HomepageURL, err = shelf.CheckAppURL("homepage_url", n.HomepageURL, false); err != nil {
		return nil, nil, err
	}
	if a.LaunchURL, err = shelf.CheckAppURL("launch_url", n.LaunchURL, false); err != nil {
		return nil, nil, err
	}
	if a.WebhookURL, err = shelf.CheckAppURL("webhook_url", n.WebhookURL, false); err != nil {
		return nil, nil, err
	}
	creds := &shelf.AppCredentials{ClientSecret: secret.NewToken(clientSecretPrefix), WebhookSecret: secret.NewToken(webhookSecretPrefix)}
	err = s.Update(ctx, func(tx *Tx) error {
		org, err := orgTx(ctx, tx, n.OrgID)
		if err != nil {
			return err
		}
		if org.Kind != shelf.OrgPartner || org.Test {
			return shelf.Errorf(shelf.KindInvalid, "not_a_partner", "only partner orgs register apps")
		}
		a.CreatedAt, a.UpdatedAt = tx.Now(), tx.Now()
		var creator any
		if n.CreatorID != "" {
			creator = n.CreatorID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO apps (id, org_id, kind, name, name_en, state, homepage_url, launch_url, webhook_url,
			client_id, client_secret_hash, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $13, $5, $6, $7, $8, $9, $10, $11, $12, $12)`,
			a.ID, a.OrgID, a.Kind, a.Name, a.Registration, a.HomepageURL, a.LaunchURL, a.WebhookURL, a.ClientID,
			secret.HashToken(creds.ClientSecret), creator, micros(tx.Now()), a.NameEn); err != nil {
			return err
		}
		if err := audit(ctx, tx, n.CreatorID, "app.create", "app", a.ID, nil, a, ""); err != nil {
			return err
		}
		return s.addSigningSecret(ctx, tx, a.ID, creds.WebhookSecret)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("create app: %w", err)
	}
	return a, creds, nil
}

func (s *Store) addSigningSecret(ctx context.Context, tx *Tx, appID, plain string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO app_signing_secrets (id, app_id, sealed, created_at) VALUES ($1, $2, $3, $4)`,
		shelf.NewID("whs"), appID, s.box.Seal(plain, appID), micros(tx.Now()))
	return err
}

const appColumns = `a.id, a.org_id, a.kind, a.name, a.name_en, a.state, a.homepage_url, a.launch_url, a.webhook_url, a.client_id, a.created_at, a.updated_at,
	(SELECT MAX(expires_at) FROM app_signing_secrets s WHERE s.app_id = a.id AND s.expires_at > $1),
	(SELECT l.state FROM listings l WHERE l.app_id = a.id),
	(SELECT r.state FROM revisions r JOIN listings l ON l.id = r.listing_id WHERE l.app_id = a.id ORDER BY r.number DESC LIMIT 1),
	(SELECT t.passed FROM self_tests t WHERE t.app_id = a.id ORDER BY t.started_at DESC, t.id DESC LIMIT 1),
	(SELECT t.config_hash FROM self_tests t WHERE t.app_id = a.id ORDER BY t.started_at DESC, t.id DESC LIMIT 1)`

// scanApp reads appColumns; the app's state is derived from the facts its
// last four columns read (listing, newest revision, latest self-test).
func scanApp(row interface{ Scan(...any) error }, a *shelf.App) error {
	var created, updated int64
	var rotating sql.NullInt64
	var listing, revision, testHash sql.NullString
	var testPassed sql.NullBool
	if err := row.Scan(&a.ID, &a.OrgID, &a.Kind, &a.Name, &a.NameEn, &a.Registration, &a.HomepageURL, &a.LaunchURL, &a.WebhookURL,
		&a.ClientID, &created, &updated, &rotating, &listing, &revision, &testPassed, &testHash); err != nil {
		return err
	}
	a.CreatedAt, a.UpdatedAt, a.SecretRotatingUntil = fromMicros(created), fromMicros(updated), nullMicros(rotating)
	a.State = shelf.DeriveAppState(shelf.AppFacts{Listing: shelf.ListingState(listing.String), Revision: shelf.RevisionState(revision.String),
		SelfTestPassed: testPassed.Bool, SelfTestCurrent: testHash.Valid && testHash.String == a.ConfigHash()})
	return nil
}

func appTx(ctx context.Context, q queryer, now time.Time, where string, arg any) (*shelf.App, error) {
	var a shelf.App
	err := scanApp(q.QueryRowContext(ctx, `SELECT `+appColumns+` FROM apps a WHERE `+where, micros(now), arg), &a)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("app")
	}
	if err != nil {
		return nil, fmt.Errorf("get app: %w", err)
	}
	return &a, nil
}

// App returns an app by id.
func (s *Store) App(ctx context.Context, id string) (*shelf.App, error) {
	return appTx(ctx, s.read, s.clock.Now(), `a.id = $2`, id)
}

// appsOrder pages a partner's apps by name (index apps_org_name).
var appsOrder = keyset{cols: []string{"a.name", "a.id"}}

// Apps lists one page of a partner org's apps by name.
func (s *Store) Apps(ctx context.Context, orgID string, p shelf.PageReq) ([]shelf.App, error) {
	return s.SearchApps(ctx, orgID, "", p)
}

// SearchApps is Apps narrowed to the apps whose Chinese or English name
// contains name (in any case; "" is all of them), tested on
// the org's apps as the name index reads them: bounded by one partner's
// apps.
func (s *Store) SearchApps(ctx context.Context, orgID, name string, p shelf.PageReq) ([]shelf.App, error) {
	where, args := s.dialect.nameContains(name, []any{micros(s.clock.Now()), orgID}, "a.name", "a.name_en")
	tail, args, err := appsOrder.page(p, args)
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, `SELECT `+appColumns+` FROM apps a WHERE a.org_id = $2`+where+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("apps: %w", err)
	}
	defer rows.Close()
	out := []shelf.App{}
	for rows.Next() {
		var a shelf.App
		if err := scanApp(rows, &a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AppPatch changes an app's fields; an alias of the domain type.
type AppPatch = shelf.AppPatch

// UpdateApp changes an app. Checking that a webhook URL may be reached is
// the caller's job (the events guard), before calling.
func (s *Store) UpdateApp(ctx context.Context, id string, p AppPatch) (*shelf.App, error) {
	var a *shelf.App
	err := s.Update(ctx, func(tx *Tx) error {
		var err error
		if a, err = appTx(ctx, tx, tx.Now(), `a.id = $2`, id); err != nil {
			return err
		}
		before := *a
		if p.Name != nil {
			if a.Name, err = shelf.CleanName("name", *p.Name, 100); err != nil {
				return err
			}
		}
		if p.NameEn != nil {
			if a.NameEn, err = optionalName("name_en", *p.NameEn); err != nil {
				return err
			}
		}
		for _, f := range []struct {
			name string
			in   *string
			out  *string
		}{{"homepage_url", p.HomepageURL, &a.HomepageURL}, {"launch_url", p.LaunchURL, &a.LaunchURL}, {"webhook_url", p.WebhookURL, &a.WebhookURL}} {
			if f.in != nil {
				if *f.out, err = shelf.CheckAppURL(f.name, *f.in, false); err != nil {
					return err
				}
			}
		}
		a.UpdatedAt = tx.Now()
		if _, err = tx.ExecContext(ctx, `UPDATE apps SET name = $1, name_en = $7, homepage_url = $2, launch_url = $3, webhook_url = $4, updated_at = $5 WHERE id = $6`,
			a.Name, a.HomepageURL, a.LaunchURL, a.WebhookURL, micros(tx.Now()), id, a.NameEn); err != nil {
			return err
		}
		if a, err = appTx(ctx, tx, tx.Now(), `a.id = $2`, id); err != nil { // the state follows the new URLs
			return err
		}
		return audit(ctx, tx, p.ByUserID, "app.update", "app", id, &before, a, "")
	})
	if err != nil {
		return nil, fmt.Errorf("update app %s: %w", id, err)
	}
	return a, nil
}

// RotateWebhookSecret makes a new signing secret and returns it (once). The
// current secret keeps signing alongside it for shelf.SecretOverlap; a
// secret already on its way out stops now, so at most two ever sign.
func (s *Store) RotateWebhookSecret(ctx context.Context, appID, byUserID string) (string, error) {
	if s.box == nil {
		return "", errors.New("rotate webhook secret: no secret key configured")
	}
	plain := secret.NewToken(webhookSecretPrefix)
	err := s.Update(ctx, func(tx *Tx) error {
		if _, err := appTx(ctx, tx, tx.Now(), `a.id = $2`, appID); err != nil {
			return err
		}
		now := micros(tx.Now())
		if _, err := tx.ExecContext(ctx, `UPDATE app_signing_secrets SET expires_at = $1 WHERE app_id = $2 AND expires_at > $1`, now, appID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE app_signing_secrets SET expires_at = $1 WHERE app_id = $2 AND expires_at IS NULL`,
			micros(tx.Now().Add(shelf.SecretOverlap)), appID); err != nil {
			return err
		}
		if err := s.addSigningSecret(ctx, tx, appID, plain); err != nil {
			return err
		}
		return audit(ctx, tx, byUserID, "app.rotate_secret", "app", appID, nil, nil, "")
	})
	if err != nil {
		return "", fmt.Errorf("rotate webhook secret: %w", err)
	}
	return plain, nil
}

// optionalName cleans a name that may be left empty.
func optionalName(field, v string) (string, error) {
	if strings.TrimSpace(v) == "" {
		return "", nil
	}
	return shelf.CleanName(field, v, 100)
}

// signingSecrets returns an app's signing secrets in force at now, the
// current one first.
func (s *Store) signingSecrets(ctx context.Context, q queryer, appID string, now time.Time) ([]string, error) {
	if s.box == nil {
		return nil, errors.New("signing secrets: no secret key configured")
	}
	rows, err := q.QueryContext(ctx, `SELECT sealed FROM app_signing_secrets WHERE app_id = $1 AND (expires_at IS NULL OR expires_at > $2)
		ORDER BY CASE WHEN expires_at IS NULL THEN 0 ELSE 1 END, created_at DESC, id`, appID, micros(now))
	if err != nil {
		return nil, fmt.Errorf("signing secrets: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var sealed string
		if err := rows.Scan(&sealed); err != nil {
			return nil, err
		}
		plain, err := s.box.Open(sealed, appID)
		if err != nil {
			return nil, fmt.Errorf("signing secret of app %s: %w", appID, err)
		}
		out = append(out, plain)
	}
	return out, rows.Err()
}

// SigningSecrets returns an app's signing secrets in force now, newest
// first (the console never shows them; tests and the dispatcher use them).
func (s *Store) SigningSecrets(ctx context.Context, appID string) ([]string, error) {
	return s.signingSecrets(ctx, s.read, appID, s.clock.Now())
}

// AuthenticateApp checks an app's client credentials (the vendor API's
// HTTP Basic) and returns the app.
func (s *Store) AuthenticateApp(ctx context.Context, clientID, clientSecret string) (*shelf.App, error) {
	bad := &shelf.Error{Kind: shelf.KindUnauthenticated, Code: "invalid_client", Message: "unknown client id or wrong client secret"}
	var id, hash string
	err := s.read.QueryRowContext(ctx, `SELECT id, client_secret_hash FROM apps WHERE client_id = $1`, clientID).Scan(&id, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, bad
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate app: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(secret.HashToken(clientSecret)), []byte(hash)) != 1 {
		return nil, bad
	}
	return s.App(ctx, id)
}
