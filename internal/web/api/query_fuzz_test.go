package api

import (
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
)

// FuzzCheckQuery: any query string on a list endpoint either is refused
// with a field error or holds only documented parameters, each once, whose
// integers are within their documented range.
func FuzzCheckQuery(f *testing.F) {
	for _, q := range []string{"days=14", "days=1000", "limit=abc", "state=parked&limit=200", "limit=1&limit=2", "%zz", "days=+9", "days=0x10", "limit=%00"} {
		f.Add(q)
	}
	docs, err := documentedQuery()
	if err != nil {
		f.Fatal(err)
	}
	ops := []string{"GET /api/v1/apps/{app}/deliveries", "GET /api/v1/apps/{app}/delivery-stats", "GET /api/v1/vendor/events", "GET /api/v1/platform/audit"}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, op := range ops {
			params := docs[op]
			r := httptest.NewRequest("GET", "/", nil)
			r.URL.RawQuery = raw
			if checkQuery(r, params) != nil {
				continue
			}
			q, _ := url.ParseQuery(raw)
			for name, vs := range q {
				var p *queryParam
				for i := range params {
					if params[i].Name == name {
						p = &params[i]
					}
				}
				if p == nil || len(vs) != 1 {
					t.Fatalf("%s ?%s: %s accepted", op, raw, name)
				}
				if p.Schema.Type == "integer" {
					n, err := strconv.ParseInt(vs[0], 10, 64)
					if err != nil || p.Schema.Minimum != nil && float64(n) < *p.Schema.Minimum || p.Schema.Maximum != nil && float64(n) > *p.Schema.Maximum {
						t.Fatalf("%s ?%s: %s=%q accepted", op, raw, name, vs[0])
					}
				}
			}
		}
	})
}
