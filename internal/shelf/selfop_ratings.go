package shelf

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Rating is an org's customer review of a listing: stars and text by one
// of its members (their role shown), the partner's one public reply, and
// whether an operator hid it (with the reason).
type Rating struct {
	ID           string     `json:"id"`
	ListingID    string     `json:"listing_id"`
	OrgID        string     `json:"org_id"`
	OrgName      string     `json:"org_name"`
	AuthorID     string     `json:"author_id"`
	AuthorName   string     `json:"author_name"`
	AuthorRole   Role       `json:"author_role"`
	Stars        int        `json:"rating"`
	Text         string     `json:"text"`
	Reply        string     `json:"reply,omitempty"`
	RepliedAt    *time.Time `json:"replied_at,omitempty"`
	Hidden       bool       `json:"hidden"`
	HiddenReason string     `json:"hidden_reason,omitempty"`
	Flags        int        `json:"flags"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// NewRating is what a customer submits.
type NewRating struct {
	ListingID string
	OrgID     string
	ByUserID  string
	Stars     int
	Text      string
}

// MaxRatingText bounds a review's, a reply's and a reason's text.
const MaxRatingText = 2000

// Check validates the stars (1–5) and the text (at most MaxRatingText
// characters; empty is allowed: stars alone are a rating).
func (n *NewRating) Check() error {
	n.Text = strings.TrimSpace(n.Text)
	if n.Stars < 1 || n.Stars > 5 {
		return FieldError("rating", "out_of_range", "rating must be 1 to 5")
	}
	return CheckRatingText("text", n.Text, false)
}

// CheckRatingText bounds a text; required ones may not be empty.
func CheckRatingText(field, s string, required bool) error {
	if required && s == "" {
		return FieldError(field, "required", "%s is required", field)
	}
	if utf8.RuneCountInString(s) > MaxRatingText {
		return FieldError(field, "too_long", "at most %d characters", MaxRatingText)
	}
	return nil
}

// RatingSummary is a listing's visible ratings: how many, the average
// (to a tenth, as shown) and how many of each star (Distribution[0] is
// one star).
type RatingSummary struct {
	Count        int     `json:"count"`
	Average      float64 `json:"average"`
	Distribution [5]int  `json:"distribution"`
}

// Summarize counts the visible ratings.
func Summarize(rs []Rating) RatingSummary {
	var dist [5]int
	for _, r := range rs {
		if !r.Hidden {
			dist[r.Stars-1]++
		}
	}
	return SummaryOf(dist)
}

// SummaryOf is the summary of ratings counted by stars (index 0 is one
// star): the average rounded to one decimal, half up.
func SummaryOf(dist [5]int) RatingSummary {
	s := RatingSummary{Distribution: dist}
	total := 0
	for i, n := range dist {
		s.Count += n
		total += (i + 1) * n
	}
	if s.Count > 0 {
		s.Average = float64((total*10+s.Count/2)/s.Count) / 10
	}
	return s
}
