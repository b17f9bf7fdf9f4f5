package api_test

import (
	"bytes"
	"image/color"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestRevisionReadOnlyFieldsRefused: a revision's read-only fields are
// unknown in a request body, like any other field it does not take.
func TestRevisionReadOnlyFieldsRefused(t *testing.T) {
	f := webtest.New(t)
	rev := f.RevisionIn("draft")
	p := map[string]string{"rev": rev.ID}
	for _, field := range []string{"id", "state", "listing_id", "created_at", "updated_at"} {
		before := f.Counts()
		r := f.Call(demo.PartnerEmail, "PUT", "/api/v1/revisions/{rev}", p, map[string]any{"name": "钉钉考勤", field: "x"})
		if code, got := r.ErrCode(t); r.Status != 400 || code != "unknown_field" || got != field {
			t.Errorf("%s: %d %s %s", field, r.Status, code, got)
		}
		if changed := before.Changed(f.Counts()); len(changed) > 0 {
			t.Errorf("%s: changed %v", field, changed)
		}
	}
}

// TestWrongTypeNamesTheJSONType: a body of the wrong type says what JSON
// type was expected, never a Go type.
func TestWrongTypeNamesTheJSONType(t *testing.T) {
	f := webtest.New(t)
	r := f.Call(demo.CustomerEmail, "POST", "/api/v1/orgs", nil, `"acme"`)
	if r.Status != 400 || !strings.Contains(string(r.Body), "must be an object, not a string") || strings.Contains(string(r.Body), "Request") {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
}

// TestUploadDecodedWhole: the 33-byte PNG (a header, no pixels) is
// refused, and bytes after a real image are not what Shelf serves.
func TestUploadDecodedWhole(t *testing.T) {
	f := webtest.New(t)
	upload := func(data []byte) *webtest.Response {
		req := httptest.NewRequest("POST", "/api/v1/orgs/"+f.World.Partner1.ID+"/media", bytes.NewReader(data))
		req.Header.Set("Authorization", "Bearer "+f.Tokens[demo.PartnerEmail])
		req.Header.Set("Content-Type", "image/png")
		w := httptest.NewRecorder()
		f.Server.ServeHTTP(w, req)
		return &webtest.Response{Status: w.Code, Header: w.Header(), Body: w.Body.Bytes()}
	}
	header := storetest.PNG(t, 256, 256, color.RGBA{1, 2, 3, 255})[:33]
	if r := upload(header); r.Status != 422 || !strings.Contains(string(r.Body), "image_invalid") {
		t.Fatalf("33-byte PNG = %d %s", r.Status, r.Body)
	}
	r := upload(append(storetest.PNG(t, 256, 256, color.RGBA{1, 2, 3, 255}), "<script>alert(1)</script>"...))
	var img shelf.Image
	r.JSON(t, &img)
	if r.Status != 201 || img.Width != 256 {
		t.Fatalf("PNG with a script appended = %d %s", r.Status, r.Body)
	}
	w := httptest.NewRecorder()
	f.Server.ServeHTTP(w, httptest.NewRequest("GET", "/media/"+img.ID, nil))
	if w.Code != 200 || strings.Contains(w.Body.String(), "<script") {
		t.Fatalf("served %d, %d bytes, script kept: %v", w.Code, w.Body.Len(), strings.Contains(w.Body.String(), "<script"))
	}
}

// TestQueryParametersOutOfRange: the examples answer 422 with the
// parameter's name, and valid values still work.
func TestQueryParametersOutOfRange(t *testing.T) {
	f := webtest.New(t)
	app, _ := f.PartnerApp(shelf.AppOrg)
	p := map[string]string{"app": app.ID}
	for _, tc := range []struct{ path, query, field string }{
		{"/api/v1/apps/{app}/delivery-stats", "days=1000", "days"},
		{"/api/v1/apps/{app}/delivery-stats", "days=0", "days"},
		{"/api/v1/apps/{app}/deliveries", "limit=abc", "limit"},
		{"/api/v1/apps/{app}/deliveries", "state=lost", "state"},
		{"/api/v1/apps/{app}/deliveries", "colour=red", "colour"},
	} {
		r := f.CallQuery(demo.PartnerEmail, "GET", tc.path, p, tc.query, nil)
		if _, field := r.ErrCode(t); r.Status != 422 || field != tc.field {
			t.Errorf("%s?%s = %d %s", tc.path, tc.query, r.Status, r.Body)
		}
	}
	for _, q := range []string{"days=90", "days=1", ""} {
		if r := f.CallQuery(demo.PartnerEmail, "GET", "/api/v1/apps/{app}/delivery-stats", p, q, nil); r.Status != 200 {
			t.Errorf("?%s = %d %s", q, r.Status, r.Body)
		}
	}
}
