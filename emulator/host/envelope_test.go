package host

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

func TestEncodeValue(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string // "" = left out
	}{
		{"string is JSON-quoted", "hello", `"\"hello\""`},
		{"string with quotes and html", `a"<b>`, `"\"a\\\"<b>\""`},
		{"int as string", 1, `"1"`},
		{"float as string", 2.5, `"2.5"`},
		{"bool as string", true, `"true"`},
		{"bytes as base64", []byte("hi"), `"aGk="`},
		{"time without fraction", time.Date(2024, 5, 8, 12, 0, 0, 999, time.UTC), `"2024-05-08T12:00:00+00:00"`},
		{"map as object", map[string]any{"b": 1, "a": "x"}, `{"a":"x","b":1}`},
		{"raw object verbatim", json.RawMessage(`{"k": [1]}`), `{"k": [1]}`},
		{"raw string quoted again", json.RawMessage(`"s"`), `"\"s\""`},
		{"array as JSON string", []string{"a", "b"}, `"[\"a\",\"b\"]"`},
		{"nil left out", nil, ""},
		{"raw null left out", json.RawMessage("null"), ""},
		{"nil pointer left out", (*int)(nil), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok, err := encodeValue(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				got = nil
			}
			if string(got) != tc.want {
				t.Fatalf("encodeValue(%#v) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

type captured struct {
	method, path string
	header       http.Header
	body         string
}

func TestEnvelopeIsExactlyWhatTheHostSends(t *testing.T) {
	got := make(chan captured, 1)
	h, _, _, _ := newTestHost(t, httpApp(), func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- captured{r.Method, r.URL.Path, r.Header.Clone(), string(b)}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	}, nil)

	req := emulator.InvokeRequest{
		Function: "Order",
		Trigger:  emulator.TriggerHTTP,
		Data: map[string]any{"req": json.RawMessage(
			`{"Url":"http://localhost:7071/api/order?x=1","Method":"POST","Query":{"x":"1"},"Headers":{"Host":["localhost:7071"]},"Params":{},"Body":"{\"quantity\":2}"}`)},
		Metadata: map[string]any{
			"Query":        map[string]string{"x": "1"},
			"Headers":      map[string]string{"Host": "localhost:7071"},
			"x":            "1",
			"quantity":     "2",
			"QueueTrigger": "dropped: ends in trigger",
			"name":         nil,
		},
	}
	res, err := h.Invoke(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	c := <-got
	if c.method != http.MethodPost || c.path != "/Order" {
		t.Fatalf("request line %s %s, want POST /Order", c.method, c.path)
	}
	body := regexp.MustCompile(`"RandGuid":"[0-9a-f-]{36}"`).ReplaceAllString(c.body, `"RandGuid":"G"`)
	want := `{"Data":{"req":{"Url":"http://localhost:7071/api/order?x=1","Method":"POST","Query":{"x":"1"},"Headers":{"Host":["localhost:7071"]},"Params":{},"Body":"{\"quantity\":2}"}},` +
		`"Metadata":{"Headers":{"Host":"localhost:7071"},"Query":{"x":"1"},"quantity":"\"2\"","x":"\"1\"",` +
		`"sys":{"MethodName":"Order","UtcNow":"2024-05-01T12:00:00.1234567Z","RandGuid":"G"}}}`
	if body != want {
		t.Fatalf("envelope\n got %s\nwant %s", body, want)
	}
	headers := map[string]string{
		"Content-Type":                   "application/json; charset=utf-8",
		"X-Azure-Functions-Hostversion":  DefaultVersion,
		"X-Azure-Functions-Invocationid": res.Invocation.ID,
		"User-Agent":                     "Azure-Functions-Host/" + DefaultVersion,
	}
	for k, v := range headers {
		if c.header.Get(k) != v {
			t.Errorf("header %s = %q, want %q", k, c.header.Get(k), v)
		}
	}
}

func TestEnvelopeCarriesRetryContext(t *testing.T) {
	app := httpApp()
	app.Host.Retry = &emulator.RetryPolicy{Strategy: "fixedDelay", MaxRetryCount: 2}
	var bodies []string
	h, _, events, _ := newTestHost(t, app, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		var env struct {
			Metadata struct{ RetryContext retryContext }
		}
		json.Unmarshal(b, &env)
		if env.Metadata.RetryContext.RetryCount < env.Metadata.RetryContext.MaxRetryCount {
			w.WriteHeader(500)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"Outputs":{"res":{"body":"done"}}}`))
	}, nil)
	res, err := h.Invoke(context.Background(), emulator.InvokeRequest{Function: "Order", Trigger: emulator.TriggerHTTP})
	if err != nil {
		t.Fatal(err)
	}
	if string(res.HTTP.Body) != "done" || res.Invocation.RetryCount != 2 {
		t.Fatalf("result %+v / %s, want body done after retry 2", res.Invocation, res.HTTP.Body)
	}
	wantRC := []string{
		`"RetryContext":{"RetryCount":0,"MaxRetryCount":2,"Exception":null}`,
		`"RetryContext":{"RetryCount":1,"MaxRetryCount":2,"Exception":{"Message":"Response status code does not indicate success: 500 (Internal Server Error)."}}`,
		`"RetryContext":{"RetryCount":2,"MaxRetryCount":2,"Exception":{"Message":"Response status code does not indicate success: 500 (Internal Server Error)."}}`,
	}
	if len(bodies) != len(wantRC) {
		t.Fatalf("%d attempts, want %d", len(bodies), len(wantRC))
	}
	for i, want := range wantRC {
		if !regexp.MustCompile(regexp.QuoteMeta(want) + `}}$`).MatchString(bodies[i]) {
			t.Errorf("attempt %d metadata ends %s, want %s", i, bodies[i][len(bodies[i])-120:], want)
		}
	}
	ids := map[string]bool{}
	var waits, warnings int
	for _, e := range drain(events) {
		if e.Kind == emulator.EventInvocationStarted {
			ids[e.Invocation.ID] = true
		}
		if e.Log != nil && e.Log.Message == "Soon retries will not be supported for function 'Functions.Order'. For more information, please visit http://aka.ms/func-retry-policies." {
			warnings++
		}
		if e.Log != nil && regexp.MustCompile("^Waiting for `00:00:00` before retrying function execution. Next attempt: '[12]'. Max retry count: '2'$").MatchString(e.Log.Message) {
			waits++
		}
	}
	if len(ids) != 3 || waits != 2 || warnings != 1 {
		t.Fatalf("%d distinct invocation ids, %d retry log lines, %d warnings; want 3, 2 and 1 (once per function)", len(ids), waits, warnings)
	}
}

func TestObjectKeysAreEscapedLikeValues(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"req", "sys", `a"b`, `back\slash`, "tab\there", "é", "<html>", "\x7f"} {
		var o object
		o.add(key, json.RawMessage(`1`))
		var got map[string]int
		if err := json.Unmarshal(o.bytes(), &got); err != nil || got[key] != 1 {
			t.Errorf("key %q: %s decodes to %v (%v)", key, o.bytes(), got, err)
		}
		want, _ := marshal(key)
		if !bytes.HasPrefix(o.bytes(), append([]byte("{"), want...)) {
			t.Errorf("key %q written as %s, want %s", key, o.bytes(), want)
		}
	}
}
