package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// selfopBrowsers signs in one browser per kind of caller: anonymous,
// member (customer), partner admin, partner member, other partner,
// operator, platform admin.
func selfopBrowsers(f *webtest.Fixture) ([]string, map[string]*webtest.Browser) {
	who := []string{"", demo.MemberEmail, demo.PartnerEmail, "dev@shelf.test", demo.Partner2Email, demo.OperatorEmail, demo.AdminEmail}
	browsers := map[string]*webtest.Browser{"": f.Browser()}
	for _, email := range who[1:] {
		b := f.Browser()
		b.SignIn(email)
		browsers[email] = b
	}
	return who, browsers
}

// TestLeadPagesAuthorization opens the lead pages as each kind of caller:
// a partner's leads are its members' alone; an org's contact requests its
// own members'.
func TestLeadPagesAuthorization(t *testing.T) {
	f := webtest.New(t)
	l, err := f.Store.CreateContactRequest(context.Background(), shelf.NewContactRequest{ListingID: f.RevisionIn("listed").ListingID,
		OrgID: f.World.Customer.ID, ByUserID: f.World.Users[demo.MemberEmail].ID, Consent: true})
	if err != nil {
		t.Fatal(err)
	}
	p1, p2, c := f.World.Partner1.ID, f.World.Partner2.ID, f.World.Customer.ID
	who, browsers := selfopBrowsers(f)
	const signin = http.StatusSeeOther
	for _, c := range []struct {
		path string
		want [7]int
	}{
		{"/orgs/" + p1 + "/leads", [7]int{signin, 404, 200, 200, 404, 404, 404}},
		{"/orgs/" + p1 + "/leads/" + l.ID, [7]int{signin, 404, 200, 200, 404, 404, 404}},
		{"/orgs/" + p2 + "/leads/" + l.ID, [7]int{signin, 404, 404, 404, 404, 404, 404}},
		{"/orgs/" + c + "/contact-requests", [7]int{signin, 200, 404, 404, 404, 404, 404}},
	} {
		for i, email := range who {
			if status, _, _ := browsers[email].Get(c.path); status != c.want[i] {
				t.Errorf("GET %s as %q = %d, want %d", c.path, email, status, c.want[i])
			}
		}
	}
	// Nobody but the listing's partner changes a lead (platform admins are
	// told they are not members); nobody outside the
	// customer org withdraws its consent.
	for i, email := range who[1:] {
		b := browsers[email]
		_, page, _ := b.Get("/orgs")
		csrf := webtest.CSRFOf(t, page)
		status, _, _ := b.Post("/orgs/"+p1+"/leads/"+l.ID, url.Values{"csrf_token": {csrf}, "state": {"lost"}, "lost_reason": {"x"}})
		if want := []int{404, 303, 303, 404, 404, 403}[i]; status != want {
			t.Errorf("update as %s = %d, want %d", email, status, want)
		}
		if email == demo.MemberEmail {
			continue
		}
		if status, _, _ := b.Post("/orgs/"+c+"/contact-requests/"+l.ID+"/withdraw", url.Values{"csrf_token": {csrf}}); status != 404 {
			t.Errorf("withdraw as %s = %d", email, status)
		}
	}
}

