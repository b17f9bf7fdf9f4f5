// Command hello is the baseline of the HTTP benchmarks: a bare net/http
// handler that answers a fixed JSON body, so Shelf's figures can be given
// as ratios against what this machine does with no work at all.
package main

import (
	"flag"
	"log"
	"net/http"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18090", "address to listen on")
	flag.Parse()
	body := []byte(`{"status":"ok"}` + "\n")
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
	log.Fatal(http.ListenAndServe(*addr, nil))
}
