package shelf

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDeriveAppState(t *testing.T) {
	for _, c := range []struct {
		name string
		f    AppFacts
		want string
	}{
		{"new", AppFacts{}, AppDraft},
		{"failed self-test", AppFacts{SelfTestCurrent: true}, AppDraft},
		{"stale self-test", AppFacts{SelfTestPassed: true}, AppDraft},
		{"self-tested", AppFacts{SelfTestPassed: true, SelfTestCurrent: true}, AppSelfTested},
		{"draft revision", AppFacts{Listing: ListingUnlisted, Revision: RevisionDraft, SelfTestPassed: true, SelfTestCurrent: true}, AppSelfTested},
		{"submitted", AppFacts{Listing: ListingUnlisted, Revision: RevisionSubmitted}, AppInReview},
		{"rejected", AppFacts{Listing: ListingUnlisted, Revision: RevisionRejected, SelfTestPassed: true, SelfTestCurrent: true}, AppRejected},
		{"listed", AppFacts{Listing: ListingListed, Revision: RevisionApproved}, AppListed},
		{"listed, new revision in review", AppFacts{Listing: ListingListed, Revision: RevisionSubmitted}, AppListed},
		{"delisted", AppFacts{Listing: ListingDelisted, Revision: RevisionApproved}, AppDelisted},
		{"taken down", AppFacts{Listing: ListingTakenDown, Revision: RevisionRejected}, AppTakenDown},
	} {
		if got := DeriveAppState(c.f); got != c.want {
			t.Errorf("%s: DeriveAppState(%+v) = %q, want %q", c.name, c.f, got, c.want)
		}
	}
}

func TestFillCategoryTree(t *testing.T) {
	cats := []Category{{ID: "cat_office"}, {ID: "cat_hr", ParentID: "cat_office"}, {ID: "cat_old", ParentID: "cat_empty", Archived: true}, {ID: "cat_empty"}}
	FillCategoryTree(cats)
	for i, want := range []struct {
		leaf bool
		path string
	}{{false, "cat_office"}, {true, "cat_office/cat_hr"}, {true, "cat_empty/cat_old"}, {true, "cat_empty"}} {
		if got := strings.Join(cats[i].Path, "/"); cats[i].IsLeaf != want.leaf || got != want.path {
			t.Errorf("%s: leaf %v path %s, want %v %s", cats[i].ID, cats[i].IsLeaf, got, want.leaf, want.path)
		}
	}
}

func TestImageURL(t *testing.T) {
	b, err := json.Marshal(Revision{Icon: &Image{ID: "med_1"}, Screenshots: []Image{{ID: "med_2", URL: "https://elsewhere/x"}}})
	if err != nil || !strings.Contains(string(b), `"url":"/media/med_1"`) || !strings.Contains(string(b), `"url":"/media/med_2"`) {
		t.Fatalf("%s %v", b, err)
	}
}
