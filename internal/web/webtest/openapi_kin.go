package webtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/shelfhq/shelf/internal/web/api"
)

// kinDoc is the served document as kin-openapi, an implementation that is
// not Shelf's, reads and validates it: a second opinion on every response
// the API tests see (CheckOpenAPI asks it).
var kinDoc = sync.OnceValues(func() (*openapi3.T, error) {
	js, err := api.OpenAPI()
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(js)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, err
	}
	return doc, nil
})

// checkKin validates one response with kin-openapi's openapi3filter.
func checkKin(t *testing.T, method, pattern string, r *Response) {
	t.Helper()
	if err := kinCheck(method, pattern, r); err != nil {
		t.Errorf("kin-openapi: %s %s %d: %v\nbody: %s", method, pattern, r.Status, err, r.Body)
	}
}

func kinCheck(method, pattern string, r *Response) error {
	doc, err := kinDoc()
	if err != nil {
		return fmt.Errorf("the document does not load: %w", err)
	}
	item := doc.Paths.Value(pattern)
	if item == nil || item.GetOperation(method) == nil {
		return errors.New("not documented")
	}
	route := &routers.Route{Spec: doc, Path: pattern, PathItem: item, Method: method, Operation: item.GetOperation(method)}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: httptest.NewRequest(method, pattern, nil), Route: route},
		Status:                 r.Status,
		Header:                 r.Header,
		Body:                   io.NopCloser(bytes.NewReader(r.Body)),
		Options:                &openapi3filter.Options{MultiError: true},
	}
	if r.Status == http.StatusInternalServerError || len(r.Body) == 0 && r.Header.Get("Content-Type") == "" {
		return nil // the generic 500 and empty answers: CheckOpenAPI's own rules
	}
	return openapi3filter.ValidateResponse(context.Background(), in)
}
