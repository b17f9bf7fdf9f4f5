package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shelfhq/shelf/internal/secret"
	"github.com/shelfhq/shelf/internal/shelf"
)

// CreateOrg creates an org with its creator as admin.
func (s *Store) CreateOrg(ctx context.Context, n shelf.NewOrg) (*shelf.Org, error) {
	name, err := shelf.CleanName("name", n.Name, 100)
	if err != nil {
		return nil, err
	}
	if n.Kind != shelf.OrgPlatform && n.Kind != shelf.OrgPartner && n.Kind != shelf.OrgCustomer {
		return nil, shelf.FieldError("kind", "invalid_org_kind", "unknown org kind %q", n.Kind)
	}
	o := &shelf.Org{ID: shelf.NewID("org"), Name: name, Kind: n.Kind, OwnerOrgID: n.OwnerOrgID, Test: n.OwnerOrgID != ""}
	err = s.Update(ctx, func(tx *Tx) error {
		o.CreatedAt = tx.Now()
		if o.Kind == shelf.OrgPlatform {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM orgs WHERE kind = 'platform'`).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return shelf.Errorf(shelf.KindConflict, "platform_org_exists", "there is already a platform org")
			}
		}
		if o.Test {
			owner, err := orgTx(ctx, tx, o.OwnerOrgID)
			if err != nil {
				return err
			}
			if owner.Kind != shelf.OrgPartner || owner.Test {
				return shelf.Errorf(shelf.KindInvalid, "not_a_partner", "only a partner org can own test orgs")
			}
		}
		var owner any
		if o.OwnerOrgID != "" {
			owner = o.OwnerOrgID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO orgs (id, name, kind, owner_org_id, test, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			o.ID, o.Name, o.Kind, owner, o.Test, micros(tx.Now())); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ($1, $2, 'admin', $3)`,
			o.ID, n.CreatorID, micros(tx.Now()))
		if isForeignKeyViolation(err) {
			return shelf.NotFound("user")
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, n.CreatorID, "org.create", "org", o.ID, nil, o, "")
	})
	if err != nil {
		return nil, fmt.Errorf("create org: %w", err)
	}
	return o, nil
}

const orgColumns = `id, name, kind, COALESCE(owner_org_id, ''), test, partner_program, created_at`

func scanOrg(row interface{ Scan(...any) error }, o *shelf.Org, extra ...any) error {
	var created int64
	dest := append([]any{&o.ID, &o.Name, &o.Kind, &o.OwnerOrgID, &o.Test, &o.PartnerProgram, &created}, extra...)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	o.CreatedAt = fromMicros(created)
	return nil
}

func orgTx(ctx context.Context, q queryer, id string) (*shelf.Org, error) {
	var o shelf.Org
	err := scanOrg(q.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM orgs WHERE id = $1`, id), &o)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("org")
	}
	if err != nil {
		return nil, fmt.Errorf("get org %s: %w", id, err)
	}
	return &o, nil
}

// Org returns an org by id.
func (s *Store) Org(ctx context.Context, id string) (*shelf.Org, error) {
	return orgTx(ctx, s.read, id)
}

// PlatformOrg returns the platform org.
func (s *Store) PlatformOrg(ctx context.Context) (*shelf.Org, error) {
	var o shelf.Org
	err := scanOrg(s.read.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM orgs WHERE kind = 'platform'`), &o)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("platform org")
	}
	return &o, err
}

// orgsForUserOrder pages a user's orgs in the order they joined them: the
// membership index (user_id, created_at, org_id) serves it, however many
// orgs the person is in.
var orgsForUserOrder = keyset{cols: []string{"m.created_at", "m.org_id"}}

// OrgsForUser lists one page of the orgs a user belongs to, with their
// role, in the order they joined them.
func (s *Store) OrgsForUser(ctx context.Context, userID string, p shelf.PageReq) ([]shelf.OrgWithRole, error) {
	return s.SearchOrgsForUser(ctx, userID, "", p)
}

