package ui

import (
	"net/http"
	"slices"
	"strings"

	"github.com/shelfhq/shelf/internal/search"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
)

// searchFeaturedChoices bounds the listings offered to feature: the most
// installed ones of the market.
const searchFeaturedChoices = 200

// searchFeaturedPage is the platform admins' page of the featured
// listings: the list in order, and the live listings that may be added.
type searchFeaturedPage struct {
	Featured []shelf.FeaturedListing
	Choices  []searchFeaturedChoice
}

type searchFeaturedChoice struct{ ID, Name, NameEn string }

func (h *Handler) pageSearchFeatured(w http.ResponseWriter, r *http.Request) {
	h.showSearchFeatured(w, r, nil)
}

func (h *Handler) showSearchFeatured(w http.ResponseWriter, r *http.Request, formErr error) {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		h.pageError(w, r, err)
		return
	}
	p, err := h.searchFeaturedData(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	h.showPage(w, r, "search_featured", "search.featured_title", p, nil, formErr)
}

func (h *Handler) searchFeaturedData(r *http.Request) (*searchFeaturedPage, error) {
	fs, err := h.Featured()
	if err != nil {
		return nil, err
	}
	p := &searchFeaturedPage{}
	if p.Featured, err = fs.FeaturedListings(r.Context()); err != nil {
		return nil, err
	}
	res, err := h.Market.Search(r.Context(), search.Request{Sort: search.SortPopular, MinPrice: -1, MaxPrice: -1, Limit: searchFeaturedChoices})
	if err != nil {
		return nil, err
	}
	for _, hit := range res.Hits {
		if slices.ContainsFunc(p.Featured, func(f shelf.FeaturedListing) bool { return f.ListingID == hit.ID }) {
			continue
		}
		if l, ok, err := h.Market.Listing(r.Context(), hit.ID); err != nil {
			return nil, err
		} else if ok {
			p.Choices = append(p.Choices, searchFeaturedChoice{ID: l.ID, Name: l.Live.Name, NameEn: l.Live.NameEn})
		}
	}
	return p, nil
}

// postSearchFeatured applies one change to the list the page showed
// (ids, in order): op is add (add_id), or up, down or remove with the
// listing's id after a colon. The page needs no script.
func (h *Handler) postSearchFeatured(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	fs, err := h.Featured()
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	ids := searchFeaturedApply(r.PostForm["ids"], r.PostFormValue("op"), r.PostFormValue("add_id"))
	if _, err := fs.SetFeaturedListings(r.Context(), u.ID, ids); err != nil {
		h.showSearchFeatured(w, r, err)
		return
	}
	done(w, r, "/admin/featured", "search.featured_saved")
}

// searchFeaturedApply returns ids changed by op.
func searchFeaturedApply(ids []string, op, addID string) []string {
	ids = slices.Clone(ids)
	verb, id, _ := strings.Cut(op, ":")
	i := slices.Index(ids, id)
	switch {
	case verb == "add" && addID != "":
		ids = append(ids, addID)
	case i < 0:
	case verb == "up" && i > 0:
		ids[i-1], ids[i] = ids[i], ids[i-1]
	case verb == "down" && i < len(ids)-1:
		ids[i+1], ids[i] = ids[i], ids[i+1]
	case verb == "remove":
		ids = slices.Delete(ids, i, i+1)
	}
	return ids
}

// searchFeatured makes the cards of the featured listings live in the
// market, in the admins' order, for the home page.
func (h *Handler) searchFeatured(r *http.Request, cats map[string]shelf.Category) ([]marketCard, error) {
	shown, err := h.Market.Featured(r.Context())
	if err != nil {
		return nil, err
	}
	hits := make([]search.Hit, len(shown))
	for i, l := range shown {
		hits[i] = search.Hit{ID: l.ID}
	}
	return h.searchCards(r, hits, cats)
}
