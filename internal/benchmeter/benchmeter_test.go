package benchmeter

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestWireCountsTheAnswerToItsLastByte(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "head,")
		w.(http.Flusher).Flush()
		time.Sleep(20 * time.Millisecond) // the tail comes late
		io.WriteString(w, "tail")
	}))
	defer srv.Close()
	w := &Wire{Client: srv.Client()}
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	resp, err := w.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if string(body) != "head,tail" {
		t.Errorf("body = %q, want the whole answer", body)
	}
	if w.Elapsed < 20*time.Millisecond {
		t.Errorf("Elapsed = %v, want at least the 20 ms before the last byte", w.Elapsed)
	}
}
