package access

import (
	"context"
	"net/http"
	"slices"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/auth"
)

// Revision is the caller's standing towards a revision.
type Revision struct {
	Rev      *shelf.RevisionInfo
	User     *shelf.User
	Member   bool // in the app's partner org, whatever the role
	Partner  bool // an admin of the app's partner org, console installed
	Reviewer bool // a platform admin, or an operator of its category
}

// RequireRevision loads the revision in the path and decides the caller's
// standing. Anyone who is neither partner nor reviewer gets 404:
// revisions are not public.
func (p *Policy) RequireRevision(r *http.Request) (*Revision, error) {
	u, err := RequireUser(r)
	if err != nil {
		return nil, err
	}
	rev, err := p.listings.Revision(r.Context(), r.PathValue("rev"))
	if err != nil {
		return nil, err
	}
	a := &Revision{Rev: rev, User: u}
	role, member, err := p.store.MemberRole(r.Context(), rev.OrgID, u.ID)
	if err != nil {
		return nil, err
	}
	a.Member = member
	if member && role == shelf.RoleAdmin {
		if err := p.RequireConsole(r.Context(), rev.OrgID); err != nil {
			return nil, err
		}
		a.Partner = true
	}
	if a.Reviewer, err = p.MayReview(r.Context(), u, rev.CategoryID); err != nil {
		return nil, err
	}
	switch {
	case a.Partner || a.Reviewer:
		return a, nil
	case member:
		return nil, shelf.Forbidden("org_admin_required", "only an admin of the partner org works on its listings")
	}
	return nil, shelf.NotFound("revision")
}

// RequirePartnerRevision is RequireRevision for the partner's own work.
func (p *Policy) RequirePartnerRevision(r *http.Request) (*Revision, error) {
	a, err := p.RequireRevision(r)
	if err != nil {
		return nil, err
	}
	if !a.Partner {
		return nil, shelf.Forbidden("partner_required", "only the partner that owns the listing may do this")
	}
	return a, nil
}

// RequireReviewerRevision is RequireRevision for a decision on it. It also
// refuses a reviewer who belongs to the partner org: nobody decides on
// their own org's listing.
func (p *Policy) RequireReviewerRevision(r *http.Request) (*Revision, error) {
	a, err := p.RequireRevision(r)
	if err != nil {
		return nil, err
	}
	if !a.Reviewer {
		return nil, shelf.Forbidden("not_your_category", "only the category's operators (or a platform admin) decide on this revision")
	}
	if a.Member {
		return nil, shelf.Forbidden("own_listing", "you belong to the partner org: another reviewer must decide on its listing")
	}
	return a, nil
}

// MayReview: platform admins review everything; category operators the
// categories assigned to them (and their children).
func (p *Policy) MayReview(ctx context.Context, u *shelf.User, categoryID string) (bool, error) {
	if u.HasPlatformRole(shelf.PlatformAdmin) {
		return true, nil
	}
	if !u.HasPlatformRole(shelf.CategoryOperator) || categoryID == "" {
		return false, nil
	}
	cats, err := p.listings.OperatorCategories(ctx, u.ID)
	if err != nil {
		return false, err
	}
	return slices.Contains(cats, categoryID), nil
}

// RequireReviewQueue returns the caller and the queue they see: every
// category for a platform admin, an operator's own categories (perhaps
// none) otherwise.
func (p *Policy) RequireReviewQueue(r *http.Request) (*shelf.User, shelf.ReviewScope, error) {
	u, err := RequireUser(r)
	if err != nil {
		return nil, shelf.ReviewScope{}, err
	}
	switch {
	case u.HasPlatformRole(shelf.PlatformAdmin):
		return u, shelf.ReviewScope{All: true}, nil
	case u.HasPlatformRole(shelf.CategoryOperator):
		cats, err := p.listings.OperatorCategories(r.Context(), u.ID)
		return u, shelf.ReviewScope{Categories: cats}, err
	}
	return nil, shelf.ReviewScope{}, shelf.Forbidden("platform_role_required", "the review queue is for category operators and platform admins")
}

// Listing is a caller allowed to change the listing in the path.
type Listing struct {
	User    *shelf.User
	Listing *shelf.ListingInfo
}

// RequireTakedown loads the listing in the path and checks the caller may
// take it down: a reviewer of its category.
func (p *Policy) RequireTakedown(r *http.Request) (Listing, error) {
	a, err := p.listing(r)
	if err != nil {
		return a, err
	}
	ok, err := p.MayReview(r.Context(), a.User, a.Listing.CategoryID)
	if err != nil {
		return a, err
	}
	if !ok {
		return a, shelf.Forbidden("not_your_category", "only the category's operators (or a platform admin) take listings down")
	}
	return a, nil
}

// RequireListingPartner loads the listing in the path and checks the
// caller administers its partner org (console installed), who delists and
// relists it.
func (p *Policy) RequireListingPartner(r *http.Request) (Listing, error) {
	a, err := p.listing(r)
	if err != nil {
		return a, err
	}
	role, member, err := p.store.MemberRole(r.Context(), a.Listing.OrgID, a.User.ID)
	if err != nil {
		return a, err
	}
	if !member {
		return a, shelf.NotFound("listing")
	}
	if role != shelf.RoleAdmin {
		return a, shelf.Forbidden("org_admin_required", "only an admin of the partner org delists or relists")
	}
	return a, p.RequireConsole(r.Context(), a.Listing.OrgID)
}

func (p *Policy) listing(r *http.Request) (Listing, error) {
	u, err := RequireUser(r)
	if err != nil {
		return Listing{}, err
	}
	li, err := p.listings.Listing(r.Context(), r.PathValue("listing"))
	return Listing{User: u, Listing: li}, err
}

// SeesListing reports whether the caller is the listing's partner admin or
// one of its reviewers, who see it whatever its state.
func (p *Policy) SeesListing(r *http.Request, li *shelf.ListingInfo) (bool, error) {
	a := auth.FromContext(r.Context())
	if a == nil {
		return false, nil
	}
	role, member, err := p.store.MemberRole(r.Context(), li.OrgID, a.User.ID)
	if err != nil {
		return false, err
	}
	if member && role == shelf.RoleAdmin {
		return true, nil
	}
	return p.MayReview(r.Context(), a.User, li.CategoryID)
}
