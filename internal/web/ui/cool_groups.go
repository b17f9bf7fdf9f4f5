package ui

import (
	"net/http"
	"net/url"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/service"
)

// coolCardsPage is how many cards the group page shows at once: a group
// with 1,000 cards renders one page of them, the next through the cursor.
const coolCardsPage = 20

// coolGroupPage is a group chat as its members see it: its cool apps with
// their entry points, and the cards they posted, newest first.
type coolGroupPage struct {
	Org     *shelf.Org
	Group   *shelf.Group
	Apps    []service.GroupCoolApp
	Manages bool
	Cards   []shelf.GroupCard
	Names   map[string]string // app id → name, for the cards
	Older   string            // the next page's address, "" on the last
}

func (h *Handler) pageCoolGroup(w http.ResponseWriter, r *http.Request) {
	acc, g, err := h.RequireGroupMember(r)
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	ctx := r.Context()
	p := &coolGroupPage{Org: acc.Org, Group: g, Names: map[string]string{}}
	if p.Manages, err = h.ManagesGroupApps(ctx, acc, g.ID); err != nil {
		h.coolFail(w, r, err)
		return
	}
	insts, err := h.Cool.GroupInstallations(ctx, g.ID, "", 200)
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	for _, in := range insts {
		a, err := h.GroupCoolApp(ctx, in, acc.User.ID)
		if err != nil {
			h.coolFail(w, r, err)
			return
		}
		p.Apps = append(p.Apps, a)
		p.Names[a.AppID] = pick(language(r), a.Name, a.NameEn)
	}
	cursor := r.URL.Query().Get("cursor")
	if _, _, err := shelf.ParseTimeKey(cursor); err != nil {
		h.coolFail(w, r, err)
		return
	}
	cards, err := h.Cool.GroupCards(ctx, g.ID, cursor, coolCardsPage+1)
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	if len(cards) > coolCardsPage {
		cards = cards[:coolCardsPage]
		last := cards[len(cards)-1]
		p.Older = "/orgs/" + acc.Org.ID + "/groups/" + g.ID + "?cursor=" + url.QueryEscape(shelf.TimeKey(last.CreatedAt, last.ID))
	}
	p.Cards = cards
	h.showIn(w, r, "cool_group", "cool.group_title", p, acc.Org, nil)
}

// pageCoolOpen opens a cool app of the group (at a card button's path),
// signed in: a member without a seat of a paid one is told to ask their
// admin. A link, as the workbench's launch: it changes nothing, and a
// form could not be redirected to another origin (CSP form-action).
func (h *Handler) pageCoolOpen(w http.ResponseWriter, r *http.Request) {
	acc, g, err := h.RequireGroupMember(r)
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	btn := shelf.CardButton{Path: r.URL.Query().Get("path")}
	if err := btn.CheckPath("path"); err != nil {
		h.coolFail(w, r, err)
		return
	}
	in, err := h.Cool.GroupInstallation(r.Context(), g.ID, r.PathValue("app"))
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	if ok, err := h.CoolUsable(r.Context(), in.OrgID, in.AppID, acc.User.ID); err != nil || !ok {
		h.coolFail(w, r, orErr(err, service.ErrAskYourAdmin()))
		return
	}
	to, err := h.CoolLaunchURL(r.Context(), in.AppID, acc.User.ID, btn.Path)
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	if u, perr := url.Parse(to); perr != nil || (u.Scheme != "https" && u.Scheme != "http") {
		h.coolFail(w, r, shelf.NotFound("app"))
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func orErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// postCoolUninstall takes a cool app out of the group (its owner and
// admins, org admins).
func (h *Handler) postCoolUninstall(w http.ResponseWriter, r *http.Request) {
	acc, g, err := h.RequireGroupMember(r)
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	in, err := h.Listings.Installation(r.Context(), r.PathValue("installation"))
	if err != nil || in.GroupID != g.ID {
		h.coolFail(w, r, orNotFound(err, "installation"))
		return
	}
	if ok, err := h.ManagesGroupApps(r.Context(), acc, g.ID); err != nil || !ok {
		h.coolFail(w, r, orErr(err, shelf.Forbidden("group_admin_required", "only the group's owner or admins uninstall its apps")))
		return
	}
	if err := h.Listings.Uninstall(r.Context(), in.ID, acc.User.ID); err != nil {
		h.coolFail(w, r, err)
		return
	}
	done(w, r, "/orgs/"+acc.Org.ID+"/groups/"+g.ID, "cool.uninstalled")
}
