// The same routes as pyserver.py, served by Go's net/http over TLS (crypto/tls), HTTP/1.1 only.
//
// Usage: go_server PORT CERT KEY
package main

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

func reply(w http.ResponseWriter, status int, body string) {
	if status != http.StatusNoContent && status != http.StatusNotModified {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	}
	w.WriteHeader(status)
	if body != "" {
		io.WriteString(w, body)
	}
}

func handle(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	path := r.URL.Path
	switch {
	case r.Method == http.MethodPost:
		reply(w, 201, `{"created":true}`)
	case r.Method == http.MethodPut:
		reply(w, 200, `{"updated":true}`)
	case r.Method == http.MethodDelete:
		reply(w, 204, "")
	case strings.HasPrefix(path, "/items/"):
		reply(w, 200, fmt.Sprintf(`{"id":"%s","name":"widget"}`, path[len("/items/"):]))
	case path == "/old":
		w.Header().Set("Location", "/new")
		reply(w, 301, "")
	case path == "/fail":
		reply(w, 500, `{"error":"boom"}`)
	case path == "/sleep":
		time.Sleep(50 * time.Millisecond)
		reply(w, 200, `{"slept":true}`)
	case path == "/checkout":
		reply(w, 200, `{"success": false, "error": {"code": "card_declined", "message": "Your card was declined"}}`)
	default:
		reply(w, 404, `{"error":"not found"}`)
	}
}

func main() {
	server := &http.Server{
		Addr:    "127.0.0.1:" + os.Args[1],
		Handler: http.HandlerFunc(handle),
		// An empty map turns HTTP/2 off: this server answers HTTP/1.1 over TLS.
		TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
	}
	fmt.Println("ready")
	panic(server.ListenAndServeTLS(os.Args[2], os.Args[3]))
}
