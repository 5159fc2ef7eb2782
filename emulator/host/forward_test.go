package host

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

func TestForwardedEligibility(t *testing.T) {
	trigger := &emulator.Binding{Type: "httpTrigger", Direction: "in", Name: "req"}
	res := &emulator.Binding{Type: "http", Direction: "out", Name: "res"}
	ret := &emulator.Binding{Type: "http", Direction: "out", Name: "$return"}
	queue := &emulator.Binding{Type: "queue", Direction: "out", Name: "msg"}
	blobIn := &emulator.Binding{Type: "blob", Direction: "in", Name: "b"}
	tests := []struct {
		name     string
		forward  bool
		proxy    bool
		bindings []*emulator.Binding
		want     bool
	}{
		{"trigger and res", true, false, []*emulator.Binding{trigger, res}, true},
		{"trigger and $return", true, false, []*emulator.Binding{trigger, ret}, true},
		{"proxying counts too", false, true, []*emulator.Binding{trigger, res}, true},
		{"forwarding off", false, false, []*emulator.Binding{trigger, res}, false},
		{"extra output", true, false, []*emulator.Binding{trigger, res, queue}, false},
		{"extra input", true, false, []*emulator.Binding{trigger, blobIn, res}, false},
		{"no http output", true, false, []*emulator.Binding{trigger}, false},
		{"two http outputs", true, false, []*emulator.Binding{trigger, res, ret}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := &emulator.App{Host: emulator.HostConfig{CustomHandler: emulator.CustomHandler{
				EnableForwardingHttpRequest: tc.forward, EnableProxyingHttpRequest: tc.proxy}}}
			if got := Forwarded(a, &emulator.Function{Bindings: tc.bindings}); got != tc.want {
				t.Fatalf("Forwarded = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestForwardStreamsRequestAndPassesResponseThrough(t *testing.T) {
	type seen struct {
		method, uri, host, body string
		header                  http.Header
	}
	got := make(chan seen, 1)
	h, _, events, _ := newTestHost(t, httpApp(), func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.RequestURI, r.Host, string(b), r.Header.Clone()}
		w.Header().Set("Location", "/elsewhere")
		w.Header().Set("X-Handler", "yes")
		w.WriteHeader(http.StatusFound) // not followed, passed through
		w.Write([]byte("moved"))
	}, nil)
	req := httptest.NewRequest(http.MethodPut, "http://localhost:7071/api/Order/5?x=1&x=2", strings.NewReader("payload"))
	req.Header.Set("User-Agent", "curl/8")
	req.Header.Set("X-Custom", "c")
	rec := httptest.NewRecorder()

	if err := h.Forward(rec, req, "Order", "reason", nil); err != nil {
		t.Fatal(err)
	}
	s := <-got
	if s.method != http.MethodPut || s.uri != "/api/Order/5?x=1&x=2" || s.host != "localhost:7071" || s.body != "payload" {
		t.Fatalf("handler saw %s %s host %s body %q", s.method, s.uri, s.host, s.body)
	}
	var inv *emulator.Invocation
	for _, e := range drain(events) {
		if e.Kind == emulator.EventInvocationFinished {
			inv = e.Invocation
		}
	}
	wantHeaders := map[string]string{
		"X-Custom":                       "c",
		"User-Agent":                     "curl/8 Azure-Functions-Host/" + DefaultVersion,
		"X-Azure-Functions-Hostversion":  DefaultVersion,
		"X-Azure-Functions-Invocationid": inv.ID,
		"X-Ms-Invocation-Id":             inv.ID,
	}
	for k, v := range wantHeaders {
		if s.header.Get(k) != v {
			t.Errorf("handler header %s = %q, want %q", k, s.header.Get(k), v)
		}
	}
	if rec.Code != http.StatusFound || rec.Body.String() != "moved" || rec.Header().Get("X-Handler") != "yes" {
		t.Fatalf("caller got %d %q %v", rec.Code, rec.Body.String(), rec.Header())
	}
	if inv.Status != emulator.StatusSucceeded || len(inv.Outputs) != 1 || inv.Outputs[0].HTTP.Status != http.StatusFound || string(inv.Outputs[0].HTTP.Body) != "moved" {
		t.Fatalf("recorded invocation %+v", inv)
	}
}

func TestForwardToDeadHandlerAnswers500(t *testing.T) {
	h, w, _, _ := newTestHost(t, httpApp(), func(http.ResponseWriter, *http.Request) {}, nil)
	w.url = "http://127.0.0.1:1" // nothing listens there
	rec := httptest.NewRecorder()
	err := h.Forward(rec, httptest.NewRequest(http.MethodGet, "/api/Order", nil), "Order", "r", nil)
	if err == nil || rec.Code != http.StatusInternalServerError || rec.Body.Len() != 0 {
		t.Fatalf("Forward = %v, caller got %d %q; want an error and 500 with no body", err, rec.Code, rec.Body.String())
	}
}

func TestManualInvokeOfForwardedFunction(t *testing.T) {
	a := httpApp()
	a.Host.CustomHandler.EnableForwardingHttpRequest = true
	a.Functions[0].Bindings[0].Route = "orders/{id?}"
	got := make(chan string, 1)
	h, _, _, _ := newTestHost(t, a, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- r.Method + " " + r.URL.Path + " " + string(b)
		w.WriteHeader(http.StatusAccepted)
	}, nil)
	res, err := h.Invoke(context.Background(), emulator.InvokeRequest{Function: "Order", Trigger: emulator.TriggerManual,
		Reason: "manual", Input: &emulator.Input{Manual: &emulator.ManualInput{Input: "in"}}})
	if err != nil {
		t.Fatal(err)
	}
	if g := <-got; g != "POST /api/orders in" {
		t.Fatalf("handler got %q", g)
	}
	if res.HTTP.Status != http.StatusAccepted || res.Invocation.Trigger != emulator.TriggerManual || res.Invocation.Status != emulator.StatusSucceeded {
		t.Fatalf("result %+v / %+v", res.HTTP, res.Invocation)
	}
}

func TestForwardedBodyOverLimitIs413(t *testing.T) {
	h, _, _, _ := newTestHost(t, httpApp(), func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	}, nil)
	req := httptest.NewRequest(http.MethodPost, "/api/Order", strings.NewReader(strings.Repeat("x", 100)))
	req.ContentLength = -1 // chunked: the limit is only found while streaming
	rec := httptest.NewRecorder()
	req.Body = http.MaxBytesReader(rec, req.Body, 10)
	if err := h.Forward(rec, req, "Order", "r", nil); err == nil || rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("Forward = %v, caller got %d; want an error and 413", err, rec.Code)
	}
}
