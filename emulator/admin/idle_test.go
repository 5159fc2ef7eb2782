package admin

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// instantClock fires every AfterFunc at once.
type instantClock struct{ emulator.SystemClock }

func (instantClock) AfterFunc(_ time.Duration, f func()) emulator.Timer {
	go f()
	return stopped{}
}

type stopped struct{}

func (stopped) Stop() bool { return false }

func invocationEvent(kind emulator.EventKind, id string, status emulator.InvocationStatus) emulator.Event {
	return emulator.Event{Kind: kind, Invocation: &emulator.Invocation{ID: id, Status: status}}
}

func TestIdleWaitsForRunningInvocations(t *testing.T) {
	idle := NewIdle(instantClock{})
	if err := idle.Wait(context.Background()); err != nil {
		t.Fatalf("nothing ran, Wait = %v", err)
	}
	idle.Observe(invocationEvent(emulator.EventInvocationStarted, "a", emulator.StatusRunning))
	idle.Observe(invocationEvent(emulator.EventInvocationStarted, "b", emulator.StatusRunning))
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if err := idle.Wait(cancelled); !errors.Is(err, context.Canceled) {
		t.Fatalf("two running, Wait = %v, want it to wait until cancelled", err)
	}
	done := make(chan error, 1)
	go func() { done <- idle.Wait(context.Background()) }()
	idle.Observe(invocationEvent(emulator.EventInvocationFinished, "a", emulator.StatusSucceeded))
	idle.Observe(emulator.Event{Kind: emulator.EventLog, Log: &emulator.LogEntry{}})
	idle.Observe(invocationEvent(emulator.EventInvocationFinished, "b", emulator.StatusFailed))
	if err := <-done; err != nil {
		t.Fatalf("Wait = %v after both finished", err)
	}
	if finished, failed := idle.Counts(); finished != 2 || failed != 1 {
		t.Fatalf("Counts = %d, %d; want 2, 1", finished, failed)
	}
}

func TestIdleAsksCheckUntilItAgrees(t *testing.T) {
	idle := NewIdle(instantClock{})
	var calls atomic.Int32
	idle.Check = func(context.Context) (bool, error) { return calls.Add(1) >= 3, nil }
	if err := idle.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 3 {
		t.Fatalf("Check called %d times, want 3", calls.Load())
	}
	boom := errors.New("boom")
	idle.Check = func(context.Context) (bool, error) { return false, boom }
	if err := idle.Wait(context.Background()); !errors.Is(err, boom) {
		t.Fatalf("Wait = %v, want Check's error", err)
	}
}

func TestIdleEndpoint(t *testing.T) {
	idle := NewIdle(instantClock{})
	h := New(Options{App: func() *emulator.App { return &emulator.App{} }, Idle: idle})
	get := func(query string) (int, idleStatus) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/admin/funcemu/idle"+query, nil))
		var st idleStatus
		if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil {
			t.Fatalf("body %q: %v", rec.Body, err)
		}
		return rec.Code, st
	}
	if code, st := get(""); code != http.StatusOK || !st.Idle {
		t.Fatalf("idle: %d %+v", code, st)
	}
	idle.Observe(invocationEvent(emulator.EventInvocationStarted, "a", emulator.StatusRunning))
	if code, st := get("?timeout=0s"); code != http.StatusRequestTimeout || st.Idle || st.Running != 1 {
		t.Fatalf("busy: %d %+v", code, st)
	}
	if code, st := get("?timeout=soon"); code != http.StatusBadRequest || st.Error == "" {
		t.Fatalf("bad timeout: %d %+v", code, st)
	}
}
