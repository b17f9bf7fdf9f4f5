package api

import (
	"net/http"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

func (h *Handler) orgRoutes() []route {
	return []route{
		{"GET", "/api/v1/orgs", h.listOrgs},
		{"POST", "/api/v1/orgs", h.createOrg},
		{"GET", "/api/v1/orgs/{org}", h.getOrg},
		{"GET", "/api/v1/orgs/{org}/members", h.listMembers},
		{"POST", "/api/v1/orgs/{org}/members", h.addMember},
		{"PATCH", "/api/v1/orgs/{org}/members/{user}", h.setMemberRole},
		{"DELETE", "/api/v1/orgs/{org}/members/{user}", h.removeMember},
		{"GET", "/api/v1/orgs/{org}/invitations", h.listInvitations},
		{"POST", "/api/v1/invitations/{token}/accept", h.acceptInvitation},
		{"GET", "/api/v1/orgs/{org}/groups", h.listGroups},
		{"POST", "/api/v1/orgs/{org}/groups", h.createGroup},
		{"POST", "/api/v1/orgs/{org}/groups/{group}/members", h.addGroupMember},
		{"GET", "/api/v1/orgs/{org}/test-orgs", h.listTestOrgs},
		{"POST", "/api/v1/orgs/{org}/test-orgs", h.createTestOrg},
	}
}

func (h *Handler) listOrgs(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequireUser(r)
	if err != nil {
		return err
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	page, limit, err := orgsPager.request(r, q)
	if err != nil {
		return err
	}
	orgs, err := h.Store.SearchOrgsForUser(r.Context(), u.ID, q, page)
	return orgsPager.write(w, r, orgs, limit, err, q)
}

// The org lists' orders: a person's orgs in the order they joined, an
// org's members likewise, invitations by email, groups by name, test orgs
// oldest first.
var (
	orgsPager        = pager[shelf.OrgWithRole]{tag: "orgs", shape: "is", key: func(o shelf.OrgWithRole) []any { return []any{o.JoinedAt.UnixMicro(), o.ID} }}
	membersPager     = pager[shelf.Membership]{tag: "members", shape: "is", key: func(m shelf.Membership) []any { return []any{m.CreatedAt.UnixMicro(), m.UserID} }}
	invitationsPager = pager[shelf.Invitation]{tag: "invitations", shape: "ss", key: func(i shelf.Invitation) []any { return []any{i.Email, i.ID} }}
	groupsPager      = pager[shelf.Group]{tag: "groups", shape: "ss", key: func(g shelf.Group) []any { return []any{g.Name, g.ID} }}
	testOrgsPager    = pager[shelf.Org]{tag: "test-orgs", shape: "is", key: func(o shelf.Org) []any { return []any{o.CreatedAt.UnixMicro(), o.ID} }}
)

type createOrgRequest struct {
	Name string        `json:"name"`
	Kind shelf.OrgKind `json:"kind"`
}

func (h *Handler) createOrg(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequireUser(r)
	if err != nil {
		return err
	}
	var req createOrgRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := shelf.CheckCreatableOrgKind(req.Kind); err != nil {
		return err
	}
	o, err := h.Store.CreateOrg(r.Context(), shelf.NewOrg{Name: req.Name, Kind: req.Kind, CreatorID: u.ID})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, shelf.OrgWithRole{Org: *o, Role: shelf.RoleAdmin})
	return nil
}

func (h *Handler) getOrg(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, shelf.OrgWithRole{Org: *acc.Org, Role: acc.Role})
	return nil
}

