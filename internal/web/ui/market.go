package ui

import (
	"html/template"
	"net/http"
	"time"

	"github.com/shelfhq/shelf/internal/markdown"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/auth"
)

// marketCard is a listing as the storefront shows it.
type marketCard struct {
	shelf.ListingInfo
	CategoryName   string
	CategoryNameEn string
	FromPrice      string // the lowest paid price per user, e.g. "¥7.00"
	FromPeriod     shelf.Period
	HasFree        bool
	// Highlights of a search result: texts with what matched marked
	// (escaped by the index, <mark> around the matches).
	NameHL     template.HTML
	SubtitleHL template.HTML
}

func cardOf(li shelf.ListingInfo, cats map[string]shelf.Category) marketCard {
	c := marketCard{ListingInfo: li}
	if cat, ok := cats[li.CategoryID]; ok {
		c.CategoryName, c.CategoryNameEn = cat.Name, cat.NameEn
	}
	var low *shelf.Spec
	for i, sp := range li.Live.Specs {
		if sp.Free {
			c.HasFree = true
			continue
		}
		if low == nil || sp.Price < low.Price {
			low = &li.Live.Specs[i]
		}
	}
	if low != nil {
		c.FromPrice, c.FromPeriod = shelf.FormatMinor(low.Price, low.Currency), low.Period
	}
	return c
}

// listingDescription renders the description in lang: on an English page
// the English one, or the Chinese one where there is none (zh is then
// set, for the page to mark it).
func listingDescription(lang string, r *shelf.RevisionInfo) (html any, zh bool) {
	if lang == langEN && r.DescriptionEn != "" {
		return markdown.Render(r.DescriptionEn), false
	}
	return markdown.Render(r.Description), lang == langEN
}

// listingPage is a product page.
type listingPage struct {
	Card        marketCard
	Description any
	// DescriptionZh says the description shown is the Chinese one on an
	// English page (the listing has no English one): marked lang="zh-CN".
	DescriptionZh bool
	Reviewer      bool
	Partner       bool
	Shop          *shopBox
	// Vendor is the partner selling it; Parent its category's parent;
	// Updated when its live revision went live.
	Vendor  *shelf.Org
	Parent  *shelf.Category
	Updated time.Time
	Shots   []searchShot
	Meta    *searchMeta
	Ratings *selfopRatings // customer reviews (selfop_ratings.go)
}

// searchShot is a screenshot in the gallery: its number from 1 and its
// neighbours' (0: none).
type searchShot struct {
	ID            string
	N, Prev, Next int
}

func (h *Handler) pageListing(w http.ResponseWriter, r *http.Request) { h.showListing(w, r, nil) }

// showListing shows a live listing to anyone (own-channel links land here
// too); its partner and reviewers also see a listing that is not live.
func (h *Handler) showListing(w http.ResponseWriter, r *http.Request, formErr error) {
	li, err := h.Listings.Listing(r.Context(), r.PathValue("listing"))
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	insider, err := h.SeesListing(r, li)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	if li.Live == nil || li.State != shelf.ListingListed && !insider {
		h.pageError(w, r, shelf.NotFound("listing"))
		return
	}
	idx, err := h.categoryIndex(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	p := &listingPage{Card: cardOf(*li, idx), Updated: li.Live.UpdatedAt}
	p.Description, p.DescriptionZh = listingDescription(language(r), li.Live)
	if li.Live.DecidedAt != nil {
		p.Updated = *li.Live.DecidedAt
	}
	p.Shots = galleryShots(li.Live.Screenshots)
	if c, ok := idx[idx[li.CategoryID].ParentID]; ok {
		p.Parent = &c
	}
	if li.State == shelf.ListingListed {
		cat := p.Card.CategoryName
		if language(r) == langEN && p.Card.CategoryNameEn != "" {
			cat = p.Card.CategoryNameEn
		}
		p.Meta = h.searchMetaOf(language(r), li, cat)
	}
	if p.Vendor, err = h.Store.Org(r.Context(), li.OrgID); err != nil {
		h.pageError(w, r, err)
		return
	}
	if a := auth.FromContext(r.Context()); a != nil {
		if p.Reviewer, err = h.MayReview(r.Context(), a.User, li.CategoryID); err != nil {
			h.pageError(w, r, err)
			return
		}
		p.Partner = insider && !p.Reviewer
	}
	if p.Shop, err = h.shopBox(r, li); err != nil {
		h.pageError(w, r, err)
		return
	}
	if p.Ratings, err = h.ratingsBox(r, li, p.Partner); err != nil {
		h.pageError(w, r, err)
		return
	}
	h.showPage(w, r, "listing", translate(language(r), "market.listing"), p, nil, formErr)
}

// serveMedia serves uploaded images. Ids are unguessable and images are
// meant to be shown on the storefront, so no sign-in is needed.
func (h *Handler) serveMedia(w http.ResponseWriter, r *http.Request) {
	b, ct, err := h.Listings.Media(r.Context(), r.PathValue("id"))
	if err != nil {
		if shelf.ErrorKind(err) == shelf.KindNotFound {
			http.NotFound(w, r)
			return
		}
		h.pageError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(b)
}
