package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/shelfhq/shelf/internal/search"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/service"
)

// coolMarketLimit is how many cool apps a market page shows.
const coolMarketLimit = 48

// coolMarketPage is the cool app market: the same index as the
// storefront's, filtered to cool apps.
type coolMarketPage struct {
	Query    string
	Category string
	Chips    []searchChip
	Cards    []marketCard
	Total    int
}

func (h *Handler) pageCoolMarket(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	cats, err := h.categoryIndex(r)
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	p := &coolMarketPage{Query: q.Get("q"), Category: q.Get("category")}
	if c, ok := cats[p.Category]; p.Category != "" && (!ok || c.Archived) {
		h.coolFail(w, r, shelf.FieldError("category", "unknown_category", "category %s not found", p.Category))
		return
	}
	req := search.Request{Q: p.Query, Category: p.Category, Kind: search.KindCool, Sort: search.SortRelevance, MinPrice: -1, MaxPrice: -1, Limit: coolMarketLimit}
	if p.Query == "" {
		req.Sort = search.SortPopular
	}
	res, err := h.Market.Search(r.Context(), req)
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	p.Total = res.Total
	if p.Cards, err = h.searchCards(r, res.Hits, cats); err != nil {
		h.coolFail(w, r, err)
		return
	}
	for _, c := range sortedCategories(cats) {
		if c.ParentID == "" {
			v := url.Values{"category": {c.ID}}
			if p.Query != "" {
				v.Set("q", p.Query)
			}
			p.Chips = append(p.Chips, searchChip{Name: c.Name, NameEn: c.NameEn, URL: "/cool?" + v.Encode(), On: c.ID == p.Category})
		}
	}
	h.show(w, r, "cool_market", "cool.market_title", p, nil)
}

// coolAppPage is a cool app's page in the cool app market, with the groups
// the reader may install it into.
type coolAppPage struct {
	*service.CoolMarketApp
	Rev    *shelf.RevisionInfo
	Groups []coolGroupChoice
	Paid   bool
}

// coolGroupChoice is a group the reader manages, in one of their orgs.
type coolGroupChoice struct {
	OrgID, OrgName, GroupID, Name string
}

func (h *Handler) pageCoolApp(w http.ResponseWriter, r *http.Request) { h.showCoolApp(w, r, nil) }

func (h *Handler) showCoolApp(w http.ResponseWriter, r *http.Request, formErr error) {
	c, err := h.CoolAppInMarket(r.Context(), r.PathValue("app"))
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	p := &coolAppPage{CoolMarketApp: c, Rev: c.Listing.Live, Paid: !c.Listing.Live.HasFreeSpec() && len(c.Listing.Live.Specs) > 0}
	if p.Groups, err = h.coolManagedGroups(r); err != nil {
		h.coolFail(w, r, err)
		return
	}
	h.renderView(w, r, "cool_app", pick(language(r), c.Listing.Live.Name, c.Listing.Live.NameEn), p, nil, localFormErr(r, formErr))
}

func localFormErr(r *http.Request, err error) error {
	if err == nil {
		return nil
	}
	return localError(language(r), err)
}

// coolManagedGroups are the groups of the reader's customer orgs that
// they may install cool apps into: every group for org admins, their own
// (owned or administered) for the others.
func (h *Handler) coolManagedGroups(r *http.Request) ([]coolGroupChoice, error) {
	u := userOf(r)
	if u == nil {
		return nil, nil
	}
	orgs, err := h.Store.OrgsForUser(r.Context(), u.ID, shelf.PageReq{})
	if err != nil {
		return nil, err
	}
	var out []coolGroupChoice
	for _, o := range orgs {
		if o.Kind != shelf.OrgCustomer {
			continue
		}
		groups, err := h.Store.Groups(r.Context(), o.ID, shelf.PageReq{})
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			ok := o.Role == shelf.RoleAdmin || g.OwnerID == u.ID
			if !ok {
				role, _, err := h.Store.GroupRole(r.Context(), g.ID, u.ID)
				if err != nil {
					return nil, err
				}
				ok = role == "admin"
			}
			if ok {
				out = append(out, coolGroupChoice{OrgID: o.ID, OrgName: o.Name, GroupID: g.ID, Name: g.Name})
			}
		}
	}
	return out, nil
}

// postCoolInstall installs the cool app into a group the reader manages,
// through the same rules as the API (a paid one needs the subscription).
func (h *Handler) postCoolInstall(w http.ResponseWriter, r *http.Request) {
	u := userOf(r)
	if u == nil {
		h.pageError(w, r, &shelf.Error{Kind: shelf.KindUnauthenticated, Code: "unauthenticated"})
		return
	}
	c, err := h.CoolAppInMarket(r.Context(), r.PathValue("app"))
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	orgID, groupID, _ := strings.Cut(r.PostFormValue("target"), "/")
	acc, err := h.RequireOrgOf(r, orgID, shelf.RoleMember)
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	if ok, err := h.ManagesGroupApps(r.Context(), acc, groupID); err != nil || !ok {
		h.showCoolApp(w, r, orNotFound(err, "group"))
		return
	}
	if _, _, err := h.Listings.Install(r.Context(), shelf.NewInstallation{AppID: c.AppID, OrgID: orgID, GroupID: groupID, ByUserID: u.ID}); err != nil {
		h.showCoolApp(w, r, err)
		return
	}
	done(w, r, "/orgs/"+orgID+"/groups/"+groupID, "cool.installed")
}
