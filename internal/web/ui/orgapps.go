package ui

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// appRow is one subscription of the org as its admin sees it.
type appRow struct {
	Sub       shelf.Subscription
	AppName   string
	DaysLeft  int        // until the trial or term ends; -1 when it does not end or has ended
	GraceEnds *time.Time // over the limit: when the seats over it stop working
	Used      int        // seats held
	Pct       int        // seats held of licensed, capped at 100 for the bar
}

// seatRequest is a member's "ask my admin" notice.
type seatRequest struct {
	Name      string
	ListingID string
	Listing   string
	At        time.Time
}

// orgAppsPage is the org's apps, subscriptions and seat requests.
type orgAppsPage struct {
	*orgPage
	Apps     []appRow
	Requests []seatRequest
}

// loadOrgAdmin authorizes an org admin and loads the org's tabs.
func (h *Handler) loadOrgAdmin(r *http.Request, tab string) (*orgPage, error) {
	if _, err := h.RequireOrg(r, shelf.RoleAdmin); err != nil {
		return nil, err
	}
	return h.loadOrgPage(r, tab)
}

func (h *Handler) pageOrgApps(w http.ResponseWriter, r *http.Request) {
	op, err := h.loadOrgAdmin(r, "apps")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := &orgAppsPage{orgPage: op}
	subs, err := h.Commerce.Subscriptions(r.Context(), op.Org.ID, shelf.PageReq{})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	now := h.Clock.Now()
	names := appNames{h: h, ctx: r.Context(), names: map[string]string{}}
	for _, s := range subs {
		row := appRow{Sub: s, DaysLeft: -1, Used: s.AssignedSeats}
		if row.AppName, err = names.of(s.AppID); err != nil {
			h.fail(w, r, err)
			return
		}
		if !s.EndsAt.IsZero() && now.Before(s.EndsAt) {
			row.DaysLeft = int((s.EndsAt.Sub(now) + 24*time.Hour - 1) / (24 * time.Hour))
		}
		if s.Status == shelf.SubOverLimit && s.OverLimitSince != nil {
			end := s.OverLimitSince.Add(shelf.OverLimitGrace)
			row.GraceEnds = &end
		}
		row.Pct = min(100, 100*row.Used/max(1, s.Users))
		p.Apps = append(p.Apps, row)
	}
	if p.Requests, err = h.seatRequests(r.Context(), op, language(r)); err != nil {
		h.fail(w, r, err)
		return
	}
	h.showPage(w, r, "orgapps", translate(language(r), "orgapps.title")+" · "+op.Org.Name, p, op.Org, nil)
}

// seatRequests are the org's seat_request notices, with the member's and
// the listing's names.
func (h *Handler) seatRequests(ctx context.Context, op *orgPage, lang string) ([]seatRequest, error) {
	notices, err := h.Listings.Notices(ctx, op.Org.ID, shelf.FirstPage(100))
	if err != nil {
		return nil, err
	}
	listings := map[string]string{}
	var out []seatRequest
	for _, n := range notices {
		if n.Kind != "seat_request" {
			continue
		}
		name, ok := listings[n.ObjectID]
		if !ok {
			li, err := h.Listings.Listing(ctx, n.ObjectID)
			if err != nil {
				return nil, err
			}
			if li.Live != nil {
				name = pick(lang, li.Live.Name, li.Live.NameEn)
			} else {
				name = li.AppName
			}
			listings[n.ObjectID] = name
		}
		who := op.Names[n.Message]
		if who == "" {
			continue // no longer a member
		}
		out = append(out, seatRequest{Name: who, ListingID: n.ObjectID, Listing: name, At: n.CreatedAt})
	}
	return out, nil
}

// appNames looks app names up once each.
type appNames struct {
	h     *Handler
	ctx   context.Context
	names map[string]string
}

func (a appNames) of(id string) (string, error) {
	if n, ok := a.names[id]; ok {
		return n, nil
	}
	app, err := a.h.Apps.App(a.ctx, id)
	if err != nil {
		return "", err
	}
	a.names[id] = app.Name
	return app.Name, nil
}

// orderRow is an order in the org's list.
type orderRow struct {
	shelf.Order
	AppName string
}

