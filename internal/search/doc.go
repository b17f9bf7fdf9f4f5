// Package search is the market's search index: an in-process inverted
// index over the live market listings, on roaring bitmaps, that matches
// Chinese by characters and bigrams (so two-character words such as 考勤
// are found), pinyin in full and by initials (kaoqin, kq), English words by
// their stems with typo tolerance, and the word being typed by prefix.
// It ranks name and tags above subtitle above description, then by
// installs, and highlights what matched. See docs/search.md.
package search

// Doc is what the index knows of one live listing: the texts it matches
// and the facts it filters and sorts by.
type Doc struct {
	ID            string
	Name          string
	NameEn        string
	Subtitle      string
	SubtitleEn    string
	Description   string
	DescriptionEn string
	Tags          []string
	SpecNames     []string
	// Categories are the names (both languages) of the listing's category
	// and of its parent; CategoryIDs their ids, which filters match.
	Categories  []string
	CategoryIDs []string
	Partner     string
	Installs    int64
	Free        bool  // offers a free spec
	Trial       bool  // offers a trial
	LowestPrice int64 // lowest price per user per period of its specs (0 with a free spec), minor units
	Listed      int64 // when its live revision went live, Unix microseconds (newest first)
	// Stars is the average of its visible ratings (0 with none) and
	// Ratings how many there are: sort=rating orders by them.
	Stars   float64
	Ratings int
	Cool    bool // a cool app (used in group chats): the cool app market's listings
}

// Tiers of fields, best first: a match in the name, then in the tags,
// outranks one in the subtitle, spec names, category or partner, which
// outranks one in the description.
const (
	tierName = iota
	tierTags
	tierMid
	tierLow
	tiers
)

var tierWeight = [tiers]float64{16, 12, 6, 2}

// fields calls fn with each text of d and its tier.
func (d *Doc) fields(fn func(text string, tier int)) {
	fn(d.Name, tierName)
	fn(d.NameEn, tierName)
	for _, t := range d.Tags {
		fn(t, tierTags)
	}
	fn(d.Subtitle, tierMid)
	fn(d.SubtitleEn, tierMid)
	for _, s := range d.SpecNames {
		fn(s, tierMid)
	}
	for _, c := range d.Categories {
		fn(c, tierMid)
	}
	fn(d.Partner, tierMid)
	fn(d.Description, tierLow)
	fn(d.DescriptionEn, tierLow)
}
