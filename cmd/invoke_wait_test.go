package cmd

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/admin"
)

// outcomes answers invocations of "ok" as succeeded and of anything else
// as failed with a two-line error, recording each input.
type outcomes struct {
	mu     sync.Mutex
	inputs []string
}

func (o *outcomes) Invoke(ctx context.Context, req emulator.InvokeRequest) (*emulator.Result, error) {
	o.mu.Lock()
	b, _ := json.Marshal(req.Data)
	o.inputs = append(o.inputs, string(b))
	o.mu.Unlock()
	inv := &emulator.Invocation{ID: emulator.InvocationIDFrom(ctx), Function: req.Function, Status: emulator.StatusSucceeded}
	if req.Function != "ok" {
		inv.Status, inv.Error = emulator.StatusFailed, "line one\nline two"
	}
	return &emulator.Result{Invocation: inv}, nil
}

// TestInvokeWaitCommand runs funcemu invoke --wait in-process against the
// admin API and checks what it prints and its exit code, as Main returns it.
func TestInvokeWaitCommand(t *testing.T) {
	t.Parallel()
	queue := []*emulator.Binding{{Type: "queueTrigger", Direction: "in", Name: "msg"}}
	a := &emulator.App{Functions: []*emulator.Function{{Name: "ok", Bindings: queue}, {Name: "bad", Bindings: queue}}}
	inv := &outcomes{}
	dir, _ := serveKeyedAdmin(t, admin.Options{App: func() *emulator.App { return a }, Invoker: inv})

	code, out, stderr := runExit(t, "invoke", "ok", "--data-dir", dir, "--wait")
	if code != 0 || !strings.HasPrefix(out, "invoked ok: invocation ") || !strings.HasSuffix(out, ", waiting for it to finish\nSucceeded\n") || stderr != "" {
		t.Errorf("--wait on success: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	code, out, _ = runExit(t, "invoke", "bad", "--data-dir", dir, "--wait")
	if code != 1 || !strings.HasSuffix(out, "\nFailed: line one\n  line two\n") {
		t.Errorf("--wait on failure: exit %d, stdout %q", code, out)
	}
	code, out, _ = runExit(t, "invoke", "bad", "--data-dir", dir, "--wait", "--json")
	var res invokeResult
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 1 || res.Function != "bad" || res.Status != emulator.StatusFailed ||
		res.ID == "" || res.Error != "line one\nline two" {
		t.Errorf("--wait --json on failure: exit %d, %q (%v)", code, out, err)
	}
	code, out, stderr = runExit(t, "invoke", "nope", "--data-dir", dir, "--wait")
	if code != 1 || out != "" || !strings.HasPrefix(stderr, "funcemu: invoke: funcemu at http://127.0.0.1:") ||
		!strings.HasSuffix(stderr, ` has no function "nope"`+"\n") {
		t.Errorf("--wait on an unknown function: exit %d, stdout %q, stderr %q", code, out, stderr)
	}

	f, streams := newTestFactory(t, "from stdin")
	if code := run(context.Background(), f, []string{"invoke", "ok", "--data-dir", dir, "--input-file", "-", "--wait"}); code != 0 {
		t.Fatalf("--input-file -: exit %d, %s", code, streams.err)
	}
	inv.mu.Lock()
	last := inv.inputs[len(inv.inputs)-1]
	inv.mu.Unlock()
	if !strings.Contains(last, "from stdin") {
		t.Errorf("the input read from stdin reached the handler as %s", last)
	}
}

// TestMainExitCodes runs the command line as Main does: an error is
// printed on stderr after "funcemu:" and exits 1.
func TestMainExitCodes(t *testing.T) {
	t.Parallel()
	code, out, stderr := runExit(t, "nonsense")
	if code != 1 || out != "" || !strings.HasPrefix(stderr, `funcemu: unknown command "nonsense"`) {
		t.Errorf("unknown command: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	code, out, _ = runExit(t, "version")
	if code != 0 || !strings.HasPrefix(out, "funcemu ") {
		t.Errorf("version: exit %d, stdout %q", code, out)
	}
}
