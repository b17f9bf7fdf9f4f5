package promolink

import (
	"context"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
)

// source counts its reads; during, if set, runs in the middle of a read
// (a change committed while the read is under way).
type source struct {
	reads  int
	paused bool
	during func()
}

func (s *source) PromoLink(_ context.Context, code string) (*shelf.PromoChannel, bool, error) {
	if code != "ABC2345K" {
		return nil, false, shelf.NotFound("channel")
	}
	s.reads++
	if s.during != nil {
		s.during()
		s.during = nil
	}
	return &shelf.PromoChannel{Code: code, ListingID: "lst_1", Paused: s.paused}, true, nil
}

func TestCache(t *testing.T) {
	cases := []struct {
		name string
		// between runs after a first read, before a second one
		between   func(c *Cache, s *source)
		wantReads int
		wantPause bool
	}{
		{"kept", func(*Cache, *source) {}, 1, false},
		{"other keys leave it", func(c *Cache, _ *source) { c.Changed("org_1", shelf.ChangeListing("lst_2")) }, 1, false},
		{"the channel changed", func(c *Cache, s *source) { s.paused = true; c.Changed(shelf.ChangePromoChannel("ABC2345K")) }, 2, true},
		{"its listing changed", func(c *Cache, _ *source) { c.Changed(shelf.ChangeListing("lst_1")) }, 2, false},
		{"the feed went down", func(c *Cache, _ *source) { c.Listening(false) }, 3, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &source{}
			c := New(s)
			c.Listening(true)
			ctx := context.Background()
			if _, _, err := c.PromoLink(ctx, "abc2345k"); err != nil {
				t.Fatal(err)
			}
			tc.between(c, s)
			ch, live, err := c.PromoLink(ctx, "ABC2345K")
			if err != nil || !live {
				t.Fatalf("PromoLink = %v, %v", live, err)
			}
			if tc.wantReads == 3 { // down: every visit reads
				if _, _, err := c.PromoLink(ctx, "ABC2345K"); err != nil {
					t.Fatal(err)
				}
			}
			if got := s.reads; got != tc.wantReads {
				t.Errorf("reads = %d, want %d", got, tc.wantReads)
			}
			if ch.Paused != tc.wantPause {
				t.Errorf("paused = %v, want %v", ch.Paused, tc.wantPause)
			}
		})
	}
}

// A change committed while a read is under way: what was read may predate
// it and is not kept.
func TestCacheReadRacingChange(t *testing.T) {
	s := &source{}
	c := New(s)
	c.Listening(true)
	s.during = func() { c.Changed(shelf.ChangePromoChannel("ABC2345K")) }
	ctx := context.Background()
	for range 2 {
		if _, _, err := c.PromoLink(ctx, "ABC2345K"); err != nil {
			t.Fatal(err)
		}
	}
	if s.reads != 2 {
		t.Errorf("reads = %d, want 2 (the first read not kept)", s.reads)
	}
	if _, _, err := c.PromoLink(ctx, "ZZZ99999"); shelf.ErrorKind(err) != shelf.KindNotFound {
		t.Errorf("unknown code: %v, want not found", err)
	}
}
