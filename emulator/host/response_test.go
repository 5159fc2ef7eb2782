package host

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

func TestResponseRules(t *testing.T) {
	resBindings := []*emulator.Binding{
		{Type: "httpTrigger", Direction: "in", Name: "req"},
		{Type: "http", Direction: "out", Name: "res"},
	}
	returnBindings := []*emulator.Binding{
		{Type: "httpTrigger", Direction: "in", Name: "req"},
		{Type: "http", Direction: "out", Name: "$return"},
	}
	plain := map[string][]string{"Content-Type": {defaultContentType}}
	tests := []struct {
		name        string
		bindings    []*emulator.Binding
		status      int
		contentType string
		body        string
		wantErr     string
		want        *emulator.HTTPResponse
	}{
		{"res with status, headers, body", resBindings, 200, "application/json",
			`{"Outputs":{"res":{"statusCode":201,"headers":{"Location":"/x/1","X-N":5},"body":"created"}}}`, "",
			&emulator.HTTPResponse{Status: 201, Headers: map[string][]string{"Location": {"/x/1"}, "X-N": {"5"}, "Content-Type": {defaultContentType}}, Body: []byte("created")}},
		{"status as string, keys in any case", resBindings, 200, "application/json; charset=utf-8",
			`{"outputs":{"res":{"StatusCode":"404","Body":"nope"}}}`, "",
			&emulator.HTTPResponse{Status: 404, Headers: plain, Body: []byte("nope")}},
		{"unparsable status is 200", resBindings, 200, "text/json",
			`{"Outputs":{"res":{"statusCode":"teapot","body":"x"}}}`, "",
			&emulator.HTTPResponse{Status: 200, Headers: plain, Body: []byte("x")}},
		{"object body indented, content-type header kept", resBindings, 200, "application/json",
			`{"Outputs":{"res":{"body":{"a":1,"b":[true]},"headers":{"content-type":"application/json"}}}}`, "",
			&emulator.HTTPResponse{Status: 200, Headers: map[string][]string{"Content-Type": {"application/json"}}, Body: []byte("{\n  \"a\": 1,\n  \"b\": [\n    true\n  ]\n}")}},
		{"outputs without res gives {}", resBindings, 200, "application/json",
			`{"Outputs":{}}`, "",
			&emulator.HTTPResponse{Status: 200, Headers: map[string][]string{"Content-Type": {"application/json; charset=utf-8"}}, Body: []byte("{}")}},
		{"no outputs gives 200 empty", resBindings, 200, "application/json",
			`{"Logs":["x"]}`, "",
			&emulator.HTTPResponse{Status: 200}},
		{"res without body gives empty body", resBindings, 200, "application/json",
			`{"Outputs":{"res":{"statusCode":204}}}`, "",
			&emulator.HTTPResponse{Status: 204}},
		{"res not an object fails", resBindings, 200, "application/json",
			`{"Outputs":{"res":"hello"}}`, "Failed while trying to Deserialize to httpOutputBindingResponse", nil},
		{"non-2xx fails", resBindings, 500, "application/json",
			`{"Outputs":{"res":{"body":"x"}}}`, "Response status code does not indicate success: 500 (Internal Server Error).", nil},
		{"text/plain fails", resBindings, 200, "text/plain; charset=utf-8",
			`{"Outputs":{}}`, "media type 'text/plain'", nil},
		{"missing content type fails", resBindings, 200, "",
			`{"Outputs":{}}`, "media type 'application/octet-stream'", nil},
		{"not JSON fails", resBindings, 200, "application/json",
			`hello`, "not a valid invocation result", nil},
		{"$return plain string", returnBindings, 200, "application/json",
			`{"ReturnValue":"hi there"}`, "",
			&emulator.HTTPResponse{Status: 200, Headers: plain, Body: []byte("hi there")}},
		{"$return JSON string with body", returnBindings, 200, "application/json",
			`{"ReturnValue":"{\"statusCode\":202,\"body\":\"queued\"}"}`, "",
			&emulator.HTTPResponse{Status: 202, Headers: plain, Body: []byte("queued")}},
		{"$return object with body", returnBindings, 200, "application/json",
			`{"ReturnValue":{"statusCode":418,"body":{"k":"v"}}}`, "",
			&emulator.HTTPResponse{Status: 418, Headers: plain, Body: []byte("{\n  \"k\": \"v\"\n}")}},
		{"$return object without body is the body", returnBindings, 200, "application/json",
			`{"ReturnValue":{"k":"v"}}`, "",
			&emulator.HTTPResponse{Status: 200, Headers: plain, Body: []byte("{\n  \"k\": \"v\"\n}")}},
		{"$return number", returnBindings, 200, "application/json",
			`{"ReturnValue":42}`, "",
			&emulator.HTTPResponse{Status: 200, Headers: plain, Body: []byte("42")}},
		{"$return null gives 200 empty", returnBindings, 200, "application/json",
			`{"ReturnValue":null}`, "",
			&emulator.HTTPResponse{Status: 200}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, _, _, _ := newTestHost(t, httpApp(tc.bindings...), func(w http.ResponseWriter, r *http.Request) {
				if tc.contentType != "" {
					w.Header().Set("Content-Type", tc.contentType)
				} else {
					w.Header()["Content-Type"] = nil // no sniffing
				}
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
			}, nil)
			res, err := h.Invoke(context.Background(), emulator.InvokeRequest{Function: "Order", Trigger: emulator.TriggerHTTP})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				if res.HTTP != nil || res.Invocation.Status != emulator.StatusFailed {
					t.Fatalf("failed invocation has response %+v, status %s", res.HTTP, res.Invocation.Status)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res.HTTP, tc.want) {
				t.Fatalf("response\n got %+v (%q)\nwant %+v (%q)", res.HTTP, res.HTTP.Body, tc.want, tc.want.Body)
			}
		})
	}
}

