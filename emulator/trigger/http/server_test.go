package httptrigger

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

// fakeHost records what the server asks of the host.
type fakeHost struct {
	mu       sync.Mutex
	invoked  []emulator.InvokeRequest
	forwards []string
	forward  map[string]bool // functions that are forwarded
	result   *emulator.HTTPResponse
	err      error
}

func (h *fakeHost) Invoke(ctx context.Context, req emulator.InvokeRequest) (*emulator.Result, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.invoked = append(h.invoked, req)
	return &emulator.Result{HTTP: h.result}, h.err
}

func (h *fakeHost) Forwards(fn *emulator.Function) bool { return h.forward[fn.Name] }

func (h *fakeHost) Forward(w http.ResponseWriter, r *http.Request, function, reason string, input *emulator.Input) error {
	h.mu.Lock()
	h.forwards = append(h.forwards, function)
	h.mu.Unlock()
	w.WriteHeader(http.StatusTeapot)
	return nil
}

// called is the function the last request reached, "" if none.
func (h *fakeHost) called() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.forwards) > 0 {
		return h.forwards[len(h.forwards)-1]
	}
	if len(h.invoked) > 0 {
		return h.invoked[len(h.invoked)-1].Function
	}
	return ""
}

func httpFunc(name, route, authLevel string, methods ...string) *emulator.Function {
	return &emulator.Function{Name: name, Bindings: []*emulator.Binding{
		{Type: "httpTrigger", Direction: "in", Name: "req", Route: route, Methods: methods, AuthLevel: authLevel},
		{Type: "http", Direction: "out", Name: "res"},
	}}
}

func testApp(prefix string, fns ...*emulator.Function) *emulator.App {
	return &emulator.App{Host: emulator.HostConfig{RoutePrefix: prefix}, Functions: fns}
}

func newTestServer(t *testing.T, a *emulator.App, h *fakeHost, edit func(*Options)) *Server {
	t.Helper()
	if h.result == nil {
		h.result = &emulator.HTTPResponse{Status: 200, Body: []byte("ok")}
	}
	opts := Options{App: a, Host: h}
	if edit != nil {
		edit(&opts)
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRouting(t *testing.T) {
	disabledAnon := httpFunc("Gone", "gone", "anonymous")
	disabledAnon.Disabled = true
	disabledKeyed := httpFunc("Keyed", "keyed", "function")
	disabledKeyed.Disabled = true
	queue := &emulator.Function{Name: "Queue", Bindings: []*emulator.Binding{{Type: "queueTrigger", Direction: "in", Name: "m"}}}
	a := testApp("api",
		httpFunc("Afunc", "products/{id}", "anonymous"),
		httpFunc("Bfunc", "products/special", "anonymous"),
		httpFunc("Cfunc", "", "anonymous", "post", "PUT"),
		httpFunc("Fwd", "fwd/{*rest}", "anonymous"),
		disabledAnon, disabledKeyed, queue,
	)
	tests := []struct {
		method, path string
		status       int
		function     string
	}{
		{"GET", "/api/products/special", 200, "Afunc"}, // first match in name order wins
		{"GET", "/api/products/7", 200, "Afunc"},
		{"GET", "/API/PRODUCTS/7", 200, "Afunc"},
		{"POST", "/api/Cfunc", 200, "Cfunc"}, // route defaults to the name
		{"put", "/api/cfunc", 200, "Cfunc"},
		{"GET", "/api/Cfunc", 404, ""}, // method mismatch is 404
		{"GET", "/api/fwd/a/b", http.StatusTeapot, "Fwd"},
		{"GET", "/api/gone", 404, ""},       // disabled anonymous
		{"GET", "/api/keyed", 200, "Keyed"}, // disabled but callable with func start's admin rights
		{"GET", "/api/Queue", 404, ""},
		{"GET", "/products/7", 404, ""},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			h := &fakeHost{forward: map[string]bool{"Fwd": true}}
			s := newTestServer(t, a, h, nil)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
			if rec.Code != tc.status || h.called() != tc.function {
				t.Fatalf("got %d from %q, want %d from %q", rec.Code, h.called(), tc.status, tc.function)
			}
			if tc.status == 404 && rec.Body.Len() != 0 {
				t.Fatalf("404 with body %q", rec.Body.String())
			}
		})
	}
}

func TestEmptyRoutePrefix(t *testing.T) {
	h := &fakeHost{}
	s := newTestServer(t, testApp("", httpFunc("F", "items/{id:int}", "anonymous")), h, nil)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/items/3", nil))
	if rec.Code != 200 || h.called() != "F" {
		t.Fatalf("got %d from %q", rec.Code, h.called())
	}
}

func TestBadRouteIsAnError(t *testing.T) {
	_, err := New(Options{App: testApp("api", httpFunc("F", "items/{id", "anonymous")), Host: &fakeHost{}})
	if err == nil || !strings.Contains(err.Error(), "F/function.json") {
		t.Fatalf("New = %v, want an error naming F/function.json", err)
	}
}

