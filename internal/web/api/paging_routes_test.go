package api_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/web/api"
)

// pagingExempt are the GET endpoints that answer items without the cursor:
// each says why. A new list is not here, so it must page.
var pagingExempt = map[string]string{
	"GET /api/v1/listings":                       "search ranks its results: it pages by number (page, per_page) with a total",
	"GET /api/v1/listings/suggest":               "at most 8 suggestions as the customer types",
	"GET /api/v1/categories":                     "the category tree, answered whole in display order (a tree does not page; it stays short)",
	"GET /api/v1/platform/featured":              "at most 12 featured listings, set and read as one ordered list",
	"GET /api/v1/partners/{org}/service-targets": "one target per priority: four rows",
}

// TestPagingEveryList walks the route table: every GET whose answer is a
// list of items takes ?limit= and ?cursor= (the shared parameters) and
// answers the shared page envelope, so a list added later cannot forget to
// page.
func TestPagingEveryList(t *testing.T) {
	lists := pagedLists(t)
	for _, l := range lists {
		for _, want := range []string{"#/components/parameters/limit", "#/components/parameters/cursor"} {
			if !slices.Contains(l.refs, want) {
				t.Errorf("%s lists items but does not take %s", l.key, want)
			}
		}
		if !cursorPage(l.schema) {
			t.Errorf("%s lists items but its answer is not a CursorPage", l.key)
		}
	}
	if len(lists) < 20 {
		t.Fatalf("found %d lists; the walk is broken", len(lists))
	}
}

// pagedList is a GET of the route table whose answer lists items.
type pagedList struct {
	key    string // "GET /api/v1/…"
	refs   []string
	schema map[string]any
}

// pagedLists are the GETs of the route table whose answer is a list of
// items, but for those pagingExempt names.
func pagedLists(t *testing.T) []pagedList {
	t.Helper()
	js, err := api.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths      map[string]map[string]json.RawMessage
		Components struct{ Schemas map[string]json.RawMessage }
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	var out []pagedList
	for _, key := range api.Endpoints() {
		method, path, _ := strings.Cut(key, " ")
		if method != "GET" {
			continue
		}
		var op struct {
			Parameters []map[string]any
			Responses  map[string]struct {
				Content map[string]struct{ Schema map[string]any }
			}
		}
		if err := json.Unmarshal(doc.Paths[path]["get"], &op); err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		schema := resolveSchema(doc.Components.Schemas, op.Responses["200"].Content["application/json"].Schema)
		if !hasItems(doc.Components.Schemas, schema) {
			continue
		}
		if why, ok := pagingExempt[key]; ok {
			t.Logf("%s pages otherwise: %s", key, why)
			continue
		}
		l := pagedList{key: key, schema: schema}
		for _, p := range op.Parameters {
			if ref, ok := p["$ref"].(string); ok {
				l.refs = append(l.refs, ref)
			}
		}
		out = append(out, l)
	}
	return out
}

// resolveSchema follows a $ref into the components.
func resolveSchema(all map[string]json.RawMessage, s map[string]any) map[string]any {
	ref, ok := s["$ref"].(string)
	if !ok {
		return s
	}
	var out map[string]any
	_ = json.Unmarshal(all[strings.TrimPrefix(ref, "#/components/schemas/")], &out)
	return out
}

// hasItems reports whether a schema (or a part of its allOf) has an items array.
func hasItems(all map[string]json.RawMessage, s map[string]any) bool {
	if props, ok := s["properties"].(map[string]any); ok {
		if items, ok := props["items"].(map[string]any); ok && items["type"] == "array" {
			return true
		}
	}
	parts, _ := s["allOf"].([]any)
	for _, p := range parts {
		if m, ok := p.(map[string]any); ok && (cursorRef(m) || hasItems(all, resolveSchema(all, m))) {
			return true
		}
	}
	return false
}

func cursorRef(m map[string]any) bool { return m["$ref"] == "#/components/schemas/CursorPage" }

// cursorPage reports whether a schema is allOf the shared page envelope.
func cursorPage(s map[string]any) bool {
	parts, _ := s["allOf"].([]any)
	for _, p := range parts {
		if m, ok := p.(map[string]any); ok && cursorRef(m) {
			return true
		}
	}
	return false
}
