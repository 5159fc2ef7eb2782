package worker

import (
	"net/http"
	"net/http/httptrace"
	"testing"
)

// The probe that finds the handler ready leaves its connection in the
// pool: the first invocation does not wait for a connection of its own.
func TestFirstInvocationUsesTheProbesConnection(t *testing.T) {
	parallel(t)
	s := mustStart(t, "ok", nil)
	ctx := testContext(t)
	l, err := s.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	var reused, got bool
	trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) { got, reused = true, i.Reused }}
	req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodGet, l.URL()+"/pid", nil)
	resp, err := l.Transport().RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !got || !reused {
		t.Errorf("first invocation: got a connection %v, reused %v; want the probe's connection", got, reused)
	}
}
