package admin

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/clock"
)

// adminRoutes are every route the admin API serves, with a body it takes.
var adminRoutes = []struct{ method, path, body string }{
	{"GET", "/admin/host/status", ""},
	{"GET", "/admin/host/ping", ""},
	{"POST", "/admin/host/ping", ""},
	{"GET", "/admin/functions", ""},
	{"GET", "/admin/functions/Hello", ""},
	{"GET", "/admin/functions/Hello/status", ""},
	{"POST", "/admin/functions/Hello", `{"input":"x"}`},
	{"GET", "/admin/funcemu/idle", ""},
	{"GET", "/admin/funcemu/clock", ""},
	{"POST", "/admin/funcemu/clock/advance", `{"by":"1h"}`},
	{"POST", "/admin/funcemu/replay", `{"function":"Hello","input":{}}`},
}

type keyFunc func(r *http.Request, level, function string) bool

func (f keyFunc) Allows(r *http.Request, level, function string) bool { return f(r, level, function) }

func TestGuardEachRoute(t *testing.T) {
	t.Parallel()
	type request struct {
		name        string
		host        string
		origin      string
		contentType string
		client      bool
		key         string
	}
	tests := []struct {
		request
		address string
		cors    []string
		keys    bool
		// safe and unsafe are the statuses for GET-like and
		// state-changing routes; 200 means the request reached the API.
		safe, unsafe int
	}{
		{request{name: "CLI on loopback", host: "127.0.0.1:7071", contentType: "application/json"}, "127.0.0.1", nil, false, 200, 200},
		{request{name: "CLI header without JSON", host: "127.0.0.1:7071", client: true}, "127.0.0.1", nil, false, 200, 200},
		{request{name: "localhost name", host: "localhost:7071", contentType: "application/json; charset=utf-8"}, "127.0.0.1", nil, false, 200, 200},
		{request{name: "sub.localhost", host: "app.localhost:7071", contentType: "application/json"}, "127.0.0.1", nil, false, 200, 200},
		{request{name: "IPv6 loopback", host: "[::1]:7071", contentType: "application/json"}, "::1", nil, false, 200, 200},
		{request{name: "other loopback address", host: "127.0.0.9:7071", contentType: "application/json"}, "127.0.0.1", nil, false, 200, 200},
		{request{name: "the --address literal", host: "192.0.2.7:7071", contentType: "application/json"}, "192.0.2.7", nil, false, 200, 200},
		{request{name: "the --address name", host: "devbox.lan:7071", contentType: "application/json"}, "devbox.lan", nil, false, 200, 200},
		{request{name: "DNS rebinding name", host: "rebind.evil.example:7071", contentType: "application/json"}, "127.0.0.1", nil, false, 403, 403},
		{request{name: "loopback with an empty --address", host: "127.0.0.1:7071", contentType: "application/json"}, "", nil, false, 200, 200},
		{request{name: "rebinding with an empty --address", host: "rebind.evil.example:7071", contentType: "application/json"}, "", nil, false, 403, 403},
		{request{name: "rebinding on all interfaces", host: "rebind.evil.example:7071", contentType: "application/json"}, "0.0.0.0", nil, false, 403, 403},
		{request{name: "foreign address literal", host: "192.0.2.99:7071", contentType: "application/json"}, "192.0.2.7", nil, false, 403, 403},
		{request{name: "empty Host", host: "", contentType: "application/json"}, "127.0.0.1", nil, false, 403, 403},
		{request{name: "cross-site text/plain", host: "127.0.0.1:7071", origin: "http://evil.example", contentType: "text/plain"}, "127.0.0.1", nil, false, 403, 403},
		{request{name: "cross-site JSON", host: "127.0.0.1:7071", origin: "http://evil.example", contentType: "application/json"}, "127.0.0.1", nil, false, 403, 403},
		{request{name: "null origin", host: "127.0.0.1:7071", origin: "null", contentType: "application/json"}, "127.0.0.1", nil, false, 403, 403},
		{request{name: "other local port", host: "127.0.0.1:7071", origin: "http://localhost:3000", contentType: "application/json"}, "127.0.0.1", nil, false, 403, 403},
		{request{name: "wildcard cors is not enough", host: "127.0.0.1:7071", origin: "http://evil.example", contentType: "application/json"}, "127.0.0.1", []string{"*"}, false, 403, 403},
		{request{name: "origin listed in cors", host: "127.0.0.1:7071", origin: "http://localhost:3000", contentType: "application/json"}, "127.0.0.1", []string{"http://localhost:3000/"}, false, 200, 200},
		{request{name: "listed origin still needs JSON", host: "127.0.0.1:7071", origin: "http://localhost:3000", contentType: "text/plain"}, "127.0.0.1", []string{"http://localhost:3000"}, false, 200, 415},
		{request{name: "same origin page", host: "127.0.0.1:7071", origin: "http://127.0.0.1:7071", contentType: "application/json"}, "127.0.0.1", nil, false, 200, 200},
		{request{name: "form post", host: "127.0.0.1:7071", contentType: "application/x-www-form-urlencoded"}, "127.0.0.1", nil, false, 200, 415},
		{request{name: "text/plain without origin", host: "127.0.0.1:7071", contentType: "text/plain"}, "127.0.0.1", nil, false, 200, 415},
		{request{name: "no content type", host: "127.0.0.1:7071"}, "127.0.0.1", nil, false, 200, 415},
		{request{name: "keys on, no key", host: "127.0.0.1:7071", contentType: "application/json"}, "127.0.0.1", nil, true, 401, 401},
		{request{name: "keys on, master key", host: "127.0.0.1:7071", contentType: "application/json", key: "master"}, "127.0.0.1", nil, true, 200, 200},
		{request{name: "keys on, function key", host: "127.0.0.1:7071", contentType: "application/json", key: "fn"}, "127.0.0.1", nil, true, 401, 401},
	}
	keys := keyFunc(func(r *http.Request, level, _ string) bool {
		return level == "admin" && r.Header.Get("x-functions-key") == "master"
	})
	for _, tc := range tests {
		for _, rt := range adminRoutes {
			t.Run(tc.name+"/"+rt.method+" "+rt.path, func(t *testing.T) {
				reached := false
				next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached = true })
				o := GuardOptions{Address: tc.address, Origins: tc.cors}
				if tc.keys {
					o.Keys = keys
				}
				req := httptest.NewRequest(rt.method, rt.path, strings.NewReader(rt.body))
				req.Host = tc.host
				if tc.origin != "" {
					req.Header.Set("Origin", tc.origin)
				}
				if tc.contentType != "" {
					req.Header.Set("Content-Type", tc.contentType)
				}
				if tc.client {
					req.Header.Set(ClientHeader, "cli")
				}
				if tc.key != "" {
					req.Header.Set("x-functions-key", tc.key)
				}
				rec := httptest.NewRecorder()
				Guard(next, o).ServeHTTP(rec, req)
				want := tc.safe
				if rt.method != "GET" && rt.path != "/admin/host/ping" {
					want = tc.unsafe
				}
				if rec.Code != want || reached != (want == 200) {
					t.Fatalf("status %d (reached %v), want %d: %s", rec.Code, reached, want, rec.Body)
				}
				if want != 200 && !strings.HasPrefix(rec.Body.String(), "funcemu: ") {
					t.Fatalf("refusal without a reason: %q", rec.Body)
				}
			})
		}
	}
}

// TestGuardRoutesAreTheAPIs keeps adminRoutes in step with the handler:
// every listed route exists behind the guard.
func TestGuardRoutesAreTheAPIs(t *testing.T) {
	t.Parallel()
	a := testApp()
	h := New(Options{
		App: func() *emulator.App { return a }, Invoker: &fakeInvoker{got: make(chan emulator.InvokeRequest, 10)},
		BaseURL: func() string { return "http://localhost:7071" }, Idle: NewIdle(nil),
		ClockMover: clock.NewVirtual(time.Now()), Replay: func(context.Context, string, *emulator.Input, bool) (*emulator.Result, error) {
			return nil, nil
		},
	})
	for _, rt := range adminRoutes {
		req := httptest.NewRequest(rt.method, rt.path, nil)
		if _, pattern := h.mux.Handler(req); pattern == "" {
			t.Errorf("%s %s: no such admin route", rt.method, rt.path)
		}
	}
}
