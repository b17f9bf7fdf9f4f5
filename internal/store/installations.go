package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
)

// Install authorizes an app into an org (or a group) and tells the vendor
// with app.installed in the same transaction. Installing what is already
// installed changes nothing and returns the installation with created
// false, so a double click or a retry never duplicates anything; a
// reinstall after an uninstall reactivates the same installation.
func (s *Store) Install(ctx context.Context, n shelf.NewInstallation) (inst *shelf.Installation, created bool, err error) {
	err = s.Update(ctx, func(tx *Tx) error {
		inst, created, err = install(ctx, tx, n)
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("install %s: %w", n.AppID, err)
	}
	return inst, created, nil
}

func install(ctx context.Context, tx *Tx, n shelf.NewInstallation) (*shelf.Installation, bool, error) {
	org, err := orgTx(ctx, tx, n.OrgID)
	if err != nil {
		return nil, false, err
	}
	if err := checkInstallable(ctx, tx, n, org); err != nil {
		return nil, false, err
	}
	cur, err := installationWhere(ctx, tx, `app_id = $1 AND org_id = $2 AND group_id = $3`, n.AppID, n.OrgID, n.GroupID)
	if err != nil && shelf.ErrorKind(err) != shelf.KindNotFound {
		return nil, false, err
	}
	if cur != nil && cur.Status == shelf.InstallActive {
		return cur, false, nil
	}
	// What brought the install: the channel named, else the installer's
	// last touch of the listing. Its code and state go to the vendor.
	var touch *shelf.PromoTouch
	if _, builtin := shelf.BuiltinApps[n.AppID]; !builtin && n.GroupID == "" {
		if touch, err = promoTouch(ctx, tx, micros(tx.Now()), n.AppID, n.ByUserID, n.Channel); err != nil {
			return nil, false, err
		}
	}
	n.Channel, n.State = "", ""
	if touch != nil {
		n.Channel, n.State = touch.Code, touch.State
	}
	inst := &shelf.Installation{ID: shelf.NewID("ins"), AppID: n.AppID, OrgID: n.OrgID, GroupID: n.GroupID, Status: shelf.InstallActive,
		Channel: n.Channel, InstalledBy: n.ByUserID, CreatedAt: tx.Now(), UpdatedAt: tx.Now()}
	if cur != nil {
		inst.ID, inst.CreatedAt = cur.ID, cur.CreatedAt
		err = tx.execOne(ctx, `UPDATE installations SET status = 'active', channel = $1, installed_by = $2, updated_at = $3 WHERE id = $4 AND status = $5`,
			n.Channel, n.ByUserID, micros(tx.Now()), cur.ID, cur.Status)
		if err == errConcurrent {
			// A concurrent reinstall (a double click) won: answer with it.
			cur, err := installationWhere(ctx, tx, `id = $1`, cur.ID)
			if err == nil && cur.Status != shelf.InstallActive {
				err = errConcurrent
			}
			return cur, false, err
		}
	} else {
		var res sql.Result
		res, err = tx.ExecContext(ctx, `INSERT INTO installations (id, app_id, org_id, group_id, status, channel, installed_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $7) ON CONFLICT (app_id, org_id, group_id) DO NOTHING`,
			inst.ID, n.AppID, n.OrgID, n.GroupID, n.Channel, n.ByUserID, micros(tx.Now()))
		if err == nil {
			if added, _ := res.RowsAffected(); added == 0 {
				// A concurrent install (a double click) won: answer with its installation.
				cur, err := installationWhere(ctx, tx, `app_id = $1 AND org_id = $2 AND group_id = $3`, n.AppID, n.OrgID, n.GroupID)
				return cur, false, err
			}
		}
	}
	if err != nil {
		return nil, false, err
	}
	if err := audit(ctx, tx, n.ByUserID, "installation.install", "installation", inst.ID, nil, inst, ""); err != nil {
		return nil, false, err
	}
	if err := promoConvert(ctx, tx, touch, "install", n.OrgID, n.ByUserID, inst.ID, 0, ""); err != nil {
		return nil, false, err
	}
	if n.GroupID != "" {
		if err := emitCoolInstalled(ctx, tx, inst); err != nil {
			return nil, false, err
		}
		return inst, true, coolFreeLicense(ctx, tx, n.AppID, n.OrgID, n.ByUserID)
	}
	if _, builtin := shelf.BuiltinApps[n.AppID]; !builtin {
		code := ""
		if n.GroupID == "" {
			if code, err = issueInstallCode(ctx, tx, n.AppID, n.OrgID); err != nil {
				return nil, false, err
			}
		}
		if _, err := tx.Emit(ctx, n.AppID, n.OrgID, shelf.EventAppInstalled, shelf.AppInstalled{
			InstallationID: inst.ID, GroupID: n.GroupID, InstalledBy: n.ByUserID, Channel: n.Channel, State: n.State, AuthCode: code,
		}); err != nil {
			return nil, false, err
		}
	}
	return inst, true, nil
}

// checkInstallable applies the install rules: built-in apps only into
// their org kind; partner apps into customer orgs (test orgs included),
// cool apps only into a group of the org, org apps never into a group.
func checkInstallable(ctx context.Context, tx *Tx, n shelf.NewInstallation, org *shelf.Org) error {
	if b, ok := shelf.BuiltinApps[n.AppID]; ok {
		if org.Kind != b.ForKind || org.Test || n.GroupID != "" {
			return shelf.FieldError("app_id", "app_not_installable", "%s can only be installed in a %s org", b.NameEn, b.ForKind)
		}
		return nil
	}
	app, err := appTx(ctx, tx, tx.Now(), `a.id = $2`, n.AppID)
	if shelf.ErrorKind(err) == shelf.KindNotFound {
		return shelf.FieldError("app_id", "unknown_app", "no app %s", n.AppID)
	}
	if err != nil {
		return err
	}
	if org.Kind != shelf.OrgCustomer {
		return shelf.FieldError("app_id", "app_not_installable", "apps are installed into customer orgs")
	}
	if err := checkAvailable(ctx, tx, app, org); err != nil {
		return err
	}
	switch {
	case app.Kind == shelf.AppCool && n.GroupID == "":
		return shelf.FieldError("group_id", "group_required", "a cool app is installed into a group chat: give group_id")
	case app.Kind == shelf.AppOrg && n.GroupID != "":
		return shelf.FieldError("group_id", "group_not_allowed", "an org app is installed into the whole org, not a group")
	}
	if n.GroupID != "" {
		g, err := groupTx(ctx, tx, n.GroupID)
		if err != nil || g.OrgID != n.OrgID {
			return shelf.FieldError("group_id", "unknown_group", "no group %s in this org", n.GroupID)
		}
		if err := checkPartnerInGoodStanding(ctx, tx, app, org); err != nil {
			return err
		}
		return checkCoolSubscription(ctx, tx, app, org)
	}
	return nil
}

// checkAvailable lets an app be installed only where it may be: anywhere
// while its listing is live (in the market or through the partner's own
// channel), and into its own partner's test orgs before that (the
// self-test). A draft, rejected, delisted or taken-down app cannot be
// installed by guessing its id.
func checkAvailable(ctx context.Context, tx *Tx, app *shelf.App, org *shelf.Org) error {
	if org.Test && org.OwnerOrgID == app.OrgID {
		return nil
	}
	var state shelf.ListingState
	err := tx.QueryRowContext(ctx, `SELECT state FROM listings WHERE app_id = $1`, app.ID).Scan(&state)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if state != shelf.ListingListed || app.Registration != shelf.AppActive {
		return shelf.FieldError("app_id", "app_not_available", "this app is not listed; it can only be installed once it is live")
	}
	return nil
}

// Uninstall ends an installation and tells the vendor; the data stays.
func (s *Store) Uninstall(ctx context.Context, installationID, byUserID string) error {
	return s.Update(ctx, func(tx *Tx) error {
		inst, err := installationWhere(ctx, tx, `id = $1`, installationID)
		if err != nil {
			return err
		}
		if inst.Status != shelf.InstallActive {
			return nil
		}
		// Conditional: of two uninstalls at once (a double click) only one
		// changes the row, and only that one tells the vendor.
		err = tx.execOne(ctx, `UPDATE installations SET status = 'uninstalled', updated_at = $1 WHERE id = $2 AND status = $3`,
			micros(tx.Now()), inst.ID, inst.Status)
		if err == errConcurrent {
			return nil // the other one uninstalled it
		}
		if err != nil {
			return err
		}
		if err := audit(ctx, tx, byUserID, "installation.uninstall", "installation", inst.ID, inst, nil, ""); err != nil {
			return err
		}
		if _, builtin := shelf.BuiltinApps[inst.AppID]; builtin {
			return nil
		}
		// A cool app's org token serves all its groups: it ends with the last.
		if err := requireInstalled(ctx, tx, inst.AppID, inst.OrgID); err == errGrant {
			if err := revokeInstallTokens(ctx, tx, inst.AppID, inst.OrgID); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		_, err = tx.Emit(ctx, inst.AppID, inst.OrgID, shelf.EventAppUninstalled, shelf.AppUninstalled{
			InstallationID: inst.ID, GroupID: inst.GroupID, UninstalledBy: byUserID,
		})
		return err
	})
}

const installationColumns = `id, app_id, org_id, group_id, status, channel, installed_by, created_at, updated_at`

func scanInstallation(row interface{ Scan(...any) error }) (*shelf.Installation, error) {
	var i shelf.Installation
	var created, updated int64
	if err := row.Scan(&i.ID, &i.AppID, &i.OrgID, &i.GroupID, &i.Status, &i.Channel, &i.InstalledBy, &created, &updated); err != nil {
		return nil, err
	}
	i.CreatedAt, i.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &i, nil
}

func installationWhere(ctx context.Context, q queryer, where string, args ...any) (*shelf.Installation, error) {
	i, err := scanInstallation(q.QueryRowContext(ctx, `SELECT `+installationColumns+` FROM installations WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("installation")
	}
	if err != nil {
		return nil, fmt.Errorf("get installation: %w", err)
	}
	return i, nil
}

// Installation returns one installation.
func (s *Store) Installation(ctx context.Context, id string) (*shelf.Installation, error) {
	return installationWhere(ctx, s.read, `id = $1`, id)
}

// installationsOrder pages an org's installations oldest first (index installations_org_active).
var installationsOrder = keyset{cols: []string{"created_at", "id"}}

// Installations lists one page of an org's active installations, oldest first.
func (s *Store) Installations(ctx context.Context, orgID string, p shelf.PageReq) ([]shelf.Installation, error) {
	tail, args, err := installationsOrder.page(p, []any{orgID})
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, `SELECT `+installationColumns+` FROM installations WHERE org_id = $1 AND status = 'active'`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("installations: %w", err)
	}
	defer rows.Close()
	out := []shelf.Installation{}
	for rows.Next() {
		i, err := scanInstallation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *i)
	}
	return out, rows.Err()
}

// IsInstalled reports whether an app is actively installed in the org:
// org-wide, or (a cool app) in one of its groups, whose members then sign
// in to it.
func (s *Store) IsInstalled(ctx context.Context, appID, orgID string) (bool, error) {
	var one int
	err := s.read.QueryRowContext(ctx, `SELECT 1 FROM installations WHERE app_id = $1 AND org_id = $2 AND status = 'active' LIMIT 1`, appID, orgID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("is installed: %w", err)
	}
	return true, nil
}
