// Command benchbytes is the baseline of the storefront page benchmark: it
// serves one file's bytes from memory, with the content type given, so a
// page Shelf renders can be compared with the cheapest way to serve it.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18092", "address to listen on")
	file := flag.String("file", "", "the file whose bytes to serve")
	ctype := flag.String("type", "text/html; charset=utf-8", "its content type")
	flag.Parse()
	body, err := os.ReadFile(*file)
	if err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", *ctype)
		_, _ = w.Write(body)
	})
	log.Fatal(http.ListenAndServe(*addr, nil))
}
