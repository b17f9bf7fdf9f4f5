package web

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
)

func (s *Server) pageOrgs(w http.ResponseWriter, r *http.Request) {
	s.showOrgs(w, r, nil)
}

func (s *Server) showOrgs(w http.ResponseWriter, r *http.Request, formErr error) {
	if _, err := requireUser(r); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.show(w, r, "orgs", "orgs.title", nil, formErr)
}

func (s *Server) postOrg(w http.ResponseWriter, r *http.Request) {
	u, err := requireUser(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	kind := shelf.OrgKind(r.PostFormValue("kind"))
	if err := shelf.CheckCreatableOrgKind(kind); err != nil {
		s.showOrgs(w, r, err)
		return
	}
	o, err := s.store.CreateOrg(r.Context(), shelf.NewOrg{Name: r.PostFormValue("name"), Kind: kind, CreatorID: u.ID})
	if err != nil {
		s.showOrgs(w, r, err)
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
	Invitations []shelf.Invitation
	Groups      []shelf.Group
	TestOrgs    []shelf.Org
	Names       map[string]string // user id → name, for group owners
	Invited     *shelf.Invitation // right after inviting: the link, shown once
}

// loadOrgPage authorizes and loads the org the page is about.
func (s *Server) loadOrgPage(r *http.Request, tab string) (*orgPage, error) {
	acc, err := s.requireOrg(r, shelf.RoleMember)
	if err != nil {
		return nil, err
	}
	p := &orgPage{Org: acc.org, Role: acc.role, IsAdmin: acc.isAdmin(), Tab: tab, Names: map[string]string{}}
	if p.Members, err = s.store.Members(r.Context(), acc.org.ID); err != nil {
		return nil, err
	}
	for _, m := range p.Members {
		p.Names[m.UserID] = m.Name
	}
	return p, nil
}

func (s *Server) showOrg(w http.ResponseWriter, r *http.Request, tab string, formErr error, mods ...func(*orgPage)) {
	p, err := s.loadOrgPage(r, tab)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	for _, mod := range mods {
		mod(p)
	}
	page, title := "org", "org.members"
	switch tab {
	case "members":
		if p.IsAdmin {
			if p.Invitations, err = s.store.Invitations(r.Context(), p.Org.ID); err != nil {
				s.pageError(w, r, err)
				return
			}
		}
	case "groups":
		page, title = "groups", "org.groups"
		if p.Groups, err = s.store.Groups(r.Context(), p.Org.ID); err != nil {
			s.pageError(w, r, err)
			return
		}
	case "test-orgs":
		page, title = "testorgs", "org.test_orgs"
		if p.TestOrgs, err = s.store.TestOrgs(r.Context(), p.Org.ID); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	s.renderView(w, r, page, translate(language(r), title)+" · "+p.Org.Name, p, p.Org, formErr)
}

func (s *Server) pageOrg(w http.ResponseWriter, r *http.Request) { s.showOrg(w, r, "members", nil) }

func (s *Server) postMember(w http.ResponseWriter, r *http.Request) {
	acc, err := s.requireOrg(r, shelf.RoleAdmin)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	role := shelf.Role(r.PostFormValue("role"))
	if role == "" {
		role = shelf.RoleMember
	}
	_, inv, err := s.store.AddMember(r.Context(), acc.org.ID, r.PostFormValue("email"), role, acc.user.ID)
	if err != nil {
		s.showOrg(w, r, "members", err)
		return
	}
	if inv != nil {
		// Rendered, not redirected: the link must not travel in a URL.
		inv.AcceptURL = s.invitationURL(inv)
		s.showOrg(w, r, "members", nil, func(p *orgPage) { p.Invited = inv })
		return
	}
	done(w, r, "/orgs/"+acc.org.ID, "org.added")
}

func (s *Server) postMemberRole(w http.ResponseWriter, r *http.Request) {
	acc, err := s.requireOrg(r, shelf.RoleAdmin)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := s.store.SetMemberRole(r.Context(), acc.org.ID, r.PathValue("user"), shelf.Role(r.PostFormValue("role")), acc.user.ID); err != nil {
		s.showOrg(w, r, "members", err)
		return
	}
	done(w, r, "/orgs/"+acc.org.ID, "")
}

func (s *Server) postMemberRemove(w http.ResponseWriter, r *http.Request) {
	acc, err := s.requireOrg(r, shelf.RoleAdmin)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := s.store.RemoveMember(r.Context(), acc.org.ID, r.PathValue("user"), acc.user.ID); err != nil {
		s.showOrg(w, r, "members", err)
		return
	}
	done(w, r, "/orgs/"+acc.org.ID, "")
}

func (s *Server) pageGroups(w http.ResponseWriter, r *http.Request) { s.showOrg(w, r, "groups", nil) }

func (s *Server) postGroup(w http.ResponseWriter, r *http.Request) {
	acc, err := s.requireOrg(r, shelf.RoleMember)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, &shelf.Error{Kind: shelf.KindBadRequest, Code: "bad_form", Message: "the form cannot be read"})
		return
	}
	if _, err := s.store.CreateGroup(r.Context(), acc.org.ID, r.PostFormValue("name"), acc.user.ID, r.PostForm["member"]); err != nil {
		s.showOrg(w, r, "groups", err)
		return
	}
	done(w, r, "/orgs/"+acc.org.ID+"/groups", "")
}

func (s *Server) pageTestOrgs(w http.ResponseWriter, r *http.Request) {
	if _, err := s.requirePartnerAdmin(r); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.showOrg(w, r, "test-orgs", nil)
}

func (s *Server) postTestOrg(w http.ResponseWriter, r *http.Request) {
	acc, err := s.requirePartnerAdmin(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if _, err := s.store.CreateOrg(r.Context(), shelf.NewOrg{Name: r.PostFormValue("name"), Kind: shelf.OrgCustomer, CreatorID: acc.user.ID, OwnerOrgID: acc.org.ID}); err != nil {
		s.showOrg(w, r, "test-orgs", err)
		return
	}
	done(w, r, "/orgs/"+acc.org.ID+"/test-orgs", "")
}

// invitationPage is where an invited person accepts.
type invitationPage struct {
	Invitation *shelf.Invitation
	Token      string
	Matches    bool
}

func (s *Server) pageInvitation(w http.ResponseWriter, r *http.Request) { s.showInvitation(w, r, nil) }

func (s *Server) showInvitation(w http.ResponseWriter, r *http.Request, formErr error) {
	inv, err := s.store.InvitationByToken(r.Context(), r.PathValue("token"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := &invitationPage{Invitation: inv, Token: r.PathValue("token")}
	if a := actorFrom(r.Context()); a != nil {
		p.Matches = a.user.Email == inv.Email
	}
	s.show(w, r, "invitation", "invite.title", p, formErr)
}

func (s *Server) postInvitation(w http.ResponseWriter, r *http.Request) {
	u, err := requireUser(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	m, err := s.store.AcceptInvitation(r.Context(), r.PathValue("token"), u.ID)
	if err != nil {
		s.showInvitation(w, r, err)
		return
	}
	done(w, r, "/orgs/"+m.OrgID, "invite.joined")
}
