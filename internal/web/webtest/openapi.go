package webtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/shelfhq/shelf/internal/web/api"
)

const openAPIURL = "https://shelf.test/openapi.json"

// openAPIDoc is the served document, parsed once for all tests.
var openAPIDoc = sync.OnceValues(func() (map[string]any, error) {
	js, err := api.OpenAPI()
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(js, &doc); err != nil {
		return nil, err
	}
	return doc, nil
})

var (
	schemaMu    sync.Mutex
	schemaCache = map[string]*jsonschema.Schema{}
	compiler    *jsonschema.Compiler
)

// responseSchema compiles the JSON schema of one documented response.
// ok is false when the document does not list that status.
func responseSchema(t *testing.T, method, pattern string, status int) (s *jsonschema.Schema, documented bool) {
	t.Helper()
	doc, err := openAPIDoc()
	if err != nil {
		t.Fatal(err)
	}
	paths, _ := doc["paths"].(map[string]any)
	item, ok := paths[pattern].(map[string]any)
	if !ok {
		t.Fatalf("OpenAPI: path %s is not documented", pattern)
	}
	op, ok := item[strings.ToLower(method)].(map[string]any)
	if !ok {
		t.Fatalf("OpenAPI: %s %s is not documented", method, pattern)
	}
	responses, _ := op["responses"].(map[string]any)
	resp, ok := responses[strconv.Itoa(status)].(map[string]any)
	if !ok && status == http.StatusInternalServerError {
		// Any operation may fail on the server's side; the document says
		// so once, in its description, and the body is the error envelope.
		resp, ok = map[string]any{"$ref": "#/components/responses/Error"}, true
	}
	if !ok {
		return nil, false
	}
	ptr := "#/paths/" + escapePointer(pattern) + "/" + strings.ToLower(method) + "/responses/" + strconv.Itoa(status)
	if ref, ok := resp["$ref"].(string); ok {
		ptr = ref
		resp = lookup(doc, ref)
	}
	if c, ok := resp["content"].(map[string]any); !ok || c["application/json"] == nil {
		return nil, true // no body, or not JSON (an image)
	}
	ptr += "/content/application~1json/schema"
	schemaMu.Lock()
	defer schemaMu.Unlock()
	if s := schemaCache[ptr]; s != nil {
		return s, true
	}
	if compiler == nil {
		js, _ := api.OpenAPI()
		raw, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
		if err != nil {
			t.Fatal(err)
		}
		compiler = jsonschema.NewCompiler()
		compiler.DefaultDraft(jsonschema.Draft2020)
		if err := compiler.AddResource(openAPIURL, raw); err != nil {
			t.Fatal(err)
		}
	}
	s, err = compiler.Compile(openAPIURL + ptr)
	if err != nil {
		t.Fatalf("compile schema %s: %v", ptr, err)
	}
	schemaCache[ptr] = s
	return s, true
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func lookup(doc map[string]any, ref string) map[string]any {
	var cur any = doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		m, _ := cur.(map[string]any)
		cur = m[part]
	}
	m, _ := cur.(map[string]any)
	return m
}

// CheckOpenAPI fails the test if a response's status is not documented for
// its operation or its body does not match the documented schema.
func CheckOpenAPI(t *testing.T, method, pattern string, r *Response) {
	t.Helper()
	if !strings.HasPrefix(pattern, "/api/v1/") || pattern == "/api/v1/openapi.json" {
		return
	}
	if ct := r.Header.Get("Content-Type"); r.Status < 300 && ct != "" && !strings.HasPrefix(ct, "application/json") {
		// A download (an image, a CSV): its status is checked, not its body.
		if _, documented := responseSchema(t, method, pattern, r.Status); !documented {
			t.Errorf("OpenAPI: %s %s answered %d, which is not documented", method, pattern, r.Status)
		}
		return
	}
	s, documented := responseSchema(t, method, pattern, r.Status)
	if !documented {
		t.Errorf("OpenAPI: %s %s answered %d, which is not documented (body %s)", method, pattern, r.Status, r.Body)
		return
	}
	if s == nil {
		if len(bytes.TrimSpace(r.Body)) != 0 {
			t.Errorf("OpenAPI: %s %s %d documents no body but got %s", method, pattern, r.Status, r.Body)
		}
		return
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(r.Body))
	if err != nil {
		t.Errorf("OpenAPI: %s %s %d: body is not JSON: %s", method, pattern, r.Status, r.Body)
		return
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("OpenAPI: %s %s %d: body does not match the schema: %v\nbody: %s", method, pattern, r.Status, err, r.Body)
	}
	checkKin(t, method, pattern, r)
}
