package web

import (
	"net/http"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
)

func (s *Server) apiListOrgs(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	orgs, err := s.store.OrgsForUser(r.Context(), u.ID)
	return writeList(w, orgs, err)
}

type createOrgRequest struct {
	Name string        `json:"name"`
	Kind shelf.OrgKind `json:"kind"`
}

func (s *Server) apiCreateOrg(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	var req createOrgRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := shelf.CheckCreatableOrgKind(req.Kind); err != nil {
		return err
	}
	o, err := s.store.CreateOrg(r.Context(), shelf.NewOrg{Name: req.Name, Kind: req.Kind, CreatorID: u.ID})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, shelf.OrgWithRole{Org: *o, Role: shelf.RoleAdmin})
	return nil
}

func (s *Server) apiGetOrg(w http.ResponseWriter, r *http.Request) error {
	acc, err := s.requireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, shelf.OrgWithRole{Org: *acc.org, Role: acc.role})
	return nil
}

func (s *Server) apiListMembers(w http.ResponseWriter, r *http.Request) error {
	acc, err := s.requireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	members, err := s.store.Members(r.Context(), acc.org.ID)
	return writeList(w, members, err)
}

type addMemberRequest struct {
	Email string     `json:"email"`
	Role  shelf.Role `json:"role"`
	// Invite asks for an invitation link even when the person has an
	// account, so that they join only by accepting.
	Invite bool `json:"invite"`
}

type addMemberResponse struct {
	Membership *shelf.Membership `json:"membership,omitempty"`
	Invitation *shelf.Invitation `json:"invitation,omitempty"`
}

// apiAddMember adds a person by email. Someone without an account yet gets
// an invitation (202 instead of 201) whose one-time link, in this answer
// only, the admin passes on; it expires after 7 days.
func (s *Server) apiAddMember(w http.ResponseWriter, r *http.Request) error {
	acc, err := s.requireOrg(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	var req addMemberRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Role == "" {
		req.Role = shelf.RoleMember
	}
	var m *shelf.Membership
	var inv *shelf.Invitation
	if req.Invite {
		inv, err = s.store.Invite(r.Context(), acc.org.ID, req.Email, req.Role, acc.user.ID)
	} else {
		m, inv, err = s.store.AddMember(r.Context(), acc.org.ID, req.Email, req.Role, acc.user.ID)
	}
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if inv != nil {
		status = http.StatusAccepted
		inv.AcceptURL = s.invitationURL(inv)
	}
	writeJSON(w, status, addMemberResponse{Membership: m, Invitation: inv})
	return nil
}

type setRoleRequest struct {
	Role shelf.Role `json:"role"`
}

func (s *Server) apiSetMemberRole(w http.ResponseWriter, r *http.Request) error {
	acc, err := s.requireOrg(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	var req setRoleRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := s.store.SetMemberRole(r.Context(), acc.org.ID, r.PathValue("user"), req.Role, acc.user.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiRemoveMember: an admin removes a member; anyone may leave (remove
// themselves), so nobody stays in an org they did not choose.
func (s *Server) apiRemoveMember(w http.ResponseWriter, r *http.Request) error {
	acc, err := s.requireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	if r.PathValue("user") != acc.user.ID && !acc.isAdmin() {
		return shelf.Forbidden("org_admin_required", "only an admin of this org may do this")
	}
	if err := s.store.RemoveMember(r.Context(), acc.org.ID, r.PathValue("user"), acc.user.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiListInvitations(w http.ResponseWriter, r *http.Request) error {
	acc, err := s.requireOrg(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	invs, err := s.store.Invitations(r.Context(), acc.org.ID)
	return writeList(w, invs, err)
}

func (s *Server) apiListGroups(w http.ResponseWriter, r *http.Request) error {
	acc, err := s.requireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	groups, err := s.store.Groups(r.Context(), acc.org.ID)
	return writeList(w, groups, err)
}

type createGroupRequest struct {
	Name      string   `json:"name"`
	MemberIDs []string `json:"member_ids"`
}

// apiCreateGroup lets any member open a group chat; they own it.
func (s *Server) apiCreateGroup(w http.ResponseWriter, r *http.Request) error {
	acc, err := s.requireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	var req createGroupRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	g, err := s.store.CreateGroup(r.Context(), acc.org.ID, req.Name, acc.user.ID, req.MemberIDs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, g)
	return nil
}

type addGroupMemberRequest struct {
	UserID string `json:"user_id"`
}

// apiAddGroupMember: the group's owner or an org admin adds a member.
func (s *Server) apiAddGroupMember(w http.ResponseWriter, r *http.Request) error {
	acc, err := s.requireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	g, err := s.store.Group(r.Context(), r.PathValue("group"))
	if err != nil || g.OrgID != acc.org.ID {
		return shelf.NotFound("group")
	}
	if g.OwnerID != acc.user.ID && !acc.isAdmin() {
		return shelf.Forbidden("group_owner_required", "only the group's owner or an org admin may add members")
	}
	var req addGroupMemberRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.UserID == "" {
		return shelf.FieldError("user_id", "required", "user_id is required")
	}
	if err := s.store.AddGroupMember(r.Context(), g.ID, req.UserID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// requirePartnerAdmin checks the caller administers a (non-test) partner
// org in which the partner console is installed (the seed's step 1).
func (s *Server) requirePartnerAdmin(r *http.Request) (orgAccess, error) {
	acc, err := s.requireOrg(r, shelf.RoleAdmin)
	if err != nil {
		return acc, err
	}
	if acc.org.Kind != shelf.OrgPartner || acc.org.Test {
		return acc, shelf.Forbidden("partner_org_required", "this is for partner orgs")
	}
	return acc, s.requireConsole(r.Context(), acc.org.ID)
}

func (s *Server) apiListTestOrgs(w http.ResponseWriter, r *http.Request) error {
	acc, err := s.requirePartnerAdmin(r)
	if err != nil {
		return err
	}
	orgs, err := s.store.TestOrgs(r.Context(), acc.org.ID)
	return writeList(w, orgs, err)
}

type createTestOrgRequest struct {
	Name string `json:"name"`
}

func (s *Server) apiCreateTestOrg(w http.ResponseWriter, r *http.Request) error {
	acc, err := s.requirePartnerAdmin(r)
	if err != nil {
		return err
	}
	var req createTestOrgRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	o, err := s.store.CreateOrg(r.Context(), shelf.NewOrg{Name: req.Name, Kind: shelf.OrgCustomer, CreatorID: acc.user.ID, OwnerOrgID: acc.org.ID})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, o)
	return nil
}

// invitationURL is the page where the invited person accepts.
func (s *Server) invitationURL(inv *shelf.Invitation) string {
	return strings.TrimRight(s.baseURL.String(), "/") + "/invitations/" + inv.Token
}

// apiAcceptInvitation joins the signed-in user to the org of an invitation
// addressed to their email.
func (s *Server) apiAcceptInvitation(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	m, err := s.store.AcceptInvitation(r.Context(), r.PathValue("token"), u.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, m)
	return nil
}
