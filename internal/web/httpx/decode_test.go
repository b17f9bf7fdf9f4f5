package httpx

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

type decodeTarget struct {
	Name  string    `json:"name"`
	Tags  []string  `json:"tags"`
	Count int       `json:"count"`
	Sub   struct{}  `json:"sub"`
	At    time.Time `json:"at"`
	ID    string    `json:"id"`
}

func TestDecodeJSON(t *testing.T) {
	for _, tc := range []struct {
		body, code, field, msg string
	}{
		{`{"name":"ok","tags":["a"],"count":2}`, "", "", ""},
		{`{"name":"\ud83d\ude00 ok \\ud800"}`, "", "", ""}, // a pair, then an escaped backslash
		{"{\"name\":\"a\xffb\"}", "invalid_utf8", "", ""},
		{`{"name":"a\ud800b"}`, "invalid_utf8", "", ""},
		{`{"name":"a\udc00b"}`, "invalid_utf8", "", ""},
		{`{"name":"a\ud800\u0041"}`, "invalid_utf8", "", ""},
		{`[1,2]`, "wrong_type", "", "the body must be an object, not an array"},
		{`"x"`, "wrong_type", "", "the body must be an object, not a string"},
		{`{"tags":"x"}`, "wrong_type", "tags", "tags must be an array, not a string"},
		{`{"name":3}`, "wrong_type", "name", "name must be a string, not a number"},
		{`{"count":"3"}`, "wrong_type", "count", "count must be an integer, not a string"},
		{`{"sub":[]}`, "wrong_type", "sub", "sub must be an object, not an array"},
		{`{"nope":1}`, "unknown_field", "nope", ""},
		{`{"id":"x"}`, "unknown_field", "id", "unknown field id (it is read-only)"},
		{``, "malformed_json", "", "the body is empty; send an object"},
	} {
		r := httptest.NewRequest("POST", "/", strings.NewReader(tc.body))
		var dst decodeTarget
		err := DecodeJSONWritable(httptest.NewRecorder(), r, &dst, "id")
		if tc.code == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.body, err)
			}
			continue
		}
		e, ok := shelf.AsError(err)
		if !ok || e.Code != tc.code || e.Field != tc.field || (tc.msg != "" && e.Message != tc.msg) {
			t.Errorf("%s: got %#v, want %s on %q %q", tc.body, e, tc.code, tc.field, tc.msg)
		}
		if ok && strings.Contains(e.Message, "httpx.") {
			t.Errorf("%s: a Go type name in %q", tc.body, e.Message)
		}
	}
}
