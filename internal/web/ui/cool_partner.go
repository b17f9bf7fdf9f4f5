package ui

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
)

// coolPartnerPage is a partner org's place in the partner program and,
// for its admins, the application form.
type coolPartnerPage struct {
	Org    *shelf.Org
	Status *shelf.PartnerStatus
	Admin  bool
	Form   shelf.PartnerApplicationInput
}

func (h *Handler) pageCoolPartner(w http.ResponseWriter, r *http.Request) {
	h.showCoolPartner(w, r, nil, nil)
}

func (h *Handler) showCoolPartner(w http.ResponseWriter, r *http.Request, form *shelf.PartnerApplicationInput, formErr error) {
	acc, err := h.RequireOrg(r, shelf.RoleMember)
	if err == nil && !access.IsPartnerOrg(acc.Org) {
		err = shelf.NotFound("page")
	}
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	st, err := h.Cool.PartnerStatus(r.Context(), acc.Org.ID)
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	p := &coolPartnerPage{Org: acc.Org, Status: st, Admin: acc.IsAdmin()}
	if form != nil {
		p.Form = *form
	} else if st.Latest != nil {
		p.Form = st.Latest.PartnerApplicationInput
	} else {
		p.Form.CompanyName = acc.Org.Name
	}
	h.showLocal(w, r, "cool_partner", "cool.partner_title", p, acc.Org, formErr)
}

func (h *Handler) postCoolPartner(w http.ResponseWriter, r *http.Request) {
	acc, err := h.RequireOrg(r, shelf.RoleAdmin)
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	in := shelf.PartnerApplicationInput{CompanyName: r.PostFormValue("company_name"), RegistrationNo: r.PostFormValue("registration_no"),
		Contact: r.PostFormValue("contact"), Website: r.PostFormValue("website"), Builds: r.PostFormValue("builds")}
	if _, err := h.Cool.ApplyPartnerProgram(r.Context(), acc.Org.ID, acc.User.ID, in); err != nil {
		h.showCoolPartner(w, r, &in, err)
		return
	}
	done(w, r, "/orgs/"+acc.Org.ID+"/partner-program", "cool.partner_applied")
}

// coolPartnerAdminPage is the platform admins' view of the program: the
// applications waiting, and the members with their standing.
type coolPartnerAdminPage struct {
	Pending []shelf.PartnerApplication
	Members []coolMember
}

// coolMember is an approved org with its standing.
type coolMember struct {
	App    shelf.PartnerApplication
	Status *shelf.PartnerStatus
}

// coolAdminPage is how many rows the admin pages show; older ones are
// reached through the API's cursor.
const coolAdminPage = 100

func (h *Handler) pageCoolPartnerAdmin(w http.ResponseWriter, r *http.Request) {
	h.showCoolPartnerAdmin(w, r, nil)
}

func (h *Handler) showCoolPartnerAdmin(w http.ResponseWriter, r *http.Request, formErr error) {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		h.coolFail(w, r, err)
		return
	}
	p := &coolPartnerAdminPage{}
	var err error
	if p.Pending, err = h.Cool.PartnerApplications(r.Context(), shelf.PartnerPending, "", coolAdminPage); err != nil {
		h.coolFail(w, r, err)
		return
	}
	approved, err := h.Cool.PartnerApplications(r.Context(), shelf.PartnerApproved, "", coolAdminPage)
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	for _, a := range approved {
		st, err := h.Cool.PartnerStatus(r.Context(), a.OrgID)
		if err != nil {
			h.coolFail(w, r, err)
			return
		}
		p.Members = append(p.Members, coolMember{App: a, Status: st})
	}
	h.showLocal(w, r, "cool_partner_admin", "cool.partner_admin_title", p, nil, formErr)
}

func (h *Handler) postCoolPartnerDecision(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	d := shelf.PartnerDecision{Approve: r.PostFormValue("decision") == "approve", Reason: r.PostFormValue("reason")}
	if _, err := h.Cool.DecidePartnerApplication(r.Context(), r.PathValue("application"), u.ID, d); err != nil {
		h.showCoolPartnerAdmin(w, r, err)
		return
	}
	done(w, r, "/admin/partner-program", "cool.decided")
}

func (h *Handler) postCoolPartnerStanding(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	change := h.Cool.SuspendPartner
	if r.PostFormValue("action") == "reinstate" {
		change = h.Cool.ReinstatePartner
	}
	if _, err := change(r.Context(), r.PathValue("org"), u.ID, r.PostFormValue("reason")); err != nil {
		h.showCoolPartnerAdmin(w, r, err)
		return
	}
	done(w, r, "/admin/partner-program", "cool.standing_changed")
}
