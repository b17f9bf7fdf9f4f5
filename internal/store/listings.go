package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// CreateRevision starts a revision of an app's listing (creating the
// listing on first use). A listing has at most one revision being edited or
// reviewed: while one exists, another is refused with 409 draft_exists.
func (s *Store) CreateRevision(ctx context.Context, appID, byUserID string, r *shelf.Revision) (*shelf.RevisionInfo, error) {
	clearMeta(r)
	r.Normalize()
	if err := r.CheckDraft(); err != nil {
		return nil, err
	}
	var info *shelf.RevisionInfo
	err := s.Update(ctx, func(tx *Tx) error {
		app, err := appTx(ctx, tx, tx.Now(), `a.id = $2`, appID)
		if err != nil {
			return err
		}
		if app.Kind == shelf.AppCool {
			return shelf.ErrCoolAppApplicationRequired()
		}
		listingID, err := listingForApp(ctx, tx, app)
		if err != nil {
			return err
		}
		var open string
		err = tx.QueryRowContext(ctx, `SELECT id FROM revisions WHERE listing_id = $1 AND state IN ('draft', 'submitted', 'rejected')`, listingID).Scan(&open)
		if err == nil {
			return &shelf.Error{Kind: shelf.KindConflict, Code: "draft_exists", Message: "the listing already has revision " + open + " in progress: edit or withdraw it"}
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := resolveRevision(ctx, tx, app.OrgID, r); err != nil {
			return err
		}
		var number int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM revisions WHERE listing_id = $1`, listingID).Scan(&number); err != nil {
			return err
		}
		doc, err := json.Marshal(r)
		if err != nil {
			return err
		}
		id := shelf.NewID("rev")
		_, err = tx.ExecContext(ctx, `INSERT INTO revisions (id, listing_id, number, state, category_id, doc, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $7)`, id, listingID, number, r.CategoryID, string(doc), byUserID, micros(tx.Now()))
		if isUniqueViolation(err) {
			return errConcurrent // another revision was started at the same moment
		}
		if err != nil {
			return err
		}
		if err := audit(ctx, tx, byUserID, "revision.create", "revision", id, nil, r, ""); err != nil {
			return err
		}
		info, err = revisionTx(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("create revision: %w", err)
	}
	return info, nil
}

// clearMeta drops what a client may not set on a revision (its id, state,
// times): they come from storage, and a forged "state" must not even reach
// the stored document or the audit log.
func clearMeta(r *shelf.Revision) {
	r.ID, r.ListingID, r.State = "", "", ""
	r.CreatedAt, r.UpdatedAt = time.Time{}, time.Time{}
}

// listingForApp returns the app's listing id, creating an unlisted one.
func listingForApp(ctx context.Context, tx *Tx, app *shelf.App) (string, error) {
	var id string
	err := tx.QueryRowContext(ctx, `SELECT id FROM listings WHERE app_id = $1`, app.ID).Scan(&id)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return id, err
	}
	// ON CONFLICT: a concurrent first revision may have made it meanwhile.
	if _, err = tx.ExecContext(ctx, `INSERT INTO listings (id, app_id, org_id, state, created_at, updated_at) VALUES ($1, $2, $3, 'unlisted', $4, $4)
		ON CONFLICT (app_id) DO NOTHING`, shelf.NewID("lst"), app.ID, app.OrgID, micros(tx.Now())); err != nil {
		return "", err
	}
	err = tx.QueryRowContext(ctx, `SELECT id FROM listings WHERE app_id = $1`, app.ID).Scan(&id)
	return id, err
}

// resolveRevision checks what a revision refers to: the category must be a
// live leaf of the tree, and images must be the org's own uploads (their
// facts are taken from storage, not from the client).
func resolveRevision(ctx context.Context, tx *Tx, orgID string, r *shelf.Revision) error {
	if r.CategoryID != "" {
		c, err := categoryTx(ctx, tx, r.CategoryID)
		if err != nil || c.Archived {
			return shelf.FieldError("category_id", "category_unknown", "no category %s", r.CategoryID)
		}
		var children int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM categories WHERE parent_id = $1 AND archived = FALSE`, c.ID).Scan(&children); err != nil {
			return err
		}
		if children > 0 {
			return shelf.FieldError("category_id", "category_not_leaf", "choose a sub-category of %s", c.NameEn)
		}
	}
	if r.Icon != nil {
		img, err := mediaInfo(ctx, tx, orgID, "icon", r.Icon.ID)
		if err != nil {
			return err
		}
		if err := shelf.CheckIcon("icon", img.ImageInfo); err != nil {
			return err
		}
		r.Icon = img
	}
	for i := range r.Screenshots {
		field := fmt.Sprintf("screenshots[%d]", i)
		img, err := mediaInfo(ctx, tx, orgID, field, r.Screenshots[i].ID)
		if err != nil {
			return err
		}
		if err := shelf.CheckScreenshot(field, img.ImageInfo); err != nil {
			return err
		}
		r.Screenshots[i] = *img
	}
	return nil
}

// changeRevision runs change on a revision in a write transaction and
// returns the revision as it is afterwards; what names the change in errors.
func (s *Store) changeRevision(ctx context.Context, revID, what string, change func(tx *Tx, cur *shelf.RevisionInfo) error) (*shelf.RevisionInfo, error) {
	var info *shelf.RevisionInfo
	err := s.Update(ctx, func(tx *Tx) error {
		cur, err := revisionTx(ctx, tx, revID)
		if err != nil {
			return err
		}
		if err := change(tx, cur); err != nil {
			return err
		}
		info, err = revisionTx(ctx, tx, revID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return info, nil
}

// SaveRevision replaces a draft's fields. A rejected revision becomes a
// draft again when edited; a submitted one must be withdrawn first.
func (s *Store) SaveRevision(ctx context.Context, revID, byUserID string, r *shelf.Revision) (*shelf.RevisionInfo, error) {
	clearMeta(r)
	r.Normalize()
	if err := r.CheckDraft(); err != nil {
		return nil, err
	}
	return s.changeRevision(ctx, revID, fmt.Sprintf("save revision %s", revID), func(tx *Tx, cur *shelf.RevisionInfo) error {
		state := cur.State
		if state != shelf.RevisionDraft {
			var err error
			if state, err = shelf.NextRevisionState(cur.State, shelf.ReviseEdit); err != nil {
				return err
			}
		}
		if err := resolveRevision(ctx, tx, cur.OrgID, r); err != nil {
			return err
		}
		doc, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if err := tx.execOne(ctx, `UPDATE revisions SET state = $1, category_id = $2, doc = $3, updated_at = $4 WHERE id = $5 AND state = $6`,
			state, r.CategoryID, string(doc), micros(tx.Now()), revID, cur.State); err != nil {
			return err
		}
		if err := audit(ctx, tx, byUserID, "revision.save", "revision", revID, &cur.Revision, r, ""); err != nil {
			return err
		}
		return nil
	})
}

const revisionSelect = `SELECT r.id, r.listing_id, r.number, r.state, r.doc, r.self_test_id, r.reasons, r.created_by,
	r.submitted_at, r.decided_at, r.decided_by, r.created_at, r.updated_at, l.app_id, l.org_id
	FROM revisions r JOIN listings l ON l.id = r.listing_id `

func scanRevision(row interface{ Scan(...any) error }) (*shelf.RevisionInfo, error) {
	var ri shelf.RevisionInfo
	var id, listingID, doc, reasons string
	var state shelf.RevisionState
	var submitted, decided sql.NullInt64
	var created, updated int64
	if err := row.Scan(&id, &listingID, &ri.Number, &state, &doc, &ri.SelfTestID, &reasons, &ri.CreatedBy,
		&submitted, &decided, &ri.DecidedBy, &created, &updated, &ri.AppID, &ri.OrgID); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(doc), &ri.Revision); err != nil {
		return nil, fmt.Errorf("revision %s: %w", id, err)
	}
	if reasons != "" {
		ri.Decision = &shelf.ReviewDecision{}
		if err := json.Unmarshal([]byte(reasons), ri.Decision); err != nil {
			return nil, fmt.Errorf("revision %s reasons: %w", id, err)
		}
	}
	ri.ID, ri.ListingID, ri.State = id, listingID, state
	ri.SubmittedAt, ri.DecidedAt = nullMicros(submitted), nullMicros(decided)
	ri.CreatedAt, ri.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &ri, nil
}

func revisionTx(ctx context.Context, q queryer, id string) (*shelf.RevisionInfo, error) {
	ri, err := scanRevision(q.QueryRowContext(ctx, revisionSelect+`WHERE r.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("revision")
	}
	if err != nil {
		return nil, fmt.Errorf("get revision: %w", err)
	}
	return ri, nil
}

// Revision returns one revision.
func (s *Store) Revision(ctx context.Context, id string) (*shelf.RevisionInfo, error) {
	return revisionTx(ctx, s.read, id)
}

// Revisions lists a listing's revisions, newest first: the partner's
// history of what changed and what reviewers said.
func (s *Store) Revisions(ctx context.Context, listingID string) ([]shelf.RevisionInfo, error) {
	rows, err := s.read.QueryContext(ctx, revisionSelect+`WHERE r.listing_id = $1 ORDER BY r.number DESC`, listingID)
	if err != nil {
		return nil, fmt.Errorf("revisions: %w", err)
	}
	defer rows.Close()
	out := []shelf.RevisionInfo{}
	for rows.Next() {
		ri, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *ri)
	}
	return out, rows.Err()
}
