package host

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// Invoke runs req's function on the handler, retrying by the function's
// (or host.json's) retry policy. Each attempt is a new invocation with a
// new id. The error is non-nil when the last attempt failed; the Result
// is returned either way once an attempt ran.
func (h *Host) Invoke(ctx context.Context, req emulator.InvokeRequest) (*emulator.Result, error) {
	if req.DryRun {
		ctx = emulator.WithDryRun(ctx)
	}
	app := h.App()
	fn := app.Function(req.Function)
	if fn == nil {
		return nil, emulator.Errorf(emulator.ENOTFOUND, "function %q not found", req.Function)
	}
	if req.Trigger == emulator.TriggerManual && Forwarded(app, fn) {
		return h.invokeForwarded(ctx, app, fn, req)
	}
	policy := fn.Retry
	if policy == nil {
		policy = app.Host.Retry
	}
	if policy != nil {
		h.warnRetrySupport(fn)
	}
	var lastErr error
	for attempt := 0; ; attempt++ {
		var rc *retryContext
		if policy != nil {
			rc = &retryContext{RetryCount: attempt, MaxRetryCount: policy.MaxRetryCount}
			if lastErr != nil {
				rc.Exception = &retryException{Message: lastErr.Error()}
			}
		}
		res, err := h.attempt(ctx, app, fn, req, attempt, rc)
		if err == nil || policy == nil || ctx.Err() != nil {
			return res, err
		}
		lastErr = err
		if policy.MaxRetryCount >= 0 && attempt >= policy.MaxRetryCount {
			if attempt > 0 {
				h.log(emulator.LevelError, emulator.CategoryHost, fn.Name, res.Invocation.ID,
					fmt.Sprintf("All retries have been exhausted for function 'Functions.%s'.", fn.Name))
			}
			return res, err
		}
		delay := nextDelay(policy, attempt+1)
		h.log(emulator.LevelInfo, emulator.CategoryHost, fn.Name, res.Invocation.ID, fmt.Sprintf(
			"Waiting for `%s` before retrying function execution. Next attempt: '%d'. Max retry count: '%d'",
			formatTimeSpan(delay), attempt+1, policy.MaxRetryCount))
		if err := h.sleep(ctx, delay); err != nil {
			return res, err
		}
	}
}

// sleep waits d on the host's clock, or until ctx ends.
func (h *Host) sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	done := make(chan struct{})
	t := h.opts.Clock.AfterFunc(d, func() { close(done) })
	defer t.Stop()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// warnRetrySupport logs once per function the real host's warning that
// retry policies are supported for timer triggers only; funcemu, like the
// host's code, still retries every trigger kind.
func (h *Host) warnRetrySupport(fn *emulator.Function) {
	tr := fn.Trigger()
	if tr == nil || tr.Kind() == emulator.BindingTimerTrigger {
		return
	}
	if _, seen := h.retryWarned.LoadOrStore(strings.ToLower(fn.Name), true); seen {
		return
	}
	h.log(emulator.LevelWarning, emulator.CategoryHost, fn.Name, "", fmt.Sprintf(
		"Soon retries will not be supported for function 'Functions.%s'. For more information, please visit http://aka.ms/func-retry-policies.", fn.Name))
}
