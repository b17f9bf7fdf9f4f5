package search

import (
	"slices"
	"strings"
	"testing"
)

func ids(r Result) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	return out
}

var someQueries = []string{"考勤", "审批", "kaoqin", "kq", "attendance", "attendence", "合同管理", "工厂 attendance", "勤", "", "payrol", "星河", "Task"}

// The shortcut for one-key searches (firstByTier) orders as scoring every
// candidate does.
func TestShortcutOrdersAsScoring(t *testing.T) {
	x := New()
	x.Replace(fixtureDocs(300, 3))
	for _, q := range someQueries {
		for _, s := range []Sort{SortRelevance, SortPopular} {
			fast := x.Search(Request{Q: q, Sort: s, MinPrice: -1, MaxPrice: -1, Offset: 3, Limit: 40})
			slow := x.Search(Request{Q: q, Sort: s, MinPrice: 0, MaxPrice: 1 << 40, Offset: 3, Limit: 40})
			if !slices.Equal(ids(fast), ids(slow)) || fast.Total != slow.Total {
				t.Errorf("%q by %s: shortcut %v (%d), scoring %v (%d)", q, s, ids(fast), fast.Total, ids(slow), slow.Total)
			}
		}
	}
}

// Putting and removing listings one by one finds what a rebuild finds.
func TestPutRemoveMatchRebuild(t *testing.T) {
	docs := fixtureDocs(200, 5)
	inc := New()
	inc.Replace(docs[:100])
	for _, d := range docs[100:] {
		inc.Put(d)
	}
	changed := docs[3]
	changed.Name, changed.Tags = "全新名字", nil
	inc.Put(changed)
	inc.Remove(docs[0].ID)
	inc.Remove("no such listing")
	final := append([]Doc{changed}, docs[4:]...)
	final = append(final, docs[1:3]...)
	re := New()
	re.Replace(final)
	if inc.Len() != re.Len() {
		t.Fatalf("incremental holds %d, rebuilt %d", inc.Len(), re.Len())
	}
	for _, q := range append(someQueries, "全新名字", "qxmz", docs[0].Name, docs[3].Name) {
		a := inc.Search(Request{Q: q, MinPrice: -1, MaxPrice: -1, Limit: 1000})
		b := re.Search(Request{Q: q, MinPrice: -1, MaxPrice: -1, Limit: 1000})
		ga, gb := ids(a), ids(b)
		slices.Sort(ga)
		slices.Sort(gb)
		if !slices.Equal(ga, gb) {
			t.Errorf("%q: incremental finds %v, rebuilt %v", q, ga, gb)
		}
	}
}

func TestFiltersAndSorts(t *testing.T) {
	x := New()
	x.Replace(fixtureDocs(200, 9))
	all := x.Search(Request{MinPrice: -1, MaxPrice: -1, Limit: 1000})
	if want := 200 + len(fixtureAnchors()); all.Total != want {
		t.Fatalf("blank query finds %d, want all %d", all.Total, want)
	}
	for _, c := range []struct {
		name string
		r    Request
		ok   func(d *Doc) bool
	}{
		{"free", Request{Free: true, MinPrice: -1, MaxPrice: -1}, func(d *Doc) bool { return d.Free }},
		{"trial", Request{Trial: true, MinPrice: -1, MaxPrice: -1}, func(d *Doc) bool { return d.Trial }},
		{"price", Request{MinPrice: 1000, MaxPrice: 2000}, func(d *Doc) bool { return d.LowestPrice >= 1000 && d.LowestPrice <= 2000 }},
		{"parent category", Request{Category: "hr", MinPrice: -1, MaxPrice: -1}, func(d *Doc) bool { return slices.Contains(d.CategoryIDs, "hr") }},
		{"unknown category", Request{Category: "nope", MinPrice: -1, MaxPrice: -1}, func(d *Doc) bool { return false }},
	} {
		c.r.Limit = 1000
		res := x.Search(c.r)
		want := 0
		for _, d := range x.st.docs {
			if d != nil && c.ok(d) {
				want++
			}
		}
		if res.Total != want || len(res.Hits) != want {
			t.Errorf("%s: total %d hits %d, want %d", c.name, res.Total, len(res.Hits), want)
		}
	}
	for _, s := range []Sort{SortNewest, SortPrice, SortPopular, SortRating} {
		res := x.Search(Request{Sort: s, MinPrice: -1, MaxPrice: -1, Limit: 1000})
		for i := 1; i < len(res.Hits); i++ {
			a, b := x.doc(res.Hits[i-1].ID), x.doc(res.Hits[i].ID)
			bad := (s == SortNewest && a.Listed < b.Listed) || (s == SortPrice && a.LowestPrice > b.LowestPrice) || (s == SortPopular && a.Installs < b.Installs) ||
				(s == SortRating && (a.Stars < b.Stars || a.Stars == b.Stars && a.Ratings < b.Ratings))
			if bad {
				t.Fatalf("by %s: %s before %s", s, a.ID, b.ID)
			}
		}
	}
	total := 200 + len(fixtureAnchors())
	page := x.Search(Request{Sort: SortPopular, MinPrice: -1, MaxPrice: -1, Offset: total - 10, Limit: 20})
	if len(page.Hits) != 10 || page.Total != total {
		t.Errorf("last page: %d hits of %d", len(page.Hits), page.Total)
	}
}

func (x *Index) doc(id string) *Doc { return x.st.docs[x.st.byID[id]] }

func TestHighlightsEscapeAndSnippet(t *testing.T) {
	x := New()
	long := "<b>开头</b>" + string(slices.Repeat([]rune("无关的文字"), 30)) + "这里讲考勤<script>" + string(slices.Repeat([]rune("尾巴"), 60))
	x.Replace([]Doc{{ID: "a", Name: "A&B 考勤", Description: long}})
	h := x.Search(Request{Q: "考勤", MinPrice: -1, MaxPrice: -1, Limit: 1}).Hits[0].Highlights
	if got, want := h["name"], "A&amp;B <mark>考勤</mark>"; got != want {
		t.Errorf("name highlight %q, want %q", got, want)
	}
	d := h["description"]
	if len([]rune(d)) > snippetRunes+30 || !strings.HasPrefix(d, "…") {
		t.Errorf("description not cut to a snippet: %q", d)
	}
	if want := "这里讲<mark>考勤</mark>&lt;script&gt;"; !contains(d, want) {
		t.Errorf("description highlight %q lacks %q", d, want)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