// orgOrdersPage lists the org's orders.
type orgOrdersPage struct {
	*orgPage
	Orders []orderRow
	Paging pagingLinks
}

// ordersList pages orders newest first, as the API does.
var ordersList = pagingList[shelf.Order]{tag: "orders", shape: "is", key: func(o shelf.Order) []any { return []any{o.CreatedAt.UnixMicro(), o.ID} }}

func (h *Handler) pageOrgOrders(w http.ResponseWriter, r *http.Request) {
	op, err := h.loadOrgAdmin(r, "orders")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := &orgOrdersPage{orgPage: op}
	orders, links, err := ordersList.in("org").read(r, pagingSize, func(pr shelf.PageReq) ([]shelf.Order, error) {
		return h.Commerce.Orders(r.Context(), shelf.OrderQuery{OrgID: op.Org.ID, PageReq: pr})
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Paging = links
	names := appNames{h: h, ctx: r.Context(), names: map[string]string{}}
	for _, o := range orders {
		n, err := names.of(o.AppID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		p.Orders = append(p.Orders, orderRow{Order: o, AppName: n})
	}
	h.showPage(w, r, "orgorders", translate(language(r), "orgapps.orders")+" · "+op.Org.Name, p, op.Org, nil)
}

// seatsPage is who holds the seats of one subscription: the org's members
// a page at a time (p.Members, p.Paging), each ticked when they hold one.
// Saving changes the members of the page only: a seat held by a member on
// another page is kept.
type seatsPage struct {
	*orgPage
	Sub     *shelf.Subscription
	AppName string
	Holds   map[string]bool
}

func (h *Handler) pageSeats(w http.ResponseWriter, r *http.Request) { h.showSeats(w, r, nil) }

func (h *Handler) showSeats(w http.ResponseWriter, r *http.Request, formErr error) {
	op, err := h.loadOrgAdmin(r, "apps")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	appID := r.PathValue("app")
	sub, err := h.Commerce.Subscription(r.Context(), op.Org.ID, appID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := &seatsPage{orgPage: op, Sub: sub, Holds: map[string]bool{}}
	if p.AppName, err = (appNames{h: h, ctx: r.Context(), names: map[string]string{}}).of(appID); err != nil {
		h.fail(w, r, err)
		return
	}
	path := "/orgs/" + url.PathEscape(op.Org.ID) + "/subscriptions/" + url.PathEscape(appID) + "/seats"
	p.Members, p.Paging, err = membersList.read(listRequest(r, path), pagingSize, func(pr shelf.PageReq) ([]shelf.Membership, error) {
		return h.Store.Members(r.Context(), op.Org.ID, pr)
	})
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	shown := make([]string, len(p.Members))
	for i, m := range p.Members {
		shown[i] = m.UserID
	}
	held, err := h.Commerce.SeatHolders(r.Context(), op.Org.ID, appID, shown)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, id := range held {
		p.Holds[id] = true
	}
	h.showPage(w, r, "seats", translate(language(r), "seats.title")+" · "+p.AppName, p, op.Org, formErr)
}

// postSeats replaces who holds the seats: the members ticked, or every
// member. More than licensed is refused and changes nothing.
func (h *Handler) postSeats(w http.ResponseWriter, r *http.Request) {
	acc, err := h.RequireOrg(r, shelf.RoleAdmin)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, &shelf.Error{Kind: shelf.KindBadRequest, Code: "bad_form", Message: "the form cannot be read"})
		return
	}
	ch := shelf.SeatsChange{ByUserID: acc.User.ID, AllMembers: r.PostFormValue("all_members") == "1"}
	appID := r.PathValue("app")
	if !ch.AllMembers {
		// The form shows one page of members: those it showed get a seat
		// when ticked and lose it when not; everyone else keeps theirs
		// (the store applies it in one transaction).
		ch.UserIDs = append([]string{}, r.PostForm["user"]...)
		ch.Scope = append([]string{}, r.PostForm["shown"]...)
	}
	if _, err := h.Commerce.SetSeats(r.Context(), acc.Org.ID, appID, ch); err != nil {
		h.showSeats(w, r, err)
		return
	}
	done(w, r, "/orgs/"+url.PathEscape(acc.Org.ID)+"/subscriptions/"+url.PathEscape(appID)+"/seats", "seats.saved")
}
