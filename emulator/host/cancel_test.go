package host

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

// TestCanceledInvocationIsNotFailed cancels an invocation while the
// handler works on it, as Ctrl-C does: it is recorded as canceled.
func TestCanceledInvocationIsNotFailed(t *testing.T) {
	arrived := make(chan struct{})
	h, _, events, _ := newTestHost(t, httpApp(), func(rw http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		close(arrived)
		<-r.Context().Done()
	}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan *emulator.Result)
	go func() {
		res, _ := h.Invoke(ctx, emulator.InvokeRequest{Function: "Order", Trigger: emulator.TriggerQueue})
		done <- res
	}()
	<-arrived
	cancel()
	res := <-done
	if res.Invocation.Status != emulator.StatusCanceled {
		t.Fatalf("status %s, want canceled (error %q)", res.Invocation.Status, res.Invocation.Error)
	}
	for e := range events {
		if e.Kind == emulator.EventInvocationFinished {
			if e.Invocation.Status != emulator.StatusCanceled {
				t.Fatalf("published status %s, want canceled", e.Invocation.Status)
			}
			return
		}
	}
}
