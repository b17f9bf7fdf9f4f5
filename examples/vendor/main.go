// Command vendor is a small vendor server built on Shelf's SDK: the
// reference integration and the counterpart of end-to-end tests. It
// verifies each webhook, answers 401 to a bad signature, de-duplicates by
// event id and prints what it receives. With SHELF_ISSUER set it also signs
// Shelf's members in with OpenID Connect (see sso.go and docs/oidc.md).
//
//	SHELF_WEBHOOK_SECRET=whsec_… go run ./examples/vendor -addr 127.0.0.1:9000
//	SHELF_ISSUER=https://market.example.com SHELF_CLIENT_ID=cli_… SHELF_CLIENT_SECRET=shelf_cs_… \
//	SHELF_WEBHOOK_SECRET=whsec_… go run ./examples/vendor -public-url http://127.0.0.1:9000
//
// With SHELF_URL (and the app's SHELF_CLIENT_ID and SHELF_CLIENT_SECRET) a
// cool app posts a welcome card into each group it is installed in.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/shelfhq/shelf/sdk"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "address to listen on")
	path := flag.String("path", "/shelf/events", "webhook path")
	publicURL := flag.String("public-url", "", "the app's public address, for sign-in redirects (default http://<addr>)")
	flag.Parse()
	if *publicURL == "" {
		*publicURL = "http://" + *addr
	}
	var secrets []string
	for _, env := range []string{"SHELF_WEBHOOK_SECRET", "SHELF_WEBHOOK_SECRET_OLD"} {
		if s := os.Getenv(env); s != "" {
			secrets = append(secrets, s)
		}
	}
	if len(secrets) == 0 {
		log.Fatal(errNoSecret)
	}
	var cards *Cards
	if base := os.Getenv("SHELF_URL"); base != "" {
		// With the app's credentials it greets each group it joins with a card.
		cards = &Cards{Client: &sdk.Client{BaseURL: base, ClientID: os.Getenv("SHELF_CLIENT_ID"), ClientSecret: os.Getenv("SHELF_CLIENT_SECRET")}}
	}
	h := &Handler{Secrets: secrets, Process: func(e *sdk.Event) error {
		fmt.Println(Describe(e))
		if cards != nil {
			return cards.Handle(e)
		}
		return nil
	}}
	mux := http.NewServeMux()
	mux.Handle(*path, h)
	if issuer := os.Getenv("SHELF_ISSUER"); issuer != "" {
		if err := parseAppURL(*publicURL); err != nil {
			log.Fatal(err)
		}
		sso, err := NewSSO(context.Background(), issuer, os.Getenv("SHELF_CLIENT_ID"), os.Getenv("SHELF_CLIENT_SECRET"), *publicURL)
		if err != nil {
			log.Fatal(err)
		}
		sso.Register(mux)
		log.Printf("vendor: sign in at %s/login; register %s/callback as redirect URI and %s/initiate as initiate-login URI",
			*publicURL, *publicURL, *publicURL)
	}
	// The app itself: what Shelf's launch link (and its self-test) opens.
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html><title>Vendor app</title><h1>Hello from the vendor's app</h1>")
	})
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("vendor: listening on http://%s%s", *addr, *path)
	log.Fatal(srv.ListenAndServe())
}
