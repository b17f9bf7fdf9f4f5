package api_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/web/api"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestOpenAPICoversRoutes checks the document and the route table list
// the same operations, so neither drifts.
func TestOpenAPICoversRoutes(t *testing.T) {
	js, err := api.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi version = %v", doc["openapi"])
	}
	documented := map[string]bool{}
	for path, item := range doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			if method != "parameters" {
				documented[strings.ToUpper(method)+" "+path] = true
			}
		}
	}
	var missing []string
	for _, key := range api.Endpoints() {
		if !documented[key] {
			missing = append(missing, "undocumented route: "+key)
		}
		delete(documented, key)
	}
	for key := range documented {
		missing = append(missing, "documented but not routed: "+key)
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatal(strings.Join(missing, "\n"))
	}
}

func TestOpenAPIServed(t *testing.T) {
	f := webtest.New(t)
	r := f.Call("", "GET", "/api/v1/openapi.json", nil, nil)
	var doc map[string]any
	r.JSON(t, &doc)
	if r.Status != 200 || doc["openapi"] != "3.1.0" || doc["paths"] == nil {
		t.Fatalf("GET openapi.json = %d %v", r.Status, fmt.Sprint(doc["openapi"]))
	}
}
