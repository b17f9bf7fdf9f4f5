package ui

import (
	"net/http"
	"strconv"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/auth"
)

// selfopRatings is the customer reviews block of a listing page
// (selfop_partials.html): the summary, the visible reviews (operators
// also see hidden ones), and the forms the reader may use.
type selfopRatings struct {
	ListingID string
	Summary   shelf.RatingSummary
	Average   string
	Bars      []selfopStarBar
	Items     []shelf.Rating
	Orgs      []shelf.OrgWithRole // the reader's customer orgs, to review for
	Partner   bool                // may reply
	Moderator bool                // may hide
	MyOrgs    map[string]bool     // the reader's customer orgs by id: they edit those orgs' reviews
	SignedIn  bool                // else the contact form asks to sign in
	Source    string              // where the reader came from (leadSource)
	Paging    pagingLinks         // of the reviews: the newest first, "more" after
}

// selfopStarBar is one row of the distribution, five stars first.
type selfopStarBar struct {
	Stars, Count, Width int
}

// ratingsBox loads the block for a listing; partner says the reader
// administers its partner org.
func (h *Handler) ratingsBox(r *http.Request, li *shelf.ListingInfo, partner bool) (*selfopRatings, error) {
	sum, err := h.Selfop.RatingSummary(r.Context(), li.ID)
	if err != nil {
		return nil, err
	}
	v := &selfopRatings{ListingID: li.ID, Summary: sum, Partner: partner, MyOrgs: map[string]bool{}}
	v.Average = strconv.FormatFloat(v.Summary.Average, 'f', 1, 64)
	for s := 5; s >= 1; s-- {
		n := v.Summary.Distribution[s-1]
		v.Bars = append(v.Bars, selfopStarBar{Stars: s, Count: n, Width: 100 * n / max(1, v.Summary.Count)})
	}
	v.Source = leadSource(r)
	if a := auth.FromContext(r.Context()); a != nil {
		v.SignedIn = true
		_, err := access.RequireModerator(r)
		v.Moderator = err == nil
		orgs, err := h.Store.OrgsForUser(r.Context(), a.User.ID, shelf.PageReq{})
		if err != nil {
			return nil, err
		}
		for _, o := range orgs {
			if o.Kind == shelf.OrgCustomer && !o.Test {
				v.Orgs = append(v.Orgs, o)
				v.MyOrgs[o.ID] = true
			}
		}
	}
	// The newest reviews first, a page of them ("more" pages on by
	// cursor); a moderator's pages include the hidden ones.
	list := ratingsList.in(li.ID, strconv.FormatBool(v.Moderator))
	v.Items, v.Paging, err = list.read(listRequest(r, "/listings/"+li.ID), ratingsShown, func(pr shelf.PageReq) ([]shelf.Rating, error) {
		return h.Selfop.RatingsPage(r.Context(), li.ID, v.Moderator, pr)
	})
	if err != nil {
		return nil, err
	}
	for _, l := range []*string{&v.Paging.Prev, &v.Paging.Next} {
		if *l != "" {
			*l += "#reviews"
		}
	}
	return v, nil
}

// ratingsShown is the reviews a listing page shows at once.
const ratingsShown = 20

// ratingsList pages a listing's reviews newest first, as the API does.
var ratingsList = pagingList[shelf.Rating]{tag: "reviews", shape: "is", key: func(r shelf.Rating) []any { return []any{r.CreatedAt.UnixMicro(), r.ID} }}

// postSelfopRating: a customer reviews the listing for one of its orgs.
func (h *Handler) postSelfopRating(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequireUser(r)
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	stars, _ := strconv.Atoi(r.PostFormValue("rating"))
	_, err = h.Selfop.CreateRating(r.Context(), shelf.NewRating{ListingID: r.PathValue("listing"), OrgID: r.PostFormValue("org_id"),
		ByUserID: u.ID, Stars: stars, Text: r.PostFormValue("text")})
	h.afterRating(w, r, err, "selfop.rated_flash")
}

// postSelfopReply: the listing's partner replies to a review.
func (h *Handler) postSelfopReply(w http.ResponseWriter, r *http.Request) {
	rt, u, err := h.ratingOfListing(r)
	if err == nil {
		var li *shelf.ListingInfo
		if li, err = h.Listings.Listing(r.Context(), rt.ListingID); err == nil {
			u, err = h.RequireRatingPartner(r, li)
		}
	}
	if err == nil {
		_, err = h.Selfop.ReplyRating(r.Context(), rt.ID, u.ID, r.PostFormValue("text"))
	}
	h.afterRating(w, r, err, "selfop.replied_flash")
}

// postSelfopHide: an operator hides a review with a reason.
func (h *Handler) postSelfopHide(w http.ResponseWriter, r *http.Request) {
	rt, _, err := h.ratingOfListing(r)
	var u *shelf.User
	if err == nil {
		u, err = access.RequireModerator(r)
	}
	if err == nil {
		_, err = h.Selfop.HideRating(r.Context(), rt.ID, u.ID, r.PostFormValue("reason"))
	}
	h.afterRating(w, r, err, "selfop.hidden_flash")
}

// ratingOfListing loads the review in the path, which must be of the
// listing in the path.
func (h *Handler) ratingOfListing(r *http.Request) (*shelf.Rating, *shelf.User, error) {
	u, err := access.RequireUser(r)
	if err != nil {
		return nil, nil, err
	}
	rt, err := h.Selfop.Rating(r.Context(), r.PathValue("review"))
	if err == nil && rt.ListingID != r.PathValue("listing") {
		err = shelf.NotFound("review")
	}
	return rt, u, err
}

// afterRating goes back to the listing, or shows it with the refusal.
func (h *Handler) afterRating(w http.ResponseWriter, r *http.Request, err error, flash string) {
	switch kind := shelf.ErrorKind(err); {
	case err == nil:
		done(w, r, "/listings/"+r.PathValue("listing"), flash)
	case kind == shelf.KindUnauthenticated, kind == shelf.KindNotFound, kind == shelf.KindInternal:
		h.failPage(w, r, err)
	default:
		h.showListing(w, r, localError(language(r), err))
	}
}
