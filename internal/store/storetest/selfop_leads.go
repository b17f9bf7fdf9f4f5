package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

var leadsContract = map[string]func(t *testing.T, open Opener){
	"LeadsContact": testLeadsContact,
	"LeadsTrials":  testLeadsTrials,
}

// testLeadsContact: a contact request needs consent and membership, comes
// once while open, carries its source (a promotion channel wins), moves
// new → contacted → won with an owner of the partner's members, flags an
// overdue follow-up, and loses its contact details when consent goes.
func testLeadsContact(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC))
	sh := NewShop(t, open(t, clock), nil)
	s := sh.S
	ask := func(orgID, by string, consent bool) (*shelf.Lead, error) {
		return s.CreateContactRequest(ctx, shelf.NewContactRequest{ListingID: sh.Listing.ID, OrgID: orgID, ByUserID: by, Message: "请联系我 call me",
			Consent: consent, Source: "search"})
	}
	for _, c := range []struct {
		name, org, by, code string
		consent             bool
	}{
		{"no consent", sh.Customer.ID, sh.Member.ID, "consent_required", false},
		{"not a member", sh.Customer.ID, sh.Partner.ID, "org_member_required", true},
		{"test org", sh.TestOrg.ID, sh.Partner.ID, "test_org", true},
	} {
		_, err := ask(c.org, c.by, c.consent)
		WantCode(t, err, c.code)
	}
	l, err := ask(sh.Customer.ID, sh.Member.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if l.State != shelf.LeadNew || l.Consent != shelf.ConsentGiven || l.Source != "search" || l.OrgID != sh.Customer.ID || l.PartnerID != sh.Listing.OrgID ||
		l.Origin != shelf.LeadFromContact || l.Activity.Installs != 0 {
		t.Fatalf("lead = %+v", l)
	}
	_, err = ask(sh.Customer.ID, sh.Admin.ID, true)
	WantCode(t, err, "contact_request_open")
	if c, err := s.LeadContact(ctx, l.ID); err != nil || c.Email != sh.Member.Email || c.OrgName != sh.Customer.Name || c.Message != "请联系我 call me" {
		t.Fatalf("contact = %+v, %v", c, err)
	}

	change := func(c shelf.LeadChange) (*shelf.Lead, error) { return s.UpdateLead(ctx, l.ID, sh.Partner.ID, c) }
	for _, c := range []struct {
		name   string
		change shelf.LeadChange
		code   string
	}{
		{"owner outside the partner", shelf.LeadChange{OwnerID: &sh.Admin.ID}, "owner_not_member"},
		{"lost without a reason", shelf.LeadChange{State: ptr(shelf.LeadLost)}, "required"},
		{"a bad date", shelf.LeadChange{NextFollowUp: ptr("next week")}, "invalid_date"},
	} {
		_, err := change(c.change)
		WantCode(t, err, c.code)
	}
	if l, err = change(shelf.LeadChange{OwnerID: &sh.Partner.ID, NextFollowUp: ptr("2027-01-09"), State: ptr(shelf.LeadContacted), Note: "打过电话 called"}); err != nil ||
		l.OwnerID != sh.Partner.ID || l.OwnerName == "" || !l.Overdue || l.State != shelf.LeadContacted {
		t.Fatalf("contacted = %+v, %v", l, err)
	}
	if got, err := s.Leads(ctx, shelf.LeadFilter{PartnerID: sh.Listing.OrgID, Overdue: true, Now: clock.Now(), Limit: 10}); err != nil || len(got) != 1 {
		t.Fatalf("overdue = %d, %v", len(got), err)
	}
	if l, err = change(shelf.LeadChange{State: ptr(shelf.LeadWon)}); err != nil || l.State != shelf.LeadWon || l.Overdue {
		t.Fatalf("won = %+v, %v", l, err)
	}
	_, err = change(shelf.LeadChange{State: ptr(shelf.LeadContacted)})
	WantCode(t, err, "invalid_transition")
	if ns, err := s.LeadNotes(ctx, l.ID); err != nil || len(ns) != 1 || ns[0].Text != "打过电话 called" {
		t.Fatalf("notes = %+v, %v", ns, err)
	}

	if l, err = s.WithdrawLeadConsent(ctx, l.ID, sh.Member.ID); err != nil || l.Consent != shelf.ConsentWithdrawn || l.Message != "" || l.State != shelf.LeadWon {
		t.Fatalf("withdrawn = %+v, %v", l, err)
	}
	_, err = s.LeadContact(ctx, l.ID)
	WantCode(t, err, "consent_withdrawn")
	_, err = s.WithdrawLeadConsent(ctx, l.ID, sh.Member.ID)
	WantCode(t, err, "consent_withdrawn")
	want := []string{shelf.EventLeadCreated, shelf.EventLeadUpdated, shelf.EventLeadUpdated, shelf.EventLeadUpdated}
	if got := eventTypes(t, s, sh.App.ID, sh.Customer.ID); !slices.Equal(got, want) {
		t.Fatalf("events = %v, want %v", got, want)
	}

	// A promotion channel's attribution names the source.
	other := MustUser(t, s, shelf.NewID("c")+"@example.com")
	org := MustOrg(t, s, "Orbit", shelf.OrgCustomer, other)
	ch := sh.NewChannel(t, shelf.PromoTargetListing, "", "")
	sh.Visit(t, ch, "v1", other.ID)
	if l, err = ask(org.ID, other.ID, true); err != nil || l.Source != "channel" || l.Channel != ch.Code {
		t.Fatalf("channel lead = %+v, %v", l, err)
	}
}

