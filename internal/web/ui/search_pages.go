package ui

import (
	"cmp"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/shelfhq/shelf/internal/search"
	"github.com/shelfhq/shelf/internal/shelf"
)

// searchPageFiles are the storefront's own pages (see pageFiles).
var searchPageFiles = []string{"search_partner", "search_featured"}

// searchHomeShelf is how many listings each home section shows.
const searchHomeShelf = 8

// searchChip is a category to narrow to, keeping the rest of the search.
type searchChip struct {
	Name, NameEn, URL string
	On                bool
}

// searchSortLink is one order the results can be put in.
type searchSortLink struct {
	Key, URL string
	On       bool
}

// homePage is the storefront: popular and new listings, or the results
// of a search with its filters.
type homePage struct {
	Query       string
	Category    string
	Free, Trial bool
	Sort        string
	Searching   bool
	Chips       []searchChip // top-level categories
	SubChips    []searchChip // the chosen top-level category's children
	Sorts       []searchSortLink
	Cards       []marketCard
	Total       int
	Page, Pages int
	PrevURL     string
	NextURL     string
	Suggestions []searchChip // close queries and popular categories
	Featured    []marketCard // picked by platform admins, shown first
	Popular     []marketCard
	New         []marketCard
}

// searchURL is the storefront address of a search, with changes.
func searchURL(q url.Values, set map[string]string) string {
	v := url.Values{}
	for k, vs := range q {
		if k != "page" && len(vs) > 0 && vs[0] != "" {
			v.Set(k, vs[0])
		}
	}
	for k, val := range set {
		if val == "" {
			v.Del(k)
		} else {
			v.Set(k, val)
		}
	}
	if len(v) == 0 {
		return "/"
	}
	return "/?" + v.Encode()
}

func (h *Handler) pageHome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	req, page, perPage, err := search.ParseQuery(q)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	cats, err := h.categoryIndex(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	if c, ok := cats[req.Category]; req.Category != "" && (!ok || c.Archived) {
		h.pageError(w, r, shelf.FieldError("category", "unknown_category", "category %s not found", req.Category))
		return
	}
	p := &homePage{Query: req.Q, Category: req.Category, Free: req.Free, Trial: req.Trial, Sort: string(req.Sort),
		Searching: req.Q != "" || req.Category != "" || req.Free || req.Trial || q.Get("sort") != "" || req.MinPrice >= 0 || req.MaxPrice >= 0}
	h.searchChips(p, q, cats)
	if !p.Searching {
		if p.Featured, err = h.searchFeatured(r, cats); err == nil {
			if p.Popular, err = h.searchShelf(r, search.SortPopular, cats); err == nil {
				p.New, err = h.searchShelf(r, search.SortNewest, cats)
			}
		}
		if err != nil {
			h.pageError(w, r, err)
			return
		}
		h.show(w, r, "home", "app.name", p, nil)
		return
	}
	res, err := h.Market.Search(ctx, req)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	p.Total, p.Page = res.Total, page
	p.Pages = max(1, (res.Total+perPage-1)/perPage)
	if page > 1 {
		p.PrevURL = searchURL(q, map[string]string{"page": strconv.Itoa(page - 1)})
	}
	if page < p.Pages {
		p.NextURL = searchURL(q, map[string]string{"page": strconv.Itoa(page + 1)})
	}
	for _, s := range search.Sorts {
		p.Sorts = append(p.Sorts, searchSortLink{Key: string(s), URL: searchURL(q, map[string]string{"sort": string(s)}), On: s == req.Sort})
	}
	if p.Cards, err = h.searchCards(r, res.Hits, cats); err != nil {
		h.pageError(w, r, err)
		return
	}
	for _, s := range res.Suggestions {
		p.Suggestions = append(p.Suggestions, searchChip{Name: s, NameEn: s, URL: searchURL(q, map[string]string{"q": s})})
	}
	for _, id := range res.Categories {
		if c, ok := cats[id]; ok {
			p.Suggestions = append(p.Suggestions, searchChip{Name: c.Name, NameEn: c.NameEn, URL: searchURL(nil, map[string]string{"category": id})})
		}
	}
	h.show(w, r, "home", "app.name", p, nil)
}