func (h *Handler) listMembers(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	page, limit, err := membersPager.request(r)
	if err != nil {
		return err
	}
	members, err := h.Store.Members(r.Context(), acc.Org.ID, page)
	return membersPager.write(w, r, members, limit, err)
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

// addMember adds a person by email. Someone without an account yet gets
// an invitation (202 instead of 201) whose one-time link, in this answer
// only, the admin passes on; it expires after 7 days.
func (h *Handler) addMember(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	var req addMemberRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Role == "" {
		req.Role = shelf.RoleMember
	}
	var m *shelf.Membership
	var inv *shelf.Invitation
	if req.Invite {
		inv, err = h.Store.Invite(r.Context(), acc.Org.ID, req.Email, req.Role, acc.User.ID)
	} else {
		m, inv, err = h.Store.AddMember(r.Context(), acc.Org.ID, req.Email, req.Role, acc.User.ID)
	}
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if inv != nil {
		status = http.StatusAccepted
		inv.AcceptURL = h.InvitationURL(inv)
	}
	httpx.WriteJSON(w, status, addMemberResponse{Membership: m, Invitation: inv})
	return nil
}

type setRoleRequest struct {
	Role shelf.Role `json:"role"`
}

func (h *Handler) setMemberRole(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	var req setRoleRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := h.Store.SetMemberRole(r.Context(), acc.Org.ID, r.PathValue("user"), req.Role, acc.User.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// removeMember: an admin removes a member; anyone may leave (remove
// themselves), so nobody stays in an org they did not choose.
func (h *Handler) removeMember(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	if r.PathValue("user") != acc.User.ID && !acc.IsAdmin() {
		return shelf.Forbidden("org_admin_required", "only an admin of this org may do this")
	}
	if err := h.Store.RemoveMember(r.Context(), acc.Org.ID, r.PathValue("user"), acc.User.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) listInvitations(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	page, limit, err := invitationsPager.request(r)
	if err != nil {
		return err
	}
	invs, err := h.Store.Invitations(r.Context(), acc.Org.ID, page)
	return invitationsPager.write(w, r, invs, limit, err)
}

func (h *Handler) listGroups(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	page, limit, err := groupsPager.request(r)
	if err != nil {
		return err
	}
	groups, err := h.Store.Groups(r.Context(), acc.Org.ID, page)
	return groupsPager.write(w, r, groups, limit, err)
}

type createGroupRequest struct {
	Name      string   `json:"name"`
	MemberIDs []string `json:"member_ids"`
}

// createGroup lets any member open a group chat; they own it.
func (h *Handler) createGroup(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	var req createGroupRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	g, err := h.Store.CreateGroup(r.Context(), acc.Org.ID, req.Name, acc.User.ID, req.MemberIDs)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, g)
	return nil
}

type addGroupMemberRequest struct {
	UserID string `json:"user_id"`
}

// addGroupMember: the group's owner or an org admin adds a member.
func (h *Handler) addGroupMember(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	g, err := h.OrgGroup(r.Context(), acc, r.PathValue("group"))
	if err != nil {
		return err
	}
	if g.OwnerID != acc.User.ID && !acc.IsAdmin() {
		return shelf.Forbidden("group_owner_required", "only the group's owner or an org admin may add members")
	}
	var req addGroupMemberRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.UserID == "" {
		return shelf.FieldError("user_id", "required", "user_id is required")
	}
	if err := h.Store.AddGroupMember(r.Context(), g.ID, req.UserID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) listTestOrgs(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequirePartnerAdmin(r)
	if err != nil {
		return err
	}
	page, limit, err := testOrgsPager.request(r)
	if err != nil {
		return err
	}
	orgs, err := h.Store.TestOrgs(r.Context(), acc.Org.ID, page)
	return testOrgsPager.write(w, r, orgs, limit, err)
}

type createTestOrgRequest struct {
	Name string `json:"name"`
}

func (h *Handler) createTestOrg(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequirePartnerAdmin(r)
	if err != nil {
		return err
	}
	var req createTestOrgRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	o, err := h.Store.CreateOrg(r.Context(), shelf.NewOrg{Name: req.Name, Kind: shelf.OrgCustomer, CreatorID: acc.User.ID, OwnerOrgID: acc.Org.ID})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, o)
	return nil
}

// acceptInvitation joins the signed-in user to the org of an invitation
// addressed to their email.
func (h *Handler) acceptInvitation(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequireUser(r)
	if err != nil {
		return err
	}
	m, err := h.Store.AcceptInvitation(r.Context(), r.PathValue("token"), u.ID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, m)
	return nil
}
