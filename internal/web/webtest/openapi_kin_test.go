package webtest

import (
	"net/http"
	"testing"
)

// TestKinCatchesABadResponse: the second validator does refuse a body that
// breaks its schema, so a green run means something.
func TestKinCatchesABadResponse(t *testing.T) {
	h := http.Header{"Content-Type": {"application/json"}}
	good := &Response{Status: 401, Header: h, Body: []byte(`{"error":{"code":"unauthenticated","message":"sign in"}}`)}
	if err := kinCheck("GET", "/api/v1/me", good); err != nil {
		t.Fatalf("a valid error refused: %v", err)
	}
	for _, body := range []string{`{"error":{"code":"x"}}`, `{"error":{"code":"x","message":"m","extra":1}}`, `[]`} {
		if err := kinCheck("GET", "/api/v1/me", &Response{Status: 401, Header: h, Body: []byte(body)}); err == nil {
			t.Errorf("%s accepted", body)
		}
	}
}
