package admin

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

func TestReplayEndpoint(t *testing.T) {
	var calls []ReplayRequest
	replay := func(_ context.Context, function string, in *emulator.Input, dryRun bool) (*emulator.Result, error) {
		calls = append(calls, ReplayRequest{Function: function, Input: in, DryRun: dryRun})
		switch function {
		case "Missing":
			return nil, emulator.Errorf(emulator.ENOTFOUND, "function %q not found", function)
		case "Http":
			return nil, emulator.Errorf(emulator.EINVALID, "replay an HTTP invocation by sending its request to its URL")
		case "Fails":
			inv := &emulator.Invocation{ID: "inv-2", Status: emulator.StatusFailed, Error: "boom"}
			return &emulator.Result{Invocation: inv}, errors.New("boom")
		}
		return &emulator.Result{Invocation: &emulator.Invocation{ID: "inv-1", Status: emulator.StatusSucceeded}}, nil
	}
	h := New(Options{App: func() *emulator.App { return &emulator.App{} }, Replay: replay})
	tests := []struct {
		name       string
		body       string
		wantStatus int
		wantBody   string
	}{
		{"queue message", `{"function":"Work","input":{"queue":{"queue":"jobs","id":"m1","body":"aGk=","dequeueCount":1,"insertionTime":"2026-01-01T00:00:00Z","expirationTime":"2026-01-08T00:00:00Z"}},"dryRun":true}`,
			http.StatusOK, `"id":"inv-1","status":"succeeded"`},
		{"failed invocation is still an answer", `{"function":"Fails","input":{"manual":{"input":"x"}}}`, http.StatusOK, `"status":"failed","error":"boom"`},
		{"unknown function", `{"function":"Missing","input":{"manual":{"input":""}}}`, http.StatusNotFound, `function "Missing" not found`},
		{"input that cannot be replayed", `{"function":"Http","input":{"http":{"method":"GET","url":"/api/x"}}}`, http.StatusUnprocessableEntity, "sending its request"},
		{"no input", `{"function":"Work"}`, http.StatusBadRequest, "the body must be"},
		{"not JSON", `{`, http.StatusBadRequest, "the body must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/admin/funcemu/replay", strings.NewReader(tt.body)))
			if w.Code != tt.wantStatus || !strings.Contains(w.Body.String(), tt.wantBody) {
				t.Fatalf("got %d %q, want %d with %q", w.Code, w.Body.String(), tt.wantStatus, tt.wantBody)
			}
		})
	}
	// The four well-formed bodies reached the replayer, the first one whole;
	// the malformed ones did not.
	if len(calls) != 4 {
		t.Fatalf("replayer called %d times, want 4", len(calls))
	}
	if c := calls[0]; c.Function != "Work" || !c.DryRun || c.Input.Queue == nil || c.Input.Queue.Body != "aGk=" || c.Input.Queue.DequeueCount != 1 {
		t.Fatalf("first call = %+v (queue %+v)", c, c.Input.Queue)
	}
}
