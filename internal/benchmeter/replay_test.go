package benchmeter

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestReplaySendsEachDistinctRequestOnce(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Hit", fmt.Sprint(n))
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprintf(w, "%s %s %s #%d", r.Method, r.URL.RequestURI(), body, n)
	}))
	defer srv.Close()
	replay := &Replay{Next: srv.Client().Transport}
	client := &http.Client{Transport: replay}
	send := func(method, path, body string) (int, string, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("X-Ms-Date", fmt.Sprint(hits.Load())) // differs between sends, as a signature would
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("X-Hit"), string(b)
	}

	status, hit, first := send("GET", "/t()?$filter=x", "")
	if status != http.StatusAccepted || hit != "1" || first != "GET /t()?$filter=x  #1" {
		t.Fatalf("first answer = %d %q %q, want the server's", status, hit, first)
	}
	for i := 0; i < 3; i++ {
		status, hit, again := send("GET", "/t()?$filter=x", "")
		if status != http.StatusAccepted || hit != "1" || again != first {
			t.Fatalf("repeat %d = %d %q %q, want the first answer again", i, status, hit, again)
		}
	}
	if got := replay.Replayed(); got != 3 {
		t.Errorf("Replayed() = %d, want 3", got)
	}
	if _, _, other := send("GET", "/t()?$filter=y", ""); other != "GET /t()?$filter=y  #2" {
		t.Errorf("another URL answered %q, want the server's own answer", other)
	}
	if _, _, posted := send("POST", "/t()?$filter=x", "a"); posted != "POST /t()?$filter=x a #3" {
		t.Errorf("another method and body answered %q, want the server's own answer", posted)
	}
	if _, _, posted := send("POST", "/t()?$filter=x", "b"); posted != "POST /t()?$filter=x b #4" {
		t.Errorf("another body answered %q, want the server's own answer", posted)
	}
	if _, _, posted := send("POST", "/t()?$filter=x", "a"); posted != "POST /t()?$filter=x a #3" {
		t.Errorf("a repeated body answered %q, want its first answer", posted)
	}
	if n := hits.Load(); n != 4 {
		t.Errorf("the server was asked %d times, want 4", n)
	}
}

func TestReplayHandlerServesTheRecordedAnswers(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Seen", r.Method)
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, "%s %s", r.URL.RequestURI(), body)
	}))
	defer srv.Close()
	replay := &Replay{Next: srv.Client().Transport}
	req, _ := http.NewRequest("PUT", srv.URL+"/acct/c?comp=list&prefix=a%2F", strings.NewReader("x"))
	resp, err := (&http.Client{Transport: replay}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := io.ReadAll(resp.Body)
	resp.Body.Close()

	served := httptest.NewServer(replay.Handler()) // another host, the same paths
	defer served.Close()
	send := func(method, path, body string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, served.URL+path, strings.NewReader(body))
		resp, err := served.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	got, body := send("PUT", "/acct/c?comp=list&prefix=a%2F", "x")
	if got.StatusCode != http.StatusCreated || got.Header.Get("X-Seen") != "PUT" || body != string(want) {
		t.Fatalf("served %d %q %q, want 201 PUT %q", got.StatusCode, got.Header.Get("X-Seen"), body, want)
	}
	if got, _ := send("PUT", "/acct/c?comp=list&prefix=a%2F", "y"); got.StatusCode != http.StatusNotFound {
		t.Errorf("a body never recorded answered %d, want 404", got.StatusCode)
	}
	if got, _ := send("GET", "/acct/c?comp=list&prefix=a%2F", "x"); got.StatusCode != http.StatusNotFound {
		t.Errorf("a method never recorded answered %d, want 404", got.StatusCode)
	}
	if replay.Replayed() != 0 {
		t.Errorf("Replayed() = %d after serving, want 0: only the transport's answers count", replay.Replayed())
	}
}
