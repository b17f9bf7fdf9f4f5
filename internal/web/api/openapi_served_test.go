package api_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/shelfhq/shelf/internal/web/api"
)

// TestServedOpenAPIHasNoNulls: YAML turns a plain scalar with ": " into a
// mapping (a description "before, as JSON." once became the key "as JSON."
// with a null value). No value of the document is ever null, so any null
// is such an accident. With SHELF_OPENAPI_OUT set, the served document is
// written there for scripts/test.sh's independent linter.
func TestServedOpenAPIHasNoNulls(t *testing.T) {
	js, err := api.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case nil:
			t.Errorf("null at %s: a YAML scalar split at a colon?", path)
		case map[string]any:
			for k, c := range v {
				walk(path+"/"+k, c)
			}
		case []any:
			for _, c := range v {
				walk(path+"[]", c)
			}
		}
	}
	walk("#", doc)
	if out := os.Getenv("SHELF_OPENAPI_OUT"); out != "" {
		if err := os.WriteFile(out, js, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
