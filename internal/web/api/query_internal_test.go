package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
)

// TestEveryQueryParameterChecked: for every route of the table and every
// query parameter the OpenAPI document gives it, a value of the wrong type
// or out of range is a 422 naming the parameter before the handler runs;
// an undocumented parameter is refused too.
func TestEveryQueryParameterChecked(t *testing.T) {
	docs, err := documentedQuery()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, rt := range (&Handler{}).routes() {
		params := docs[rt.method+" "+rt.pattern]
		handle := withQueryCheck(rt.method, rt.pattern, func(http.ResponseWriter, *http.Request) error {
			return fmt.Errorf("the handler ran")
		})
		try := func(name, value, code string) {
			t.Helper()
			r := httptest.NewRequest(rt.method, "/?"+url.Values{name: {value}}.Encode(), nil)
			err := handle(httptest.NewRecorder(), r)
			if e, ok := shelf.AsError(err); !ok || e.Kind != shelf.KindInvalid || e.Field != name || e.Code != code {
				t.Errorf("%s %s ?%s=%q: %v, want 422 %s on %s", rt.method, rt.pattern, name, value, err, code, name)
			}
		}
		try("zzz_undocumented", "1", "unknown_parameter")
		for _, p := range params {
			checked++
			try(p.Name, "a\x01b", "invalid_character")
			s := p.Schema
			switch {
			case len(s.Enum) > 0:
				try(p.Name, "not-one-of-them", "invalid_parameter")
			case s.Type == "boolean":
				try(p.Name, "maybe", "invalid_parameter")
			case s.Type == "integer":
				try(p.Name, "abc", "invalid_parameter")
				try(p.Name, "1.5", "invalid_parameter")
				if s.Minimum != nil {
					try(p.Name, fmt.Sprint(int64(*s.Minimum)-1), "out_of_range")
				}
				if s.Maximum != nil {
					try(p.Name, fmt.Sprint(int64(*s.Maximum)+1), "out_of_range")
				}
			case s.Type != "string":
				t.Errorf("%s %s: parameter %s has no type the check knows (%q)", rt.method, rt.pattern, p.Name, s.Type)
			}
		}
	}
	if checked < 15 {
		t.Fatalf("only %d documented query parameters found", checked)
	}
}