// SearchOrgsForUser is OrgsForUser narrowed to the orgs whose name
// contains name (in any case; "" is all of them). The
// membership index still serves the order: the name is tested on the
// person's memberships as that index reads them, so the cost is bounded by
// the orgs one person is in, never by all the orgs there are.
func (s *Store) SearchOrgsForUser(ctx context.Context, userID, name string, p shelf.PageReq) ([]shelf.OrgWithRole, error) {
	where, args := s.dialect.nameContains(name, []any{userID}, "o.name")
	tail, args, err := orgsForUserOrder.page(p, args)
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, `SELECT o.id, o.name, o.kind, COALESCE(o.owner_org_id, ''), o.test, o.partner_program, o.created_at, m.role, m.created_at
		FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.user_id = $1`+where+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("orgs for user: %w", err)
	}
	defer rows.Close()
	out := []shelf.OrgWithRole{}
	for rows.Next() {
		var o shelf.OrgWithRole
		var joined int64
		if err := scanOrg(rows, &o.Org, &o.Role, &joined); err != nil {
			return nil, err
		}
		o.JoinedAt = fromMicros(joined)
		out = append(out, o)
	}
	return out, rows.Err()
}

// testOrgsOrder pages a partner's test orgs oldest first (index orgs_owner_created).
var testOrgsOrder = keyset{cols: []string{"created_at", "id"}}

// TestOrgs lists one page of the test orgs owned by a partner org.
func (s *Store) TestOrgs(ctx context.Context, partnerOrgID string, p shelf.PageReq) ([]shelf.Org, error) {
	tail, args, err := testOrgsOrder.page(p, []any{partnerOrgID})
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, `SELECT `+orgColumns+` FROM orgs WHERE owner_org_id = $1`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("test orgs: %w", err)
	}
	defer rows.Close()
	out := []shelf.Org{}
	for rows.Next() {
		var o shelf.Org
		if err := scanOrg(rows, &o); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// SetPartnerProgram records whether a partner org is a partner-program
// member; byUserID is who decided.
func (s *Store) SetPartnerProgram(ctx context.Context, orgID string, member bool, byUserID string) error {
	return s.Update(ctx, func(tx *Tx) error {
		o, err := orgTx(ctx, tx, orgID)
		if err != nil {
			return err
		}
		if o.Kind != shelf.OrgPartner || o.Test {
			return shelf.Errorf(shelf.KindInvalid, "not_a_partner", "only partner orgs join the partner program")
		}
		if o.PartnerProgram == member {
			return nil // already so: nothing changed, nothing to audit
		}
		if err := tx.execOne(ctx, `UPDATE orgs SET partner_program = $1 WHERE id = $2 AND partner_program = $3`, member, orgID, o.PartnerProgram); err != nil {
			return err
		}
		return audit(ctx, tx, byUserID, "org.partner_program", "org", orgID,
			map[string]bool{"partner_program": o.PartnerProgram}, map[string]bool{"partner_program": member}, "")
	})
}

// MemberRole returns a user's role in an org; ok is false for non-members.
func (s *Store) MemberRole(ctx context.Context, orgID, userID string) (role shelf.Role, ok bool, err error) {
	err = s.read.QueryRowContext(ctx, `SELECT role FROM memberships WHERE org_id = $1 AND user_id = $2`, orgID, userID).Scan(&role)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("member role: %w", err)
	}
	return role, true, nil
}

// OrgForMember returns an org with the user's role in it, in one query:
// it is on the path of every org-scoped request. member is false for
// non-members; a missing org is a not-found error.
func (s *Store) OrgForMember(ctx context.Context, orgID, userID string) (*shelf.Org, shelf.Role, bool, error) {
	var o shelf.Org
	var role sql.NullString
	err := scanOrg(s.read.QueryRowContext(ctx, `SELECT o.id, o.name, o.kind, COALESCE(o.owner_org_id, ''), o.test, o.partner_program, o.created_at, m.role
		FROM orgs o LEFT JOIN memberships m ON m.org_id = o.id AND m.user_id = $2 WHERE o.id = $1`, orgID, userID), &o, &role)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", false, shelf.NotFound("org")
	}
	if err != nil {
		return nil, "", false, fmt.Errorf("org for member: %w", err)
	}
	return &o, shelf.Role(role.String), role.Valid, nil
}

// membersOrder pages an org's members in the order they joined (the
// membership index (org_id, created_at, user_id)).
var membersOrder = keyset{cols: []string{"m.created_at", "m.user_id"}}

