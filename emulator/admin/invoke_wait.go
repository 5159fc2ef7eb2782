package admin

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// InvocationIDHeader names the invocation an admin invoke started.
const InvocationIDHeader = "X-Funcemu-Invocation-Id"

// InvokeOutcome is the body of POST /admin/funcemu/invoke/{name}.
type InvokeOutcome struct {
	ID     string                    `json:"id"`     // the first attempt
	LastID string                    `json:"lastId"` // the last attempt, after retries
	Status emulator.InvocationStatus `json:"status"`
	Error  string                    `json:"error,omitempty"`
}

// invokeAndWait runs a function as POST /admin/functions/{name} does, but
// answers 200 with the id header at once and the outcome as the body once
// the invocation (retries included) has finished.
func (h *Handler) invokeAndWait(w http.ResponseWriter, r *http.Request) {
	a := h.opts.App()
	fn := a.Function(r.PathValue("name"))
	if fn == nil {
		http.Error(w, "no function "+r.PathValue("name"), http.StatusNotFound)
		return
	}
	var body invocation
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 100<<20)).Decode(&body); err != nil || body.Input == nil {
		http.Error(w, `the body must be {"input": "..."}`, http.StatusBadRequest)
		return
	}
	req := ManualRequest(a, fn, *body.Input, strings.TrimSuffix(h.opts.BaseURL(), "/"))
	id := emulator.NewGUID()
	w.Header().Set(InvocationIDHeader, id)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	if f, ok := w.(http.Flusher); ok {
		f.Flush() // the caller learns the id before the run ends
	}
	// The run is not tied to this request: a caller that stops waiting
	// does not cancel it.
	res, err := h.opts.Invoker.Invoke(emulator.WithInvocationID(h.opts.Context, id), req)
	if h.opts.Done != nil {
		h.opts.Done(res, err)
	}
	out := InvokeOutcome{ID: id, LastID: id, Status: emulator.StatusFailed}
	if res != nil && res.Invocation != nil {
		out.LastID, out.Status, out.Error = res.Invocation.ID, res.Invocation.Status, res.Invocation.Error
	}
	if err != nil && out.Error == "" {
		out.Error = err.Error()
	}
	json.NewEncoder(w).Encode(out)
}
