package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/shelfhq/shelf/internal/shelf"
)

// queryParam is one query parameter as openapi.yaml documents it.
type queryParam struct {
	Name   string `json:"name"`
	In     string `json:"in"`
	Ref    string `json:"$ref"`
	Schema struct {
		Type    string   `json:"type"`
		Enum    []any    `json:"enum"`
		Minimum *float64 `json:"minimum"`
		Maximum *float64 `json:"maximum"`
	} `json:"schema"`
}

// documentedQuery maps "METHOD /pattern" to the query parameters the
// OpenAPI document gives the operation. The document is the one list: a
// parameter an endpoint takes but does not document is refused, so a new
// endpoint cannot forget to check its parameters, nor document them wrong.
var documentedQuery = sync.OnceValues(func() (map[string][]queryParam, error) {
	js, err := openAPIJSON()
	if err != nil {
		return nil, err
	}
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Parameters map[string]queryParam `json:"parameters"`
		} `json:"components"`
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		return nil, fmt.Errorf("openapi parameters: %w", err)
	}
	resolve := func(ps []queryParam) []queryParam {
		var out []queryParam
		for _, p := range ps {
			if name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/"); ok {
				p = doc.Components.Parameters[name]
			}
			if p.In == "query" {
				out = append(out, p)
			}
		}
		return out
	}
	out := map[string][]queryParam{}
	for path, item := range doc.Paths {
		var shared []queryParam
		if raw, ok := item["parameters"]; ok {
			if err := json.Unmarshal(raw, &shared); err != nil {
				return nil, fmt.Errorf("openapi %s parameters: %w", path, err)
			}
		}
		for method, raw := range item {
			if method == "parameters" {
				continue
			}
			var op struct {
				Parameters []queryParam `json:"parameters"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				return nil, fmt.Errorf("openapi %s %s: %w", method, path, err)
			}
			out[strings.ToUpper(method)+" "+path] = resolve(slices.Concat(shared, op.Parameters))
		}
	}
	return out, nil
})

// checkQuery runs before every handler (Mount): each query parameter must
// be documented for the operation, given once, and valid for its schema
// (type, enum, minimum, maximum). Anything else is a 422 naming the
// parameter in field, before the handler runs. Whether a required one is
// there is the handler's check, after authentication: a caller without
// credentials learns 401 first.
func checkQuery(r *http.Request, params []queryParam) error {
	q := r.URL.Query()
	for name, values := range q {
		i := slices.IndexFunc(params, func(p queryParam) bool { return p.Name == name })
		if i < 0 {
			return shelf.FieldError(name, "unknown_parameter", "%s is not a query parameter of this endpoint", name)
		}
		if len(values) > 1 {
			return shelf.FieldError(name, "invalid_parameter", "give %s once, not %d times", name, len(values))
		}
		if err := checkParam(params[i], values[0]); err != nil {
			return err
		}
	}
	return nil
}

// checkParam checks one value against its documented schema.
func checkParam(p queryParam, v string) error {
	if err := shelf.CheckLine(p.Name, v); err != nil {
		return err
	}
	s := p.Schema
	if len(s.Enum) > 0 {
		for _, e := range s.Enum {
			if fmt.Sprint(e) == v {
				return nil
			}
		}
		var names []string
		for _, e := range s.Enum {
			names = append(names, fmt.Sprint(e))
		}
		return shelf.FieldError(p.Name, "invalid_parameter", "%s must be one of %s, not %q", p.Name, strings.Join(names, ", "), v)
	}
	switch s.Type {
	case "boolean":
		if v != "true" && v != "false" {
			return shelf.FieldError(p.Name, "invalid_parameter", "%s must be true or false, not %q", p.Name, v)
		}
	case "integer":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return shelf.FieldError(p.Name, "invalid_parameter", "%s must be an integer, not %q", p.Name, v)
		}
		if s.Minimum != nil && float64(n) < *s.Minimum || s.Maximum != nil && float64(n) > *s.Maximum {
			return shelf.FieldError(p.Name, "out_of_range", "%s must be %s, not %d", p.Name, rangeText(s.Minimum, s.Maximum), n)
		}
	}
	return nil
}

func rangeText(lo, hi *float64) string {
	switch {
	case lo != nil && hi != nil:
		return fmt.Sprintf("from %v to %v", *lo, *hi)
	case lo != nil:
		return fmt.Sprintf("at least %v", *lo)
	default:
		return fmt.Sprintf("at most %v", *hi)
	}
}

// withQueryCheck wraps a route's handler with checkQuery for its
// documented parameters.
func withQueryCheck(method, pattern string, handle func(w http.ResponseWriter, r *http.Request) error) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		docs, err := documentedQuery()
		if err != nil {
			return err
		}
		if err := checkQuery(r, docs[method+" "+pattern]); err != nil {
			return err
		}
		return handle(w, r)
	}
}