// searchChips fills the category chips: the top-level ones, and the
// children of the chosen one (or of the chosen child's parent); each
// keeps the query and filters.
func (h *Handler) searchChips(p *homePage, q url.Values, cats map[string]shelf.Category) {
	parent := p.Category
	if c, ok := cats[parent]; ok && c.ParentID != "" {
		parent = c.ParentID
	}
	for _, c := range sortedCategories(cats) {
		chip := searchChip{Name: c.Name, NameEn: c.NameEn, URL: searchURL(q, map[string]string{"category": c.ID}), On: c.ID == p.Category}
		switch {
		case c.ParentID == "":
			chip.On = c.ID == parent
			p.Chips = append(p.Chips, chip)
		case c.ParentID == parent:
			p.SubChips = append(p.SubChips, chip)
		}
	}
}

// searchShelf is a home section: the first listings in an order.
func (h *Handler) searchShelf(r *http.Request, s search.Sort, cats map[string]shelf.Category) ([]marketCard, error) {
	res, err := h.Market.Search(r.Context(), search.Request{Sort: s, MinPrice: -1, MaxPrice: -1, Limit: searchHomeShelf})
	if err != nil {
		return nil, err
	}
	return h.searchCards(r, res.Hits, cats)
}

// searchCards makes the cards of hits, with their highlights.
func (h *Handler) searchCards(r *http.Request, hits []search.Hit, cats map[string]shelf.Category) ([]marketCard, error) {
	out := []marketCard{}
	en := language(r) == langEN
	for _, hit := range hits {
		l, ok, err := h.Market.Listing(r.Context(), hit.ID)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		c := cardOf(*l.ListingInfo, cats)
		name, sub := hit.Highlights["name"], hit.Highlights["subtitle"]
		if en {
			name, sub = hit.Highlights["name_en"], hit.Highlights["subtitle_en"]
		}
		// The index escaped the texts and added only <mark> tags.
		c.NameHL, c.SubtitleHL = template.HTML(name), template.HTML(sub) // #nosec G203
		out = append(out, c)
	}
	return out, nil
}

// searchPartnerPage lists a partner's live market listings.
type searchPartnerPage struct {
	Partner *shelf.Org
	Cards   []marketCard
	Paging  pagingLinks
}

// partnerListingsList pages a partner's storefront oldest listing first.
var partnerListingsList = pagingList[shelf.ListingInfo]{tag: "partner-listings", shape: "is", key: func(l shelf.ListingInfo) []any { return []any{l.CreatedAt.UnixMicro(), l.ID} }}

func (h *Handler) pageSearchPartner(w http.ResponseWriter, r *http.Request) {
	org, err := h.Store.Org(r.Context(), r.PathValue("org"))
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	if org.Kind != shelf.OrgPartner {
		h.pageError(w, r, shelf.NotFound("partner"))
		return
	}
	cats, err := h.categoryIndex(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	p := &searchPartnerPage{Partner: org}
	var list []shelf.ListingInfo
	list, p.Paging, err = partnerListingsList.in(org.ID).read(r, pagingSize, func(pr shelf.PageReq) ([]shelf.ListingInfo, error) {
		return h.Listings.PartnerMarketListings(r.Context(), org.ID, pr)
	})
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	// The market's own judgement stays the last word (a suspended
	// partner's cool apps leave it).
	for _, li := range list {
		if _, ok, err := h.Market.Listing(r.Context(), li.ID); err != nil {
			h.pageError(w, r, err)
			return
		} else if ok {
			p.Cards = append(p.Cards, cardOf(li, cats))
		}
	}
	h.renderView(w, r, "search_partner", org.Name, p, nil, nil)
}

// sortedCategories lists the live categories in their set order.
func sortedCategories(cats map[string]shelf.Category) []shelf.Category {
	out := make([]shelf.Category, 0, len(cats))
	for _, c := range cats {
		if !c.Archived {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b shelf.Category) int {
		if a.Position != b.Position {
			return cmp.Compare(a.Position, b.Position)
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}