// testLeadsTrials: a trial start opens a lead with the org's activity, a
// trial ending without a purchase another, each once; test orgs never;
// the list pages newest first and is the partner's alone.
func testLeadsTrials(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC))
	sh := NewShop(t, open(t, clock), nil)
	s := sh.S
	if _, err := s.StartTrial(ctx, sh.Customer.ID, sh.Listing.ID, sh.Admin.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartTrial(ctx, sh.TestOrg.ID, sh.Listing.ID, sh.Partner.ID); err != nil {
		t.Fatal(err)
	}
	list := func(f shelf.LeadFilter) []shelf.Lead {
		t.Helper()
		f.PartnerID, f.Now = sh.Listing.OrgID, clock.Now()
		if f.Limit == 0 {
			f.Limit = 10
		}
		ls, err := s.Leads(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return ls
	}
	ls := list(shelf.LeadFilter{})
	if len(ls) != 1 || ls[0].Origin != shelf.LeadFromTrial || ls[0].Consent != shelf.ConsentNone || ls[0].Activity.Installs != 1 || ls[0].Activity.TrialDaysLeft != 15 {
		t.Fatalf("trial leads = %+v", ls)
	}
	_, err := s.LeadContact(ctx, ls[0].ID)
	WantCode(t, err, "no_consent")
	clock.Advance(12*24*time.Hour + time.Minute)
	for range 2 {
		if _, err := s.SweepCommerce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	ls = list(shelf.LeadFilter{})
	if len(ls) != 2 || ls[0].Origin != shelf.LeadFromTrialEnding || ls[0].Activity.TrialDaysLeft != 3 {
		t.Fatalf("after the sweep = %+v", ls)
	}
	first := list(shelf.LeadFilter{Limit: 1})
	next := list(shelf.LeadFilter{Limit: 1, After: shelf.LeadCursor(first[0])})
	if len(next) != 1 || next[0].ID != ls[1].ID {
		t.Fatalf("second page = %+v", next)
	}
	if got := list(shelf.LeadFilter{State: shelf.LeadWon}); len(got) != 0 {
		t.Fatalf("won = %+v", got)
	}
	if got, err := s.Leads(ctx, shelf.LeadFilter{PartnerID: sh.Customer.ID, Limit: 10}); err != nil || len(got) != 0 {
		t.Fatalf("another org's leads = %+v, %v", got, err)
	}
}