// TestLeadPages: a customer asks to be contacted from the listing page
// (refused without consent, in their language); the partner assigns the
// lead, sees the contact details, is told a lost lead needs a reason; the
// customer withdraws and the partner's page shows the lead anonymised.
func TestLeadPages(t *testing.T) {
	f := webtest.New(t)
	listing := f.RevisionIn("listed").ListingID
	customer := f.Browser()
	customer.SignIn(demo.MemberEmail)
	_, page, _ := customer.Get("/listings/" + listing)
	if !strings.Contains(page, `id="contact-form"`) || !strings.Contains(page, "我同意向") {
		t.Fatalf("no contact form: %s", page)
	}
	csrf := webtest.CSRFOf(t, page)
	form := url.Values{"csrf_token": {csrf}, "org_id": {f.World.Customer.ID}, "message": {"想了解价格"}, "source": {"search"}}
	if _, body, _ := customer.Post("/listings/"+listing+"/contact", form); !strings.Contains(body, "请勾选同意") {
		t.Fatalf("no consent: %s", body)
	}
	form.Set("consent", "yes")
	if status, _, h := customer.Post("/listings/"+listing+"/contact", form); status != 303 || !strings.Contains(h.Get("Location"), "lead.asked_flash") {
		t.Fatalf("ask: %d %v", status, h)
	}
	p1 := f.World.Partner1.ID
	partner := f.Browser()
	partner.SignIn(demo.PartnerEmail)
	_, page, _ = partner.Get("/orgs/" + p1 + "/leads?state=new")
	if !strings.Contains(page, f.World.Customer.Name) || !strings.Contains(page, "请求联系") {
		t.Fatalf("lead list: %s", page)
	}
	ls, err := f.Store.Leads(context.Background(), shelf.LeadFilter{PartnerID: p1, ListingID: listing, Limit: 5})
	if err != nil || len(ls) != 1 || ls[0].Source != "search" {
		t.Fatalf("leads = %+v, %v", ls, err)
	}
	leadPath := "/orgs/" + p1 + "/leads/" + ls[0].ID
	_, page, _ = partner.Get(leadPath)
	if !strings.Contains(page, demo.MemberEmail) || !strings.Contains(page, "想了解价格") {
		t.Fatalf("lead page: %s", page)
	}
	csrf = webtest.CSRFOf(t, page)
	dev := f.World.Users["dev@shelf.test"].ID
	if _, body, _ := partner.Post(leadPath, url.Values{"csrf_token": {csrf}, "state": {"lost"}, "lost_reason": {""}}); !strings.Contains(body, "请填写输单原因") {
		t.Fatalf("lost without reason: %s", body)
	}
	status, _, _ := partner.Post(leadPath, url.Values{"csrf_token": {csrf}, "state": {"contacted"}, "owner_id": {dev}, "next_follow_up": {"2020-01-01"}, "note": {"打过电话"}})
	_, page, _ = partner.Get(leadPath)
	if status != 303 || !strings.Contains(page, "已联系") || !strings.Contains(page, "打过电话") || !strings.Contains(page, "逾期") {
		t.Fatalf("updated: %d %s", status, page)
	}
	_, page, _ = customer.Get("/orgs/" + f.World.Customer.ID + "/contact-requests")
	csrf = webtest.CSRFOf(t, page)
	if status, _, _ := customer.Post("/orgs/"+f.World.Customer.ID+"/contact-requests/"+ls[0].ID+"/withdraw", url.Values{"csrf_token": {csrf}}); status != 303 {
		t.Fatalf("withdraw: %d", status)
	}
	partner.Get("/lang?to=en&back=/")
	_, page, _ = partner.Get(leadPath)
	if strings.Contains(page, demo.MemberEmail) || strings.Contains(page, "想了解价格") || !strings.Contains(page, "consent withdrawn: anonymised") {
		t.Fatalf("after withdrawal: %s", page)
	}
}

// TestReviewEditPages: a member of the review's org edits it from the
// listing page; an operator sees how many customers flagged a review.
func TestReviewEditPages(t *testing.T) {
	f := webtest.New(t)
	o := f.FreshOrder(true)
	rt, err := f.Store.CreateRating(context.Background(), shelf.NewRating{ListingID: o.ListingID, OrgID: o.OrgID, ByUserID: f.World.Users[demo.CustomerEmail].ID, Stars: 2, Text: "慢"})
	if err != nil {
		t.Fatal(err)
	}
	member := f.Browser()
	member.SignIn(demo.MemberEmail)
	_, page, _ := member.Get("/listings/" + o.ListingID)
	if !strings.Contains(page, `id="edit-`+rt.ID+`"`) {
		t.Fatalf("no edit form: %s", page)
	}
	form := url.Values{"csrf_token": {webtest.CSRFOf(t, page)}, "rating": {"5"}, "text": {"修好了 fixed"}}
	if status, _, _ := member.Post("/listings/"+o.ListingID+"/reviews/"+rt.ID+"/edit", form); status != 303 {
		t.Fatalf("edit: %d", status)
	}
	if _, err := f.Store.FlagRating(context.Background(), rt.ID, f.World.Users[demo.CustomerEmail].ID, "spam"); err != nil {
		t.Fatal(err)
	}
	op := f.Browser()
	op.SignIn(demo.OperatorEmail)
	_, page, _ = op.Get("/listings/" + o.ListingID)
	if !strings.Contains(page, "修好了 fixed") || !strings.Contains(page, `id="flags-`+rt.ID+`"`) || !strings.Contains(page, "1 位客户举报") {
		t.Fatalf("operator's page: %s", page)
	}
}
