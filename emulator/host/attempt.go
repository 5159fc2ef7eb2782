package host

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"

	"github.com/funcemu/funcemu/emulator"
)

// maxResponseBody bounds the handler's answer read into memory.
const maxResponseBody = 256 << 20

// journalBodyLimit bounds the response body recorded on an invocation.
const journalBodyLimit = 1 << 20

// attempt runs one invocation in default mode.
func (h *Host) attempt(ctx context.Context, app *emulator.App, fn *emulator.Function, req emulator.InvokeRequest, retryCount int, rc *retryContext) (*emulator.Result, error) {
	id := ""
	if retryCount == 0 {
		id = emulator.InvocationIDFrom(ctx)
	}
	inv := h.begin(fn, id, req.Trigger, req.Reason, req.ParentID, retryCount, req.Input)
	res := &emulator.Result{Invocation: inv}
	ctx, timer := h.withTimeout(ctx, app, fn, inv)
	defer timer.stop()

	err := h.run(ctx, fn, req, inv, rc, res, timer)
	if err == nil && h.opts.Outputs != nil && len(res.Outputs) > 0 {
		var written []emulator.Output
		written, err = h.opts.Outputs(ctx, fn, inv, res.Outputs)
		inv.Outputs = append(inv.Outputs, written...)
	}
	if res.HTTP != nil && err == nil {
		inv.Outputs = append(inv.Outputs, emulator.Output{Binding: httpBindingName(fn), HTTP: journalResponse(res.HTTP)})
	}
	if err != nil && req.Trigger == emulator.TriggerHTTP {
		res.HTTP = nil
		inv.Outputs = append(inv.Outputs, emulator.Output{Binding: httpBindingName(fn),
			HTTP: &emulator.HTTPResponse{Status: http.StatusInternalServerError}})
	}
	h.finish(inv, err)
	return res, err
}

