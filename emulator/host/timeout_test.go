package host

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

func TestFunctionTimeoutFailsAndRecyclesHandler(t *testing.T) {
	app := httpApp()
	app.Host.FunctionTimeout = 5 * time.Second
	arrived := make(chan struct{})
	h, w, _, clock := newTestHost(t, app, func(rw http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // so the server notices the caller leaving
		close(arrived)
		<-r.Context().Done() // a handler that never answers
	}, nil)
	type outcome struct {
		res *emulator.Result
		err error
	}
	done := make(chan outcome)
	go func() {
		res, err := h.Invoke(context.Background(), emulator.InvokeRequest{Function: "Order", Trigger: emulator.TriggerHTTP})
		done <- outcome{res, err}
	}()
	<-arrived
	clock.Advance(5 * time.Second)
	o := <-done
	if emulator.ErrorCode(o.err) != emulator.ETIMEOUT {
		t.Fatalf("error %v, want a timeout", o.err)
	}
	want := "Timeout value of 00:00:05 exceeded by function 'Functions.Order' (Id: '" + o.res.Invocation.ID + "')."
	if !strings.HasPrefix(o.err.Error(), want) {
		t.Fatalf("error %q, want it to start %q", o.err, want)
	}
	if w.recycled.Load() != 1 || w.released.Load() != 1 {
		t.Fatalf("recycled %d, released %d; want 1 and 1", w.recycled.Load(), w.released.Load())
	}
	if o.res.Invocation.Status != emulator.StatusFailed || o.res.HTTP != nil {
		t.Fatalf("invocation %+v, response %+v", o.res.Invocation, o.res.HTTP)
	}
}

func TestRetryWaitsOnTheClock(t *testing.T) {
	app := httpApp()
	app.Host.Retry = &emulator.RetryPolicy{Strategy: "fixedDelay", MaxRetryCount: 1, DelayInterval: time.Minute}
	calls := make(chan struct{}, 2)
	h, _, _, clock := newTestHost(t, app, func(rw http.ResponseWriter, r *http.Request) {
		calls <- struct{}{}
		rw.WriteHeader(500)
	}, nil)
	done := make(chan error)
	go func() {
		_, err := h.Invoke(context.Background(), emulator.InvokeRequest{Function: "Order", Trigger: emulator.TriggerQueue})
		done <- err
	}()
	<-calls
	waitTimer(t, clock) // the retry delay (no functionTimeout here)
	select {
	case <-calls:
		t.Fatal("retried before the delay passed")
	default:
	}
	clock.Advance(time.Minute)
	<-calls
	if err := <-done; err == nil {
		t.Fatal("invocation succeeded; the handler always fails")
	}
}

func TestInvokeUnknownFunction(t *testing.T) {
	h, _, _, _ := newTestHost(t, httpApp(), func(http.ResponseWriter, *http.Request) {}, nil)
	_, err := h.Invoke(context.Background(), emulator.InvokeRequest{Function: "Nope"})
	if emulator.ErrorCode(err) != emulator.ENOTFOUND {
		t.Fatalf("error %v, want not found", err)
	}
}

func TestNextDelay(t *testing.T) {
	fixed := &emulator.RetryPolicy{Strategy: "fixedDelay", DelayInterval: 3 * time.Second}
	exp := &emulator.RetryPolicy{Strategy: "exponentialBackoff", MinimumInterval: time.Second, MaximumInterval: 10 * time.Second}
	tests := []struct {
		p        *emulator.RetryPolicy
		attempt  int
		min, max time.Duration
	}{
		{fixed, 1, 3 * time.Second, 3 * time.Second},
		{fixed, 5, 3 * time.Second, 3 * time.Second},
		{exp, 1, time.Second, 1200 * time.Millisecond},
		{exp, 3, 4 * time.Second, 4800 * time.Millisecond},
		{exp, 10, 10 * time.Second, 10 * time.Second},
	}
	for _, tc := range tests {
		if d := nextDelay(tc.p, tc.attempt); d < tc.min || d > tc.max {
			t.Errorf("%s attempt %d: delay %s, want within [%s, %s]", tc.p.Strategy, tc.attempt, d, tc.min, tc.max)
		}
	}
}

func TestFormatTimeSpan(t *testing.T) {
	tests := map[time.Duration]string{
		0:                       "00:00:00",
		5 * time.Second:         "00:00:05",
		90 * time.Minute:        "01:30:00",
		1500 * time.Millisecond: "00:00:01.5000000",
	}
	for d, want := range tests {
		if got := formatTimeSpan(d); got != want {
			t.Errorf("formatTimeSpan(%s) = %q, want %q", d, got, want)
		}
	}
}
