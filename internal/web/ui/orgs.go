package ui

import (
	"maps"
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/auth"
)

func (h *Handler) pageOrgs(w http.ResponseWriter, r *http.Request) {
	h.showOrgs(w, r, nil)
}

// orgsPage is the page of a person's orgs: one page of them, in the
// order they joined, narrowed by name when searched.
type orgsPage struct {
	Orgs   []shelf.OrgWithRole
	Search listSearch
	Paging pagingLinks
}

// orgsList pages a person's orgs as the API does.
var orgsList = pagingList[shelf.OrgWithRole]{tag: "orgs", shape: "is", key: func(o shelf.OrgWithRole) []any { return []any{o.JoinedAt.UnixMicro(), o.ID} }}

func (h *Handler) showOrgs(w http.ResponseWriter, r *http.Request, formErr error) {
	u, err := access.RequireUser(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	r = listRequest(r, "/orgs")
	p := &orgsPage{Search: searchOf(r, "org-search")}
	p.Orgs, p.Paging, err = orgsList.in(p.Search.Q).read(r, pagingSize, func(pr shelf.PageReq) ([]shelf.OrgWithRole, error) {
		return h.Store.SearchOrgsForUser(r.Context(), u.ID, p.Search.Q, pr)
	})
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	h.show(w, r, "orgs", "orgs.title", p, formErr)
}

func (h *Handler) postOrg(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequireUser(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	kind := shelf.OrgKind(r.PostFormValue("kind"))
	if err := shelf.CheckCreatableOrgKind(kind); err != nil {
		h.showOrgs(w, r, err)
		return
	}
	o, err := h.Store.CreateOrg(r.Context(), shelf.NewOrg{Name: r.PostFormValue("name"), Kind: kind, CreatorID: u.ID})
	if err != nil {
		h.showOrgs(w, r, err)
		return
	}
	done(w, r, "/orgs/"+o.ID, "")
}

// orgPage is what the org pages show.
type orgPage struct {
	Org         *shelf.Org
	Role        shelf.Role
	IsAdmin     bool
	Tab         string
	Members     []shelf.Membership
	MemberCount int // all of them; Members may be one page
	Invitations []shelf.Invitation
	Groups      []shelf.Group
	TestOrgs    []shelf.Org
	Names       map[string]string // user id → name, for group owners
	Invited     *shelf.Invitation // right after inviting: the link, shown once
	Paging      pagingLinks       // of the members, the groups or the test orgs
}

// groupsList pages an org's groups by name, as the API does.
var groupsList = pagingList[shelf.Group]{tag: "groups", shape: "ss", key: func(g shelf.Group) []any { return []any{g.Name, g.ID} }}

// testOrgsList pages a partner's test orgs oldest first, as the API does.
var testOrgsList = pagingList[shelf.Org]{tag: "test-orgs", shape: "is", key: func(o shelf.Org) []any { return []any{o.CreatedAt.UnixMicro(), o.ID} }}

// membersList pages an org's members as the API does.
var membersList = pagingList[shelf.Membership]{tag: "members", shape: "is", key: func(m shelf.Membership) []any { return []any{m.CreatedAt.UnixMicro(), m.UserID} }}

// loadOrgPage authorizes and loads the org the page is about.
func (h *Handler) loadOrgPage(r *http.Request, tab string) (*orgPage, error) {
	acc, err := h.RequireOrg(r, shelf.RoleMember)
	if err != nil {
		return nil, err
	}
	// The first 200 members who joined name the people the org's pages
	// mention (seat requests, group owners) and fill their pickers; the
	// members tab pages them all.
	p := &orgPage{Org: acc.Org, Role: acc.Role, IsAdmin: acc.IsAdmin(), Tab: tab, Names: map[string]string{}}
	if p.Members, err = h.Store.Members(r.Context(), acc.Org.ID, shelf.PageReq{}); err != nil {
		return nil, err
	}
	if p.MemberCount, err = h.Store.MemberCount(r.Context(), acc.Org.ID); err != nil {
		return nil, err
	}
	for _, m := range p.Members {
		p.Names[m.UserID] = m.Name
	}
	return p, nil
}

func (h *Handler) showOrg(w http.ResponseWriter, r *http.Request, tab string, formErr error, mods ...func(*orgPage)) {
	p, err := h.loadOrgPage(r, tab)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	for _, mod := range mods {
		mod(p)
	}
	page, title := "org", "org.members"
	switch tab {
	case "members":
		p.Members, p.Paging, err = membersList.read(listRequest(r, "/orgs/"+p.Org.ID), pagingSize, func(pr shelf.PageReq) ([]shelf.Membership, error) {
			return h.Store.Members(r.Context(), p.Org.ID, pr)
		})
		if err != nil {
			h.failPage(w, r, err)
			return
		}
		if p.IsAdmin {
			if p.Invitations, err = h.Store.Invitations(r.Context(), p.Org.ID, shelf.PageReq{}); err != nil {
				h.pageError(w, r, err)
				return
			}
		}
	case "groups":
		page, title = "groups", "org.groups"
		if err = h.loadGroups(r, p); err != nil {
			h.pageError(w, r, err)
			return
		}
	case "test-orgs":
		page, title = "testorgs", "org.test_orgs"
		p.TestOrgs, p.Paging, err = testOrgsList.read(listRequest(r, "/orgs/"+p.Org.ID+"/test-orgs"), pagingSize, func(pr shelf.PageReq) ([]shelf.Org, error) {
			return h.Store.TestOrgs(r.Context(), p.Org.ID, pr)
		})
		if err != nil {
			h.failPage(w, r, err)
			return
		}
	}
	h.renderView(w, r, page, translate(language(r), title)+" · "+p.Org.Name, p, p.Org, formErr)
}

func (h *Handler) pageOrg(w http.ResponseWriter, r *http.Request) { h.showOrg(w, r, "members", nil) }

func (h *Handler) postMember(w http.ResponseWriter, r *http.Request) {
	acc, err := h.RequireOrg(r, shelf.RoleAdmin)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	role := shelf.Role(r.PostFormValue("role"))
	if role == "" {
		role = shelf.RoleMember
	}
	_, inv, err := h.Store.AddMember(r.Context(), acc.Org.ID, r.PostFormValue("email"), role, acc.User.ID)
	if err != nil {
		h.showOrg(w, r, "members", err)
		return
	}
	if inv != nil {
		// Rendered, not redirected: the link must not travel in a URL.
		inv.AcceptURL = h.InvitationURL(inv)
		h.showOrg(w, r, "members", nil, func(p *orgPage) { p.Invited = inv })
		return
	}
	done(w, r, "/orgs/"+acc.Org.ID, "org.added")
}

func (h *Handler) postMemberRole(w http.ResponseWriter, r *http.Request) {
	acc, err := h.RequireOrg(r, shelf.RoleAdmin)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	if err := h.Store.SetMemberRole(r.Context(), acc.Org.ID, r.PathValue("user"), shelf.Role(r.PostFormValue("role")), acc.User.ID); err != nil {
		h.showOrg(w, r, "members", err)
		return
	}
	done(w, r, "/orgs/"+acc.Org.ID, "")
}

func (h *Handler) postMemberRemove(w http.ResponseWriter, r *http.Request) {
	acc, err := h.RequireOrg(r, shelf.RoleAdmin)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	if err := h.Store.RemoveMember(r.Context(), acc.Org.ID, r.PathValue("user"), acc.User.ID); err != nil {
		h.showOrg(w, r, "members", err)
		return
	}
	done(w, r, "/orgs/"+acc.Org.ID, "")
}

func (h *Handler) pageGroups(w http.ResponseWriter, r *http.Request) { h.showOrg(w, r, "groups", nil) }

func (h *Handler) postGroup(w http.ResponseWriter, r *http.Request) {
	acc, err := h.RequireOrg(r, shelf.RoleMember)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.pageError(w, r, &shelf.Error{Kind: shelf.KindBadRequest, Code: "bad_form", Message: "the form cannot be read"})
		return
	}
	if _, err := h.Store.CreateGroup(r.Context(), acc.Org.ID, r.PostFormValue("name"), acc.User.ID, r.PostForm["member"]); err != nil {
		h.showOrg(w, r, "groups", err)
		return
	}
	done(w, r, "/orgs/"+acc.Org.ID+"/groups", "")
}

func (h *Handler) pageTestOrgs(w http.ResponseWriter, r *http.Request) {
	if _, err := h.RequirePartnerAdmin(r); err != nil {
		h.pageError(w, r, err)
		return
	}
	h.showOrg(w, r, "test-orgs", nil)
}

func (h *Handler) postTestOrg(w http.ResponseWriter, r *http.Request) {
	acc, err := h.RequirePartnerAdmin(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	if _, err := h.Store.CreateOrg(r.Context(), shelf.NewOrg{Name: r.PostFormValue("name"), Kind: shelf.OrgCustomer, CreatorID: acc.User.ID, OwnerOrgID: acc.Org.ID}); err != nil {
		h.showOrg(w, r, "test-orgs", err)
		return
	}
	done(w, r, "/orgs/"+acc.Org.ID+"/test-orgs", "")
}

// invitationPage is where an invited person accepts.
type invitationPage struct {
	Invitation *shelf.Invitation
	Token      string
	Matches    bool
}

func (h *Handler) pageInvitation(w http.ResponseWriter, r *http.Request) { h.showInvitation(w, r, nil) }

func (h *Handler) showInvitation(w http.ResponseWriter, r *http.Request, formErr error) {
	inv, err := h.Store.InvitationByToken(r.Context(), r.PathValue("token"))
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	p := &invitationPage{Invitation: inv, Token: r.PathValue("token")}
	if a := auth.FromContext(r.Context()); a != nil {
		p.Matches = a.User.Email == inv.Email
	}
	h.show(w, r, "invitation", "invite.title", p, formErr)
}

func (h *Handler) postInvitation(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequireUser(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	m, err := h.Store.AcceptInvitation(r.Context(), r.PathValue("token"), u.ID)
	if err != nil {
		h.showInvitation(w, r, err)
		return
	}
	done(w, r, "/orgs/"+m.OrgID, "invite.joined")
}

// loadGroups reads the groups tab: one page of the groups, by name, and
// the names of their owners beyond the first 200 members.
func (h *Handler) loadGroups(r *http.Request, p *orgPage) error {
	ctx := r.Context()
	var err error
	p.Groups, p.Paging, err = groupsList.read(listRequest(r, "/orgs/"+p.Org.ID+"/groups"), pagingSize, func(pr shelf.PageReq) ([]shelf.Group, error) {
		return h.Store.Groups(ctx, p.Org.ID, pr)
	})
	if err != nil {
		return err
	}
	var owners []string
	for _, g := range p.Groups {
		if _, ok := p.Names[g.OwnerID]; !ok {
			owners = append(owners, g.OwnerID)
		}
	}
	names, err := h.Store.PeopleNames(ctx, owners)
	maps.Copy(p.Names, names)
	return err
}