// run sends the envelope to the handler and reads its answer into res.
func (h *Host) run(ctx context.Context, fn *emulator.Function, req emulator.InvokeRequest, inv *emulator.Invocation, rc *retryContext, res *emulator.Result, timer *timeout) error {
	lease, err := h.opts.Worker.Acquire(ctx)
	if err != nil {
		return timer.explain(fmt.Errorf("handler not available: %w", err))
	}
	defer lease.Release()
	if h.opts.Inputs != nil {
		req.Data = cloneData(req.Data) // each attempt reads its inputs afresh
		if err := h.opts.Inputs(ctx, fn, &req); err != nil {
			return fmt.Errorf("read input bindings: %w", err)
		}
	}
	body, err := h.envelope(fn, req, inv, rc)
	if err != nil {
		return err
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, lease.URL()+"/"+fn.Name, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("build the handler request: %w", err)
	}
	hreq.Header["Content-Type"] = []string{"application/json; charset=utf-8"}
	h.setHostHeaders(hreq.Header, inv.ID)

	inv.Exchange = emulator.NewExchange("POST /"+fn.Name, body)
	resp, err := lease.Transport().RoundTrip(hreq)
	if err != nil {
		return h.failed(timer, lease, inv, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
	inv.Exchange.SetResponse(resp.StatusCode, data)
	if err != nil {
		return h.failed(timer, lease, inv, err)
	}
	if err := checkResponse(resp.StatusCode, resp.Header.Get("Content-Type")); err != nil {
		return err
	}
	r, outs, err := parseResponse(data)
	if err != nil {
		return err
	}
	for _, l := range r.Logs {
		h.log(emulator.LevelInfo, emulator.CategoryFunction, fn.Name, inv.ID, logText(l))
	}
	values, hr, err := h.outputs(fn, r, outs)
	if err != nil {
		return err
	}
	res.Outputs, res.HTTP = values, hr
	if !isNull(r.ReturnValue) {
		res.ReturnValue = r.ReturnValue
	}
	return nil
}

func cloneData(m map[string]any) map[string]any {
	c := make(map[string]any, len(m)+2)
	for k, v := range m {
		c[k] = v
	}
	return c
}

// setHostHeaders adds the headers the real host sends to the handler.
func (h *Host) setHostHeaders(hdr http.Header, invocationID string) {
	hdr["X-Azure-Functions-Hostversion"] = []string{h.opts.Version}
	hdr["X-Azure-Functions-Invocationid"] = []string{invocationID}
	ua := "Azure-Functions-Host/" + h.opts.Version
	if prev := hdr.Get("User-Agent"); prev != "" {
		ua = prev + " " + ua
	}
	hdr["User-Agent"] = []string{ua}
}

// failed explains a transport error, recycling the handler when the
// function timed out.
func (h *Host) failed(timer *timeout, lease Lease, inv *emulator.Invocation, err error) error {
	if timer.fired.Load() {
		lease.Recycle(fmt.Sprintf("A function timeout has occurred. Restarting worker process executing invocationId '%s'.", inv.ID))
	}
	return timer.explain(fmt.Errorf("call the handler: %w", err))
}

// begin starts an invocation and publishes it.
// id is the invocation id, or "" for a new one.
func (h *Host) begin(fn *emulator.Function, id, trigger, reason, parent string, retryCount int, input *emulator.Input) *emulator.Invocation {
	if id == "" {
		id = emulator.NewGUID()
	}
	inv := &emulator.Invocation{
		ID:         id,
		Function:   fn.Name,
		Trigger:    trigger,
		Reason:     reason,
		ParentID:   parent,
		RetryCount: retryCount,
		Start:      h.opts.Clock.Now(),
		Status:     emulator.StatusRunning,
		Input:      input,
	}
	h.publishInvocation(emulator.EventInvocationStarted, inv)
	return inv
}

// finish ends an invocation and publishes it. One cut off by its
// caller's cancellation (funcemu stopping, the HTTP client leaving) is
// canceled, not failed: the function did not fail, and its trigger runs
// it again. functionTimeout's cancellation reads as ETIMEOUT, a failure.
func (h *Host) finish(inv *emulator.Invocation, err error) {
	inv.End = h.opts.Clock.Now()
	inv.Status = emulator.StatusSucceeded
	if err != nil {
		inv.Status = emulator.StatusFailed
		if errors.Is(err, context.Canceled) {
			inv.Status = emulator.StatusCanceled
		}
		inv.Error = err.Error()
	}
	h.publishInvocation(emulator.EventInvocationFinished, inv)
}

// timeout enforces functionTimeout on the host's clock.
type timeout struct {
	fired   atomic.Bool
	message string
	t       emulator.Timer
	cancel  context.CancelFunc
}

func (h *Host) withTimeout(ctx context.Context, app *emulator.App, fn *emulator.Function, inv *emulator.Invocation) (context.Context, *timeout) {
	ctx, cancel := context.WithCancel(ctx)
	to := &timeout{cancel: cancel, message: fmt.Sprintf("Timeout value of %s exceeded by function 'Functions.%s' (Id: '%s'). Initiating cancellation.",
		formatTimeSpan(app.Host.FunctionTimeout), fn.Name, inv.ID)}
	if d := app.Host.FunctionTimeout; d > 0 {
		to.t = h.opts.Clock.AfterFunc(d, func() {
			to.fired.Store(true)
			cancel()
		})
	}
	return ctx, to
}

func (t *timeout) stop() {
	if t.t != nil {
		t.t.Stop()
	}
	t.cancel()
}

// explain replaces a cancellation caused by the timeout with the host's
// timeout message.
func (t *timeout) explain(err error) error {
	if t.fired.Load() && errors.Is(err, context.Canceled) {
		return emulator.Errorf(emulator.ETIMEOUT, "%s", t.message)
	}
	return err
}

// httpBindingName is the name of fn's http output binding.
func httpBindingName(fn *emulator.Function) string {
	for _, b := range fn.Outputs() {
		if b.Kind() == emulator.BindingHTTP {
			return b.Name
		}
	}
	return "$return"
}

// journalResponse copies r with its body cut to the journal's limit.
func journalResponse(r *emulator.HTTPResponse) *emulator.HTTPResponse {
	c := *r
	if len(c.Body) > journalBodyLimit {
		c.Body = c.Body[:journalBodyLimit]
	}
	return &c
}