// MemberCount is how many people belong to an org: the count the org's
// pages show beside a members list that shows one page of them.
func (s *Store) MemberCount(ctx context.Context, orgID string) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships WHERE org_id = $1`, orgID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count members: %w", err)
	}
	return n, nil
}

// Members lists one page of an org's members, in the order they joined.
func (s *Store) Members(ctx context.Context, orgID string, p shelf.PageReq) ([]shelf.Membership, error) {
	tail, args, err := membersOrder.page(p, []any{orgID})
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, `SELECT m.org_id, m.user_id, u.email, u.name, m.role, m.created_at
		FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	defer rows.Close()
	out := []shelf.Membership{}
	for rows.Next() {
		var m shelf.Membership
		var created int64
		if err := rows.Scan(&m.OrgID, &m.UserID, &m.Email, &m.Name, &m.Role, &created); err != nil {
			return nil, err
		}
		m.CreatedAt = fromMicros(created)
		out = append(out, m)
	}
	return out, rows.Err()
}

// AddMember adds the person with this email to an org. If nobody has that
// email yet, an invitation is kept and becomes a membership at sign-up.
// Exactly one of the results is non-nil on success.
func (s *Store) AddMember(ctx context.Context, orgID, email string, role shelf.Role, byUserID string) (*shelf.Membership, *shelf.Invitation, error) {
	email, err := shelf.NormalizeEmail("email", email)
	if err != nil {
		return nil, nil, err
	}
	if err := shelf.CheckRole("role", role); err != nil {
		return nil, nil, err
	}
	var m *shelf.Membership
	var inv *shelf.Invitation
	err = s.Update(ctx, func(tx *Tx) error {
		if _, err := orgTx(ctx, tx, orgID); err != nil {
			return err
		}
		var userID, name string
		err := tx.QueryRowContext(ctx, `SELECT id, name FROM users WHERE email = $1`, email).Scan(&userID, &name)
		if errors.Is(err, sql.ErrNoRows) {
			inv, err = invite(ctx, tx, orgID, email, role, byUserID)
			return err
		}
		if err != nil {
			return err
		}
		m = &shelf.Membership{OrgID: orgID, UserID: userID, Email: email, Name: name, Role: role, CreatedAt: tx.Now()}
		_, err = tx.ExecContext(ctx, `INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)`,
			orgID, userID, role, micros(tx.Now()))
		if isUniqueViolation(err) {
			return &shelf.Error{Kind: shelf.KindConflict, Code: "already_member", Field: "email", Message: "this person is already a member"}
		}
		if err != nil {
			return err
		}
		if err := memberJoined(ctx, tx, orgID, userID, byUserID); err != nil {
			return err
		}
		return auditMember(ctx, tx, byUserID, "member.add", orgID, userID, "", role)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("add member: %w", err)
	}
	return m, inv, nil
}

// Invite makes (or renews) an invitation link for an email even when it
// has an account: the person then joins only by accepting.
func (s *Store) Invite(ctx context.Context, orgID, email string, role shelf.Role, byUserID string) (*shelf.Invitation, error) {
	email, err := shelf.NormalizeEmail("email", email)
	if err != nil {
		return nil, err
	}
	if err := shelf.CheckRole("role", role); err != nil {
		return nil, err
	}
	var inv *shelf.Invitation
	err = s.Update(ctx, func(tx *Tx) error {
		if _, err := orgTx(ctx, tx, orgID); err != nil {
			return err
		}
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 AND u.email = $2`, orgID, email).Scan(&one)
		if err == nil {
			return &shelf.Error{Kind: shelf.KindConflict, Code: "already_member", Field: "email", Message: "this person is already a member"}
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		inv, err = invite(ctx, tx, orgID, email, role, byUserID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("invite: %w", err)
	}
	return inv, nil
}

// invite makes (or renews) the invitation of an email to an org: a new
// one-time link replaces any earlier one, whose link stops working.
func invite(ctx context.Context, tx *Tx, orgID, email string, role shelf.Role, byUserID string) (*shelf.Invitation, error) {
	token := secret.NewToken("shelf_inv_")
	inv := &shelf.Invitation{ID: shelf.NewID("inv"), OrgID: orgID, Email: email, Role: role, CreatedAt: tx.Now(),
		ExpiresAt: tx.Now().Add(shelf.InvitationTTL), Token: token}
	if _, err := tx.ExecContext(ctx, `DELETE FROM invitations WHERE org_id = $1 AND email = $2`, orgID, email); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO invitations (id, org_id, email, role, invited_by, created_at, token_hash, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, inv.ID, orgID, email, role, byUserID, micros(tx.Now()), secret.HashToken(token), micros(inv.ExpiresAt)); err != nil {
		return nil, err
	}
	return inv, audit(ctx, tx, byUserID, "invitation.create", "invitation", inv.ID, nil,
		map[string]any{"org_id": orgID, "email": email, "role": role, "expires_at": inv.ExpiresAt}, "")
}

// auditMember records a change of a membership (an empty role: none).
func auditMember(ctx context.Context, tx *Tx, byUserID, action, orgID, userID string, before, after shelf.Role) error {
	doc := func(r shelf.Role) any {
		if r == "" {
			return nil
		}
		return map[string]any{"org_id": orgID, "user_id": userID, "role": r}
	}
	return audit(ctx, tx, byUserID, action, "membership", orgID+"/"+userID, doc(before), doc(after), "")
}

const invitationSelect = `SELECT i.id, i.org_id, o.name, i.email, i.role, i.created_at, i.expires_at FROM invitations i JOIN orgs o ON o.id = i.org_id `

func scanInvitation(row interface{ Scan(...any) error }) (*shelf.Invitation, error) {
	var i shelf.Invitation
	var created, expires int64
	if err := row.Scan(&i.ID, &i.OrgID, &i.OrgName, &i.Email, &i.Role, &created, &expires); err != nil {
		return nil, err
	}
	i.CreatedAt, i.ExpiresAt = fromMicros(created), fromMicros(expires)
	return &i, nil
}

// invitationsOrder pages an org's invitations by email (index
// invitations_org_email; one live invitation per email and org).
var invitationsOrder = keyset{cols: []string{"i.email", "i.id"}}

// Invitations lists one page of an org's pending invitations (without
// their links), by email.
func (s *Store) Invitations(ctx context.Context, orgID string, p shelf.PageReq) ([]shelf.Invitation, error) {
	tail, args, err := invitationsOrder.page(p, []any{orgID, micros(s.clock.Now())})
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, invitationSelect+`WHERE i.org_id = $1 AND i.expires_at > $2`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("invitations: %w", err)
	}
	defer rows.Close()
	out := []shelf.Invitation{}
	for rows.Next() {
		i, err := scanInvitation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *i)
	}
	return out, rows.Err()
}

var errInvitation = &shelf.Error{Kind: shelf.KindNotFound, Code: "invitation_invalid", Message: "this invitation link is unknown, used or expired; ask the org's admin for a new one"}

// InvitationByToken returns the live invitation behind a link.
func (s *Store) InvitationByToken(ctx context.Context, token string) (*shelf.Invitation, error) {
	i, err := scanInvitation(s.read.QueryRowContext(ctx, invitationSelect+`WHERE i.token_hash = $1 AND i.expires_at > $2`,
		secret.HashToken(token), micros(s.clock.Now())))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errInvitation
	}
	if err != nil {
		return nil, fmt.Errorf("invitation: %w", err)
	}
	return i, nil
}

// AcceptInvitation makes the signed-in user a member through an invitation
// link: it must be live and addressed to the user's email. The link works
// once.
func (s *Store) AcceptInvitation(ctx context.Context, token, userID string) (*shelf.Membership, error) {
	var m *shelf.Membership
	err := s.Update(ctx, func(tx *Tx) error {
		inv, err := scanInvitation(tx.QueryRowContext(ctx, invitationSelect+`WHERE i.token_hash = $1 AND i.expires_at > $2`,
			secret.HashToken(token), micros(tx.Now())))
		if errors.Is(err, sql.ErrNoRows) {
			return errInvitation
		}
		if err != nil {
			return err
		}
		var email, name string
		if err := tx.QueryRowContext(ctx, `SELECT email, name FROM users WHERE id = $1`, userID).Scan(&email, &name); err != nil {
			return fmt.Errorf("accept invitation: %w", err)
		}
		if email != inv.Email {
			return shelf.Forbidden("invitation_email_mismatch", "this invitation is for %s; sign in with that address to accept it", inv.Email)
		}
		// Conditional, so two acceptances of one link at once join once.
		if err := tx.execOne(ctx, `DELETE FROM invitations WHERE id = $1`, inv.ID); err != nil {
			if err == errConcurrent {
				return errInvitation
			}
			return err
		}
		m = &shelf.Membership{OrgID: inv.OrgID, UserID: userID, Email: email, Name: name, Role: inv.Role, CreatedAt: tx.Now()}
		if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (org_id, user_id) DO NOTHING`, inv.OrgID, userID, inv.Role, micros(tx.Now())); err != nil {
			return err
		}
		if err := memberJoined(ctx, tx, inv.OrgID, userID, userID); err != nil {
			return err
		}
		return audit(ctx, tx, userID, "invitation.accept", "invitation", inv.ID, nil,
			map[string]any{"org_id": inv.OrgID, "user_id": userID, "role": inv.Role}, "")
	})
	if err != nil {
		return nil, fmt.Errorf("accept invitation: %w", err)
	}
	return m, nil
}