func TestHomepage(t *testing.T) {
	for _, disabled := range []bool{false, true} {
		s := newTestServer(t, testApp("api"), &fakeHost{}, func(o *Options) { o.DisableHomepage = disabled })
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		want := 200
		if disabled {
			want = 204
		}
		if rec.Code != want || !disabled && rec.Header().Get("Content-Type") != "text/html" {
			t.Fatalf("disabled=%v: %d %s", disabled, rec.Code, rec.Header().Get("Content-Type"))
		}
	}
	// A function mapped at / takes precedence.
	h := &fakeHost{}
	s := newTestServer(t, testApp("", httpFunc("Root", "/", "anonymous")), h, nil)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if h.called() != "Root" {
		t.Fatalf("GET / reached %q, want Root", h.called())
	}
}

func TestBodyLimit(t *testing.T) {
	tests := []struct {
		name        string
		body        string
		chunked     bool
		wantStatus  int
		wantInvoked bool
	}{
		{"within limit", "0123456789", false, 200, true},
		{"declared too large", "0123456789X", false, 413, false},
		{"chunked too large", "0123456789X", true, 413, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &fakeHost{}
			s := newTestServer(t, testApp("api", httpFunc("F", "", "anonymous")), h, func(o *Options) { o.MaxBodyBytes = 10 })
			req := httptest.NewRequest("POST", "/api/F", strings.NewReader(tc.body))
			if tc.chunked {
				req.ContentLength = -1
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != tc.wantStatus || (h.called() != "") != tc.wantInvoked {
				t.Fatalf("got %d, invoked %q", rec.Code, h.called())
			}
		})
	}
}

func TestFailedInvocationIs500Empty(t *testing.T) {
	h := &fakeHost{err: errors.New("boom"), result: &emulator.HTTPResponse{Status: 200, Body: []byte("ignored")}}
	s := newTestServer(t, testApp("api", httpFunc("F", "", "anonymous")), h, nil)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/api/F", nil))
	if rec.Code != 500 || rec.Body.Len() != 0 {
		t.Fatalf("got %d %q, want 500 with no body", rec.Code, rec.Body.String())
	}
}

func TestResponseWritten(t *testing.T) {
	h := &fakeHost{result: &emulator.HTTPResponse{Status: 201, Body: []byte("made"),
		Headers: map[string][]string{"Location": {"/x"}, "Access-Control-Allow-Origin": {"evil"}}}}
	s := newTestServer(t, testApp("api", httpFunc("F", "", "anonymous")), h, func(o *Options) { o.CORS = []string{"http://a.test"} })
	req := httptest.NewRequest("GET", "/api/F", nil)
	req.Header.Set("Origin", "http://a.test")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 201 || rec.Body.String() != "made" || rec.Header().Get("Location") != "/x" {
		t.Fatalf("got %d %q %v", rec.Code, rec.Body.String(), rec.Header())
	}
	if got := rec.Header().Values("Access-Control-Allow-Origin"); len(got) != 1 || got[0] != "http://a.test" {
		t.Fatalf("Access-Control-Allow-Origin = %v, want the CORS value only", got)
	}
}

func TestCORS(t *testing.T) {
	tests := []struct {
		name        string
		origins     []string
		credentials bool
		method      string
		origin      string
		preflight   bool
		wantStatus  int
		wantAllow   string
		wantCreds   string
	}{
		{"not configured", nil, false, "GET", "http://a.test", false, 200, "", ""},
		{"listed origin", []string{"http://a.test"}, false, "GET", "http://a.test", false, 200, "http://a.test", ""},
		{"other origin", []string{"http://a.test"}, false, "GET", "http://b.test", false, 200, "", ""},
		{"wildcard", []string{"*"}, false, "GET", "http://b.test", false, 200, "*", ""},
		{"wildcard with credentials echoes", []string{"*"}, true, "GET", "http://b.test", false, 200, "http://b.test", "true"},
		{"preflight", []string{"http://a.test"}, false, "OPTIONS", "http://a.test", true, 204, "http://a.test", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &fakeHost{}
			s := newTestServer(t, testApp("api", httpFunc("F", "", "anonymous")), h, func(o *Options) {
				o.CORS, o.CORSCredentials = tc.origins, tc.credentials
			})
			req := httptest.NewRequest(tc.method, "/api/F", nil)
			req.Header.Set("Origin", tc.origin)
			if tc.preflight {
				req.Header.Set("Access-Control-Request-Method", "PUT")
				req.Header.Set("Access-Control-Request-Headers", "X-A")
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			hdr := rec.Header()
			if rec.Code != tc.wantStatus || hdr.Get("Access-Control-Allow-Origin") != tc.wantAllow || hdr.Get("Access-Control-Allow-Credentials") != tc.wantCreds {
				t.Fatalf("got %d allow-origin %q credentials %q", rec.Code, hdr.Get("Access-Control-Allow-Origin"), hdr.Get("Access-Control-Allow-Credentials"))
			}
			if tc.preflight && (hdr.Get("Access-Control-Allow-Methods") != "PUT" || hdr.Get("Access-Control-Allow-Headers") != "X-A" || h.called() != "") {
				t.Fatalf("preflight headers %v, invoked %q", hdr, h.called())
			}
		})
	}
}

