package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/sdk"
)

func TestHandler(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	var got []string
	fail := false
	h := &Handler{Secrets: []string{"whsec_new", "whsec_old"}, Now: func() time.Time { return now }, Process: func(e *sdk.Event) error {
		if fail {
			return errors.New("database down")
		}
		got = append(got, e.ID)
		return nil
	}}
	body := `{"id":"evt_1","type":"app.installed","app_id":"app_1","org_id":"org_1","seq":1,"data":{"installation_id":"ins_1"}}`
	post := func(sig, body string) int {
		req := httptest.NewRequest("POST", "/shelf/events", strings.NewReader(body))
		req.Header.Set(sdk.HeaderSignature, sig)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	good := sdk.SignatureHeader(now, []byte(body), "whsec_new")
	for _, tc := range []struct {
		name string
		sig  string
		body string
		fail bool
		want int
	}{
		{"bad signature", sdk.SignatureHeader(now, []byte(body), "whsec_forged"), body, false, http.StatusUnauthorized},
		{"no signature", "", body, false, http.StatusUnauthorized},
		{"tampered body", good, strings.Replace(body, "ins_1", "ins_2", 1), false, http.StatusUnauthorized},
		{"replayed later", sdk.SignatureHeader(now.Add(-10*time.Minute), []byte(body), "whsec_new"), body, false, http.StatusUnauthorized},
		{"processing fails: Shelf retries", good, body, true, http.StatusInternalServerError},
		{"good", good, body, false, http.StatusNoContent},
		{"redelivery is acknowledged, not processed again", good, body, false, http.StatusNoContent},
		{"signed with the old secret during rotation", sdk.SignatureHeader(now, []byte(body), "whsec_old"), body, false, http.StatusNoContent},
	} {
		fail = tc.fail
		if code := post(tc.sig, tc.body); code != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, code, tc.want)
		}
	}
	if len(got) != 1 || !h.Seen("evt_1") {
		t.Fatalf("processed %v, want evt_1 once", got)
	}
	e, _ := sdk.ParseEvent([]byte(body))
	if d := Describe(e); !strings.Contains(d, "ins_1") {
		t.Fatalf("Describe = %s", d)
	}
}