// SetMemberRole changes a member's role; an org always keeps one admin.
// byUserID is who changed it.
func (s *Store) SetMemberRole(ctx context.Context, orgID, userID string, role shelf.Role, byUserID string) error {
	if err := shelf.CheckRole("role", role); err != nil {
		return err
	}
	return s.Update(ctx, func(tx *Tx) error {
		cur, err := keepAnAdmin(ctx, tx, orgID, userID, role == shelf.RoleAdmin)
		if err != nil {
			return err
		}
		if cur == role {
			return nil
		}
		if err := tx.execOne(ctx, `UPDATE memberships SET role = $1 WHERE org_id = $2 AND user_id = $3 AND role = $4`, role, orgID, userID, cur); err != nil {
			return err
		}
		return auditMember(ctx, tx, byUserID, "member.role", orgID, userID, cur, role)
	})
}

// RemoveMember takes a user out of an org and its groups (the groups they
// owned pass to an admin); an org always keeps one admin. byUserID is who
// removed them (themselves, when they leave).
func (s *Store) RemoveMember(ctx context.Context, orgID, userID, byUserID string) error {
	return s.Update(ctx, func(tx *Tx) error {
		cur, err := keepAnAdmin(ctx, tx, orgID, userID, false)
		if err != nil {
			return err
		}
		if err := coolOrgLeave(ctx, tx, orgID, userID); err != nil {
			return err
		}
		// The groups they owned pass to the org's longest-standing other
		// admin (keepAnAdmin guarantees one), who joins them.
		var heir string
		if err := tx.QueryRowContext(ctx, `SELECT user_id FROM memberships WHERE org_id = $1 AND role = 'admin' AND user_id <> $2
			ORDER BY created_at, user_id LIMIT 1`, orgID, userID).Scan(&heir); err != nil {
			return fmt.Errorf("group heir: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO group_members (group_id, user_id, created_at)
			SELECT id, $1, $2 FROM chat_groups WHERE org_id = $3 AND owner_id = $4 ON CONFLICT (group_id, user_id) DO NOTHING`,
			heir, micros(tx.Now()), orgID, userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE chat_groups SET owner_id = $1 WHERE org_id = $2 AND owner_id = $3`, heir, orgID, userID); err != nil {
			return err
		}
		if err := tx.execOne(ctx, `DELETE FROM memberships WHERE org_id = $1 AND user_id = $2`, orgID, userID); err != nil {
			return err
		}
		if err := memberLeft(ctx, tx, orgID, userID, byUserID); err != nil {
			return err
		}
		return auditMember(ctx, tx, byUserID, "member.remove", orgID, userID, cur, "")
	})
}

// keepAnAdmin refuses a change that would leave the org without an admin,
// and returns the member's current role. It locks the org row first, so two
// admins demoting each other at once on PostgreSQL take turns and the
// second sees the first's change.
func keepAnAdmin(ctx context.Context, tx *Tx, orgID, userID string, staysAdmin bool) (shelf.Role, error) {
	var id string
	if err := tx.QueryRowContext(ctx, `SELECT id FROM orgs WHERE id = $1`+tx.s.dialect.forUpdate(), orgID).Scan(&id); errors.Is(err, sql.ErrNoRows) {
		return "", shelf.NotFound("org")
	} else if err != nil {
		return "", err
	}
	var role shelf.Role
	err := tx.QueryRowContext(ctx, `SELECT role FROM memberships WHERE org_id = $1 AND user_id = $2`, orgID, userID).Scan(&role)
	if errors.Is(err, sql.ErrNoRows) {
		return "", shelf.NotFound("member")
	}
	if err != nil || role != shelf.RoleAdmin || staysAdmin {
		return role, err
	}
	var admins int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role = 'admin'`, orgID).Scan(&admins); err != nil {
		return "", err
	}
	if admins <= 1 {
		return "", shelf.Errorf(shelf.KindConflict, "last_admin", "an org must keep at least one admin")
	}
	return role, nil
}