func TestAdminMounted(t *testing.T) {
	admin := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "admin:"+r.URL.Path) })
	s := newTestServer(t, testApp("api"), &fakeHost{}, func(o *Options) { o.Admin = admin })
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/admin/host/status", nil))
	if rec.Body.String() != "admin:/admin/host/status" {
		t.Fatalf("got %q", rec.Body.String())
	}
}

func TestInvocationData(t *testing.T) {
	tests := []struct {
		name        string
		target      string
		contentType string
		body        string
		authLevel   string
		wantReq     string
		wantMeta    map[string]any
	}{
		{
			"query, route values and JSON body", "/api/items/7?x=1&x=2&code=k", "application/json", `{"a":1,"b":"s","c":{"d":true},"e":[1],"f":null,"g":false}`, "anonymous",
			`{"Url":"http://example.com/api/items/7?x=1&x=2&code=k","Method":"POST","Query":{"code":"k","x":"1,2"},"Headers":{"Content-Type":["application/json"],"Host":["example.com"]},"Params":{"id":"7","opt":null},"Identities":[{"AuthenticationType":null,"IsAuthenticated":false,"Actor":null,"BootstrapContext":null,"Claims":[],"Label":null,"Name":null,"NameClaimType":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name","RoleClaimType":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role"}],"Body":"{\"a\":1,\"b\":\"s\",\"c\":{\"d\":true},\"e\":[1],\"f\":null,\"g\":false}"}`,
			map[string]any{"a": "1", "b": "s", "c": json.RawMessage(`{"d":true}`), "g": "False", "x": "1,2", "id": "7",
				"Query": map[string]string{"code": "k", "x": "1,2"}, "Headers": map[string]string{"Content-Type": "application/json", "Host": "example.com"}},
		},
		{
			"binary body as base64, function level identity", "/api/items/1", "application/octet-stream", "\x00\x01", "function",
			`{"Url":"http://example.com/api/items/1","Method":"POST","Query":{},"Headers":{"Content-Type":["application/octet-stream"],"Host":["example.com"]},"Params":{"id":"1","opt":null},"Identities":[{"AuthenticationType":"WebJobsAuthLevel","IsAuthenticated":true,"Actor":null,"BootstrapContext":null,"Claims":[{"Issuer":"LOCAL AUTHORITY","OriginalIssuer":"LOCAL AUTHORITY","Properties":{},"Subject":null,"Type":"http://schemas.microsoft.com/2017/07/functions/claims/authlevel","Value":"Admin","ValueType":"http://www.w3.org/2001/XMLSchema#string"}],"Label":null,"Name":null,"NameClaimType":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name","RoleClaimType":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role"}],"Body":"AAE="}`,
			map[string]any{"id": "1", "Query": map[string]string{}, "Headers": map[string]string{"Content-Type": "application/octet-stream", "Host": "example.com"}},
		},
		{
			"no body key without content", "/api/items/2", "", "", "anonymous",
			`{"Url":"http://example.com/api/items/2","Method":"POST","Query":{},"Headers":{"Host":["example.com"]},"Params":{"id":"2","opt":null},"Identities":[{"AuthenticationType":null,"IsAuthenticated":false,"Actor":null,"BootstrapContext":null,"Claims":[],"Label":null,"Name":null,"NameClaimType":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name","RoleClaimType":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role"}]}`,
			map[string]any{"id": "2", "Query": map[string]string{}, "Headers": map[string]string{"Host": "example.com"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &fakeHost{}
			s := newTestServer(t, testApp("api", httpFunc("F", "items/{id}/{opt?}", tc.authLevel)), h, nil)
			req := httptest.NewRequest("POST", tc.target, strings.NewReader(tc.body))
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			s.ServeHTTP(httptest.NewRecorder(), req)
			if len(h.invoked) != 1 {
				t.Fatalf("%d invocations", len(h.invoked))
			}
			got := h.invoked[0]
			if got.Trigger != emulator.TriggerHTTP || got.Reason != Reason || got.Input == nil || got.Input.HTTP.Method != "POST" || string(got.Input.HTTP.Body) != tc.body {
				t.Fatalf("request %+v", got)
			}
			if req := string(got.Data["req"].(json.RawMessage)); req != tc.wantReq {
				t.Fatalf("Data.req\n got %s\nwant %s", req, tc.wantReq)
			}
			gotMeta, _ := json.Marshal(got.Metadata)
			wantMeta, _ := json.Marshal(tc.wantMeta)
			if string(gotMeta) != string(wantMeta) {
				t.Fatalf("Metadata\n got %s\nwant %s", gotMeta, wantMeta)
			}
		})
	}
}