func TestOutputsAndBase64Quirk(t *testing.T) {
	bindings := []*emulator.Binding{
		{Type: "queueTrigger", Direction: "in", Name: "msg"},
		{Type: "queue", Direction: "out", Name: "text"},
		{Type: "queue", Direction: "out", Name: "lookslike"},
		{Type: "blob", Direction: "out", Name: "raw", DataType: "binary"},
		{Type: "queue", Direction: "out", Name: "obj"},
		{Type: "queue", Direction: "out", Name: "unset"},
		{Type: "blob", Direction: "out", Name: "$return"},
	}
	body := `{"Outputs":{"text":"hello","lookslike":"output from go","raw":"dGVzdA==","obj":{"a":1}},"ReturnValue":"abcd"}`
	tests := []struct {
		compat bool
		want   map[string]string // binding -> Binary as string, or "-" for none
	}{
		{true, map[string]string{"text": "-", "lookslike": mustBase64(t, "outputfromgo"), "raw": "-", "obj": "-", "$return": mustBase64(t, "abcd")}},
		{false, map[string]string{"text": "-", "lookslike": "-", "raw": "-", "obj": "-", "$return": "-"}},
	}
	for _, tc := range tests {
		h, _, _, _ := newTestHost(t, httpApp(bindings...), func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(body))
		}, func(o *Options) { o.CompatBase64Outputs = tc.compat })
		res, err := h.Invoke(context.Background(), emulator.InvokeRequest{Function: "Order", Trigger: emulator.TriggerQueue})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := res.Outputs["unset"]; ok || len(res.Outputs) != len(tc.want) {
			t.Fatalf("compat=%v: outputs %v, want exactly %v", tc.compat, res.Outputs, tc.want)
		}
		for name, want := range tc.want {
			o := res.Outputs[name]
			got := "-"
			if o.Binary != nil {
				got = string(o.Binary)
			}
			if got != want || o.Binding.Name != name {
				t.Errorf("compat=%v %s: binary %q, want %q", tc.compat, name, got, want)
			}
		}
		if string(res.Outputs["obj"].Value) != `{"a":1}` || string(res.ReturnValue) != `"abcd"` {
			t.Errorf("values %s / %s", res.Outputs["obj"].Value, res.ReturnValue)
		}
	}
}

func mustBase64(t *testing.T, s string) string {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestLogsBecomeFunctionLogs(t *testing.T) {
	h, _, events, _ := newTestHost(t, httpApp(), func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"Logs":["first","second"]}`))
	}, nil)
	res, err := h.Invoke(context.Background(), emulator.InvokeRequest{Function: "Order", Trigger: emulator.TriggerManual})
	if err != nil {
		t.Fatal(err)
	}
	var logs []emulator.LogEntry
	var kinds []emulator.EventKind
	for _, e := range drain(events) {
		kinds = append(kinds, e.Kind)
		if e.Log != nil {
			logs = append(logs, *e.Log)
		}
	}
	want := []emulator.LogEntry{
		{Level: emulator.LevelInfo, Category: emulator.CategoryFunction, Message: "first", Function: "Order", InvocationID: res.Invocation.ID},
		{Level: emulator.LevelInfo, Category: emulator.CategoryFunction, Message: "second", Function: "Order", InvocationID: res.Invocation.ID},
	}
	if !reflect.DeepEqual(logs, want) {
		t.Fatalf("logs %+v, want %+v", logs, want)
	}
	wantKinds := []emulator.EventKind{emulator.EventInvocationStarted, emulator.EventLog, emulator.EventLog, emulator.EventInvocationFinished}
	if !reflect.DeepEqual(kinds, wantKinds) {
		t.Fatalf("events %v, want %v", kinds, wantKinds)
	}
}

func TestDecodeBase64String(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{`"test"`, "\xb5\xeb\x2d", true},
		{`"dGVzdA=="`, "test", true},
		{`"dGVz dA=="`, "test", true},
		{`""`, "", true},
		{`"hello"`, "", false},
		{`"a,b."`, "", false},
		{`5`, "", false},
		{`{"a":1}`, "", false},
	}
	for _, tc := range tests {
		got, ok := decodeBase64String(json.RawMessage(tc.in))
		if ok != tc.ok || string(got) != tc.want {
			t.Errorf("decodeBase64String(%s) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestInputReaderAddsData(t *testing.T) {
	bindings := []*emulator.Binding{
		{Type: "queueTrigger", Direction: "in", Name: "msg"},
		{Type: "blob", Direction: "in", Name: "doc"},
	}
	got := make(chan string, 1)
	h, _, _, _ := newTestHost(t, httpApp(bindings...), func(w http.ResponseWriter, r *http.Request) {
		var env struct{ Data map[string]json.RawMessage }
		json.NewDecoder(r.Body).Decode(&env)
		got <- string(env.Data["doc"])
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	}, func(o *Options) {
		o.Inputs = func(ctx context.Context, fn *emulator.Function, req *emulator.InvokeRequest) error {
			req.Data["doc"] = "read for " + req.Data["msg"].(string)
			return nil
		}
	})
	if _, err := h.Invoke(context.Background(), emulator.InvokeRequest{Function: "Order", Trigger: emulator.TriggerQueue,
		Data: map[string]any{"msg": "m1"}}); err != nil {
		t.Fatal(err)
	}
	if doc := <-got; doc != `"\"read for m1\""` {
		t.Fatalf("Data.doc = %s", doc)
	}
}
