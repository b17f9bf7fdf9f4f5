package storetest

import (
	"context"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
)

// testRatings: an org that never had the app may not review it; a
// customer reviews once; the partner replies once; a hidden review leaves
// the summary.
func testRatings(t *testing.T, open Opener) {
	ctx := context.Background()
	sh := NewShop(t, open(t, nil), nil)
	s := sh.S
	review := func(sh *Shop, by string, stars int) (*shelf.Rating, error) {
		return s.CreateRating(ctx, shelf.NewRating{ListingID: sh.Listing.ID, OrgID: sh.Customer.ID, ByUserID: by, Stars: stars, Text: "好用 handy"})
	}
	_, err := review(sh, sh.Admin.ID, 5)
	WantCode(t, err, "not_a_customer")
	if _, err := s.StartTrial(ctx, sh.Customer.ID, sh.Listing.ID, sh.Admin.ID); err != nil {
		t.Fatal(err)
	}
	_, err = review(sh, sh.Partner.ID, 5)
	WantCode(t, err, "org_member_required")
	_, err = review(sh, sh.Member.ID, 6)
	WantCode(t, err, "out_of_range")
	r, err := review(sh, sh.Member.ID, 4)
	if err != nil {
		t.Fatal(err)
	}
	if r.AuthorRole != shelf.RoleMember || r.Stars != 4 || r.OrgName != sh.Customer.Name || r.Hidden {
		t.Fatalf("review = %+v", r)
	}
	_, err = review(sh, sh.Admin.ID, 1)
	WantCode(t, err, "review_exists")
	// A test org never counts as a customer.
	tsh := *sh
	tsh.Customer = sh.TestOrg
	if _, err := s.StartTrial(ctx, sh.TestOrg.ID, sh.Listing.ID, sh.Partner.ID); err != nil {
		t.Fatal(err)
	}
	_, err = review(&tsh, sh.Partner.ID, 5)
	WantCode(t, err, "not_a_customer")

	if r, err = s.ReplyRating(ctx, r.ID, sh.Partner.ID, "谢谢 thanks"); err != nil || r.Reply != "谢谢 thanks" || r.RepliedAt == nil {
		t.Fatalf("reply = %+v, %v", r, err)
	}
	_, err = s.ReplyRating(ctx, r.ID, sh.Partner.ID, "again")
	WantCode(t, err, "reply_exists")

	other := *sh
	other.Admin = MustUser(t, s, shelf.NewID("o")+"@example.com")
	other.Customer = MustOrg(t, s, "Orbit", shelf.OrgCustomer, other.Admin)
	if _, err := s.StartTrial(ctx, other.Customer.ID, sh.Listing.ID, other.Admin.ID); err != nil {
		t.Fatal(err)
	}
	r2, err := review(&other, other.Admin.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := s.Ratings(ctx, sh.Listing.ID)
	if got := shelf.Summarize(rs); err != nil || got.Count != 2 || got.Average != 2.5 || got.Distribution != [5]int{1, 0, 0, 1, 0} {
		t.Fatalf("summary = %+v, %v", got, err)
	}
	_, err = s.HideRating(ctx, r2.ID, sh.Partner.ID, "")
	WantCode(t, err, "required")
	if r2, err = s.HideRating(ctx, r2.ID, sh.Partner.ID, "abusive"); err != nil || !r2.Hidden || r2.HiddenReason != "abusive" {
		t.Fatalf("hidden = %+v, %v", r2, err)
	}
	rs, _ = s.Ratings(ctx, sh.Listing.ID)
	if got := shelf.Summarize(rs); got.Count != 1 || got.Average != 4 {
		t.Fatalf("after hiding = %+v", got)
	}
	// The summary of all the visible reviews is counted by the database,
	// and the pages leave the hidden one out unless asked for it.
	if got, err := s.RatingSummary(ctx, sh.Listing.ID); err != nil || got != shelf.Summarize(rs) {
		t.Fatalf("summary = %+v, %v", got, err)
	}
	if page, err := s.RatingsPage(ctx, sh.Listing.ID, false, shelf.FirstPage(5)); err != nil || len(page) != 1 || page[0].ID == r2.ID {
		t.Fatalf("visible page = %+v, %v", page, err)
	}
	all, err := s.RatingsPage(ctx, sh.Listing.ID, true, shelf.FirstPage(1))
	if err != nil || len(all) != 1 || all[0].ID != r2.ID {
		t.Fatalf("newest of all = %+v, %v", all, err)
	}
	rest, err := s.RatingsPage(ctx, sh.Listing.ID, true, shelf.PageReq{Limit: 5, After: []any{all[0].CreatedAt.UnixMicro(), all[0].ID}})
	if err != nil || len(rest) != 1 || rest[0].ID == r2.ID {
		t.Fatalf("after the newest = %+v, %v", rest, err)
	}
}
