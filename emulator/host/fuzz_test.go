package host

import (
	"encoding/json"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

// FuzzHandlerResponse feeds arbitrary handler answers through the response
// rules: they must fail cleanly or give a valid HTTP response.
func FuzzHandlerResponse(f *testing.F) {
	f.Add(`{"Outputs":{"res":{"statusCode":201,"headers":{"A":"b"},"body":"x"}},"Logs":["l"]}`)
	f.Add(`{"ReturnValue":"{\"body\":{\"a\":[1,2]},\"statusCode\":\"404\"}"}`)
	f.Add(`{"Outputs":{"res":"str","q":"dGVzdA=="}}`)
	f.Add(`{"Outputs":null,"ReturnValue":true}`)
	f.Add(`[]`)
	fn := &emulator.Function{Name: "F", Bindings: []*emulator.Binding{
		{Type: "httpTrigger", Direction: "in", Name: "req"},
		{Type: "http", Direction: "out", Name: "res"},
		{Type: "http", Direction: "out", Name: "$return"},
		{Type: "queue", Direction: "out", Name: "q"},
	}}
	h := New(Options{CompatBase64Outputs: true})
	f.Fuzz(func(t *testing.T, body string) {
		r, outs, err := parseResponse([]byte(body))
		if err != nil {
			return
		}
		values, resp, err := h.outputs(fn, r, outs)
		if err != nil {
			return
		}
		if resp == nil || resp.Status < 100 || resp.Status > 999 {
			t.Fatalf("response %+v from %q", resp, body)
		}
		for name, v := range values {
			if v.Binding == nil || !json.Valid(v.Value) {
				t.Fatalf("output %s = %+v from %q", name, v, body)
			}
		}
	})
}
