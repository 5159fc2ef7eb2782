package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

type fakeInvoker struct{ got chan emulator.InvokeRequest }

func (f *fakeInvoker) Invoke(ctx context.Context, req emulator.InvokeRequest) (*emulator.Result, error) {
	f.got <- req
	return &emulator.Result{}, nil
}

func testApp() *emulator.App {
	return &emulator.App{
		Host: emulator.HostConfig{RoutePrefix: "api", CustomHandler: emulator.CustomHandler{ExecutablePath: "handler"}},
		Functions: []*emulator.Function{
			{Name: "Hello", Config: json.RawMessage(`{"bindings":[]}`), Bindings: []*emulator.Binding{
				{Type: "httpTrigger", Direction: "in", Name: "req", Route: "Greet/{Name}"}, {Type: "http", Direction: "out", Name: "res"}}},
			{Name: "Jobs", Disabled: true, Bindings: []*emulator.Binding{{Type: "queueTrigger", Direction: "in", Name: "msg"}}},
			{Name: "Tick", Bindings: []*emulator.Binding{{Type: "timerTrigger", Direction: "in", Name: "t"}}},
		},
		Broken: []*emulator.FunctionError{{Name: "Bad", Err: errString("Bad/function.json: bindings: at least one binding must be declared")}},
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func newTestHandler(inv *fakeInvoker) *Handler {
	a := testApp()
	return New(Options{
		App:     func() *emulator.App { return a },
		Invoker: inv,
		BaseURL: func() string { return "http://localhost:7071" },
		Version: "4.1037.0.0",
		Started: time.Now(),
	})
}

func serve(h http.Handler, method, path, body string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, strings.NewReader(body)))
	return rec
}

func TestAdminEndpoints(t *testing.T) {
	h := newTestHandler(&fakeInvoker{got: make(chan emulator.InvokeRequest, 10)})
	tests := []struct {
		method, path string
		status       int
		bodyHas      []string
	}{
		{"GET", "/admin/host/status", 200, []string{`"state":"Running"`, `"version":"4.1037.0.0"`, `"functionAppContentEditingState":"Unknown"`}},
		{"GET", "/admin/host/ping", 200, nil},
		{"POST", "/admin/host/ping", 200, nil},
		{"GET", "/admin/functions", 200, []string{`"name":"Hello"`, `"name":"Jobs"`, `"name":"Tick"`}},
		{"GET", "/admin/functions/hello", 200, []string{
			`"name":"Hello"`,
			`"href":"http://localhost:7071/admin/functions/Hello"`,
			`"invoke_url_template":"http://localhost:7071/api/greet/{name}"`,
			`"config":{"bindings":[]}`,
			`"script_href":"http://localhost:7071/admin/vfs/handler"`,
			`"language":"custom"`, `"isDisabled":false`, `"isDirect":false`, `"isProxy":false`,
		}},
		{"GET", "/admin/functions/Jobs", 200, []string{`"invoke_url_template":null`, `"isDisabled":true`, `"config":{}`}},
		{"GET", "/admin/functions/nope", 404, nil},
		{"GET", "/admin/functions/Bad/status", 200, []string{`"errors":["Bad/function.json: bindings:`}},
		{"GET", "/admin/functions/Hello/status", 200, []string{`{}`}},
		{"GET", "/admin/functions/nope/status", 404, nil},
		{"GET", "/admin/unknown", 404, nil},
		{"DELETE", "/admin/functions/Hello", 404, nil},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			rec := serve(h, tc.method, tc.path, "")
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			for _, want := range tc.bodyHas {
				if !strings.Contains(rec.Body.String(), want) {
					t.Errorf("body %s lacks %s", rec.Body, want)
				}
			}
			if tc.bodyHas == nil && rec.Body.Len() != 0 {
				t.Errorf("body %q, want empty", rec.Body)
			}
		})
	}
}

func TestAdminInvoke(t *testing.T) {
	tests := []struct {
		name, path, body string
		status           int
		wantData         string // JSON of Data, "" when nothing is invoked
	}{
		{"queue gets the string", "/admin/functions/Jobs", `{"input":"hello"}`, 202, `{"msg":"hello"}`},
		{"timer gets a TimerInfo", "/admin/functions/tick", `{"input":""}`, 202, `{"t":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}}`},
		{"http gets a POST request", "/admin/functions/Hello", `{"Input":"b"}`, 202, `{"req":{"Body":"b","Headers":{},"Method":"POST","Params":{},"Query":{},"Url":"http://localhost:7071/api/Greet/{Name}"}}`},
		{"missing input", "/admin/functions/Jobs", `{}`, 400, ""},
		{"not JSON", "/admin/functions/Jobs", `x`, 400, ""},
		{"unknown function", "/admin/functions/Nope", `{"input":""}`, 404, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv := &fakeInvoker{got: make(chan emulator.InvokeRequest, 1)}
			rec := serve(newTestHandler(inv), "POST", tc.path, tc.body)
			if rec.Code != tc.status || rec.Body.Len() != 0 {
				t.Fatalf("got %d %q, want %d with no body", rec.Code, rec.Body, tc.status)
			}
			if tc.wantData == "" {
				select {
				case req := <-inv.got:
					t.Fatalf("invoked %+v", req)
				default:
				}
				return
			}
			req := <-inv.got
			data, _ := json.Marshal(req.Data)
			if string(data) != tc.wantData || req.Trigger != emulator.TriggerManual || req.Reason != Reason || req.Input.Manual == nil {
				t.Fatalf("invoked with data %s, trigger %q, reason %q", data, req.Trigger, req.Reason)
			}
		})
	}
}
