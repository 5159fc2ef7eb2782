package admin

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// invocation is the FunctionInvocation model, {"input": "..."}.
type invocation struct {
	Input *string `json:"input"`
}

// invoke answers 202 and runs the function in the background with the
// input bound to its trigger, tracked by Options.Background.
func (h *Handler) invoke(w http.ResponseWriter, r *http.Request) {
	a := h.opts.App()
	fn := a.Function(r.PathValue("name"))
	if fn == nil {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	var body invocation
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 100<<20)).Decode(&body); err != nil || body.Input == nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	req := ManualRequest(a, fn, *body.Input, strings.TrimSuffix(h.opts.BaseURL(), "/"))
	id := emulator.NewGUID()
	started := h.opts.Background.Go(func() {
		res, err := h.opts.Invoker.Invoke(emulator.WithInvocationID(h.opts.Context, id), req)
		if h.opts.Done != nil {
			h.opts.Done(res, err)
		}
	})
	if !started { // shutting down, as the host answers while it drains
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	// Azure answers an empty 202; the id header is funcemu's addition, so
	// funcemu invoke can name the run.
	w.Header().Set(InvocationIDHeader, id)
	w.WriteHeader(http.StatusAccepted)
}

// ManualRequest binds input to fn's trigger the way JobHost.CallAsync
// converts a string: a timer gets a TimerInfo, an HTTP trigger a POST
// request with input as its body, any other trigger the string itself;
// base is the app's URL, without a trailing slash, that the request names.
func ManualRequest(a *emulator.App, fn *emulator.Function, input, base string) emulator.InvokeRequest {
	req := emulator.InvokeRequest{
		Function: fn.Name,
		Trigger:  emulator.TriggerManual,
		Reason:   Reason,
		Data:     map[string]any{},
		Metadata: map[string]any{},
		Input:    &emulator.Input{Manual: &emulator.ManualInput{Input: input}},
	}
	tr := fn.Trigger()
	if tr == nil {
		return req
	}
	switch tr.Kind() {
	case emulator.BindingTimerTrigger:
		req.Data[tr.Name] = json.RawMessage(`{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}`)
	case emulator.BindingHTTPTrigger:
		r := tr.Route
		if r == "" {
			r = fn.Name
		}
		path := "/" + strings.TrimPrefix(r, "/")
		if a.Host.RoutePrefix != "" {
			path = "/" + strings.Trim(a.Host.RoutePrefix, "/") + path
		}
		obj := map[string]any{
			"Url": base + path, "Method": "POST", "Query": map[string]string{},
			"Headers": map[string][]string{}, "Params": map[string]string{},
		}
		if input != "" {
			obj["Body"] = input
		}
		raw, _ := json.Marshal(obj)
		req.Data[tr.Name] = json.RawMessage(raw)
	default:
		req.Data[tr.Name] = input
	}
	return req
}
