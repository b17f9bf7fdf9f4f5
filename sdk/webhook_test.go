package sdk_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/sdk"
)

func TestVerifyWebhook(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	body := []byte(`{"id":"evt_1","type":"test.ping"}`)
	oldSecret, newSecret := "whsec_old", "whsec_new"
	signed := sdk.SignatureHeader(now, body, newSecret)
	rotating := sdk.SignatureHeader(now, body, oldSecret, newSecret)
	v1 := func(h string) string { return h[strings.Index(h, ",v1=")+1:] }
	for _, tc := range []struct {
		name    string
		secrets []string
		header  string
		body    []byte
		now     time.Time
		want    error
	}{
		{"good", []string{newSecret}, signed, body, now, nil},
		{"clock skew inside tolerance", []string{newSecret}, signed, body, now.Add(4 * time.Minute), nil},
		{"tampered body", []string{newSecret}, signed, []byte(`{"id":"evt_2","type":"test.ping"}`), now, sdk.ErrBadSignature},
		{"old timestamp", []string{newSecret}, signed, body, now.Add(6 * time.Minute), sdk.ErrTooOld},
		{"future timestamp", []string{newSecret}, signed, body, now.Add(-6 * time.Minute), sdk.ErrTooOld},
		{"wrong secret", []string{"whsec_other"}, signed, body, now, sdk.ErrBadSignature},
		{"no secret", nil, signed, body, now, sdk.ErrNoSecret},
		{"rotation: vendor has only the old secret", []string{oldSecret}, rotating, body, now, nil},
		{"rotation: vendor has only the new secret", []string{newSecret}, rotating, body, now, nil},
		{"vendor holds both secrets, Shelf signs with the new", []string{oldSecret, newSecret}, signed, body, now, nil},
		{"multiple v1, none matching", []string{"whsec_x"}, rotating, body, now, sdk.ErrBadSignature},
		{"unknown scheme ignored", []string{newSecret}, signed + ",v0=abc", body, now, nil},
		{"timestamp swapped", []string{newSecret}, "t=" + "1700000000," + v1(signed), body, time.Unix(1700000000, 0), sdk.ErrBadSignature},
		{"missing header", []string{newSecret}, "", body, now, sdk.ErrNoSignature},
		{"no v1", []string{newSecret}, "t=123", body, now, sdk.ErrNoSignature},
		{"garbage timestamp", []string{newSecret}, "t=abc," + v1(signed), body, now, sdk.ErrNoSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := sdk.VerifyWebhookAt(tc.secrets, tc.header, tc.body, 0, tc.now)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestSignKnownVector(t *testing.T) {
	// The same vector as the Python snippet in docs/events.md, so the two
	// implementations are known to agree.
	got := sdk.Sign("whsec_test", 1700000000, []byte(`{"ok":true}`))
	if want := "85876387ad9d6be57a04653bc0729da757049f58afb10ba6cac3bedaecf4fda3"; got != want {
		t.Fatalf("Sign = %s", got)
	}
}

func TestPayload(t *testing.T) {
	e, err := sdk.ParseEvent([]byte(`{"id":"evt_1","type":"listing.rejected","seq":3,"data":{"listing_id":"lst_1","reasons":["blurry screenshots"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Payload()
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := p.(*sdk.ListingRejected); !ok || r.Reasons[0] != "blurry screenshots" {
		t.Fatalf("payload = %#v", p)
	}
	e.Type = "order.paid.someday"
	if p, err := e.Payload(); p != nil || err != nil {
		t.Fatalf("unknown type = %v, %v", p, err)
	}
	if _, err := sdk.ParseEvent([]byte(`{}`)); err == nil {
		t.Fatal("empty event parsed")
	}
}

// TestMatchWebhook: during a rotation the verifier learns which secret
// matched, so a vendor knows when the old one is no longer needed.
func TestMatchWebhook(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	body := []byte(`{"id":"evt_1"}`)
	for _, tc := range []struct {
		name    string
		header  string
		secrets []string
		want    int
		err     error
	}{
		{"both sign, new first", sdk.SignatureHeader(now, body, "old", "new"), []string{"new", "old"}, 0, nil},
		{"only the old signs", sdk.SignatureHeader(now, body, "old"), []string{"new", "old"}, 1, nil},
		{"after the overlap", sdk.SignatureHeader(now, body, "new"), []string{"new", "old"}, 0, nil},
		{"forged", sdk.SignatureHeader(now, body, "evil"), []string{"new", "old"}, -1, sdk.ErrBadSignature},
		{"stale", sdk.SignatureHeader(now.Add(-time.Hour), body, "new"), []string{"new"}, -1, sdk.ErrTooOld},
	} {
		got, err := sdk.MatchWebhookAt(tc.secrets, tc.header, body, 0, now)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("%s: %d %v, want %d %v", tc.name, got, err, tc.want, tc.err)
		}
	}
}
