package rest

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestUnreadableRequestsGetAzureErrors(t *testing.T) {
	t.Parallel()
	store := openTestStore(t, "memory", newFakeClock())
	srv, err := Start(Config{Blob: NewBlobService(store)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close(context.Background()) })
	host := strings.TrimPrefix(strings.TrimSuffix(srv.BlobURL, "/"+DevAccountName), "http://")
	for _, c := range []struct {
		name, request string
		status        int
		code          string
	}{
		{"malformed Content-Length", "PUT /devstoreaccount1/c/b HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n", 400, "InvalidHeaderValue"},
		{"two Content-Lengths", "PUT /devstoreaccount1/c/b HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx", 400, "InvalidHeaderValue"},
		{"oversized headers", "GET /devstoreaccount1/c HTTP/1.1\r\nHost: x\r\nx-ms-meta-big: " + strings.Repeat("a", ServerMaxHeaderBytes+8192) + "\r\n\r\n", 431, "RequestHeaderFieldsTooLarge"},
	} {
		conn, err := net.DialTimeout("tcp", host, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
		go func() { _, _ = io.WriteString(conn, c.request) }()
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		body, _ := io.ReadAll(resp.Body)
		conn.Close()
		if resp.StatusCode != c.status || resp.Header.Get("x-ms-error-code") != c.code ||
			resp.Header.Get("Content-Type") != "application/xml" || !strings.Contains(string(body), "<Code>"+c.code+"</Code>") {
			t.Fatalf("%s: %d %v\n%s", c.name, resp.StatusCode, resp.Header, body)
		}
	}
	// Ordinary answers pass through untouched.
	resp, err := http.Get(srv.BlobURL + "/nosuch?restype=container")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("x-ms-error-code") == "InvalidHeaderValue" {
		t.Fatal("a handler's answer was rewritten")
	}
}
