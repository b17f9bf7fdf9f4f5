package shelf

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of a group card.
const (
	MaxCardFields      = 8
	MaxCardButtons     = 3
	MaxCardTitleRunes  = 100
	MaxCardTextRunes   = 2000
	MaxCardFieldRunes  = 200
	MaxCardButtonRunes = 20
)

// CardField is one labelled value of a card.
type CardField struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// CardButton opens the app, signed in, at Path (a path under the app's
// launch URL, "" for the launch URL itself).
type CardButton struct {
	Text string `json:"text"`
	Path string `json:"path"`
}

// CardInput is what a vendor posts or puts.
type CardInput struct {
	Title   string       `json:"title"`
	Text    string       `json:"text"`
	Fields  []CardField  `json:"fields"`
	Buttons []CardButton `json:"buttons"`
}

// GroupCard is a message card a cool app posted into a group chat.
type GroupCard struct {
	ID      string `json:"id"`
	GroupID string `json:"group_id"`
	OrgID   string `json:"org_id"`
	AppID   string `json:"app_id"`
	CardInput
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Check cleans and checks a card; it returns every problem.
func (in *CardInput) Check() error {
	var c checker
	var err error
	if in.Title, err = CleanName("title", in.Title, MaxCardTitleRunes); err != nil {
		c.addErr(err)
	}
	in.Text = strings.TrimSpace(in.Text)
	if utf8.RuneCountInString(in.Text) > MaxCardTextRunes {
		c.add("text", "too_long", "text must have at most %d characters", MaxCardTextRunes)
	}
	if len(in.Fields) > MaxCardFields {
		c.add("fields", "too_many", "at most %d fields", MaxCardFields)
	}
	for i := range in.Fields {
		f := &in.Fields[i]
		name := fieldIndex("fields", i)
		if f.Label, err = CleanName(name+".label", f.Label, MaxCardFieldRunes); err != nil {
			c.addErr(err)
		}
		f.Value = TrimLine(f.Value)
		if utf8.RuneCountInString(f.Value) > MaxCardFieldRunes {
			c.add(name+".value", "too_long", "a value must have at most %d characters", MaxCardFieldRunes)
		}
	}
	if len(in.Buttons) > MaxCardButtons {
		c.add("buttons", "too_many", "at most %d buttons", MaxCardButtons)
	}
	for i := range in.Buttons {
		b := &in.Buttons[i]
		name := fieldIndex("buttons", i)
		if b.Text, err = CleanName(name+".text", b.Text, MaxCardButtonRunes); err != nil {
			c.addErr(err)
		}
		c.addErr(b.CheckPath(name + ".path"))
	}
	if in.Fields == nil {
		in.Fields = []CardField{}
	}
	if in.Buttons == nil {
		in.Buttons = []CardButton{}
	}
	return c.errs.Err()
}

// CardLimit is the rate a cool app may post cards into one group: a
// burst, then one card per interval (a token bucket kept as GCRA's
// theoretical arrival time).
type CardLimit struct {
	Burst    int
	Interval time.Duration
}

// DefaultCardLimit lets an app post 10 cards into a group at once, then
// one every 3 seconds: a busy bot, never a flood in a chat people read.
var DefaultCardLimit = CardLimit{Burst: 10, Interval: 3 * time.Second}

// ErrCardRateLimited is the answer past the card limit.
func ErrCardRateLimited() *Error {
	return Errorf(KindRateLimited, "too_many_requests", "this app posts cards into this group too fast: wait a few seconds")
}

// CheckPath cleans and checks a button's path: empty (the launch URL) or
// a path under the app's launch URL, never another host.
func (b *CardButton) CheckPath(field string) error {
	b.Path = strings.TrimSpace(b.Path)
	if b.Path != "" && (!strings.HasPrefix(b.Path, "/") || strings.HasPrefix(b.Path, "//") || len(b.Path) > 500 || strings.ContainsAny(b.Path, " \\\t\r\n#")) {
		return FieldError(field, "invalid_path", "a button's path is a path under the app's launch URL, starting with one /")
	}
	return nil
}
