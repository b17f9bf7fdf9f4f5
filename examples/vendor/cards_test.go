package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/shelfhq/shelf/sdk"
)

// TestCardsGreetGroup: on cool_app.installed the vendor exchanges the code
// and posts the welcome card into the group with the org token.
func TestCardsGreetGroup(t *testing.T) {
	var posted sdk.Card
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/vendor/token", func(w http.ResponseWriter, r *http.Request) {
		if r.PostFormValue("code") != "code1" || r.PostFormValue("client_id") != "cli_1" {
			http.Error(w, `{"error":"invalid_grant"}`, 400)
			return
		}
		_ = json.NewEncoder(w).Encode(sdk.OrgToken{AccessToken: "shelf_vat_1", OrgID: "org_1"})
	})
	mux.HandleFunc("POST /api/v1/vendor/groups/{group}/cards", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer shelf_vat_1" || r.PathValue("group") != "grp_1" {
			http.Error(w, `{"error":{"code":"invalid_token"}}`, 401)
			return
		}
		_ = json.NewDecoder(r.Body).Decode(&posted)
		w.WriteHeader(201)
		_ = json.NewEncoder(w).Encode(sdk.GroupCard{ID: "crd_1", Card: posted})
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := &Cards{Client: &sdk.Client{BaseURL: srv.URL, ClientID: "cli_1", ClientSecret: "s"}}
	data, _ := json.Marshal(sdk.CoolAppInstalled{Group: sdk.GroupRef{ID: "grp_1", Name: "项目群"}, Members: []string{"u1", "u2"}, AuthCode: "code1"})
	if err := c.Handle(&sdk.Event{ID: "evt_1", Type: sdk.EventCoolAppInstalled, Data: data}); err != nil {
		t.Fatal(err)
	}
	if posted.Title == "" || len(posted.Buttons) != 1 || posted.Fields[0].Value != "2" {
		t.Fatalf("posted %+v", posted)
	}
	if err := c.Handle(&sdk.Event{ID: "evt_2", Type: sdk.EventTestPing, Data: []byte(`{}`)}); err != nil {
		t.Fatalf("other events are ignored: %v", err)
	}
}
