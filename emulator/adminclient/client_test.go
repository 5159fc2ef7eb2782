package adminclient

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/admin"
	"github.com/funcemu/funcemu/emulator/clock"
	"github.com/funcemu/funcemu/emulator/keys"
)

const masterKey = "the-master-key"

// keyAuth allows requests that carry the master key.
type keyAuth struct{}

func (keyAuth) Allows(r *http.Request, _, _ string) bool {
	return r.Header.Get(keys.Header) == masterKey
}

// invoker runs every invocation at once and records its input.
type invoker struct {
	mu     sync.Mutex
	inputs []string
	status emulator.InvocationStatus
}

func (i *invoker) Invoke(ctx context.Context, req emulator.InvokeRequest) (*emulator.Result, error) {
	i.mu.Lock()
	defer i.mu.Unlock()
	b, _ := json.Marshal(req.Data)
	i.inputs = append(i.inputs, string(b))
	id := emulator.InvocationIDFrom(ctx)
	return &emulator.Result{Invocation: &emulator.Invocation{ID: id, Status: i.status, Error: "boom"}}, nil
}

func (i *invoker) calls() int {
	i.mu.Lock()
	defer i.mu.Unlock()
	return len(i.inputs)
}

// serveAdmin serves the real admin API, behind its guard with keys on, on
// an app with one timer function, Tick.
func serveAdmin(t *testing.T, opts admin.Options) (*httptest.Server, *invoker) {
	t.Helper()
	inv := &invoker{status: emulator.StatusSucceeded}
	a := &emulator.App{Functions: []*emulator.Function{{Name: "Tick", Bindings: []*emulator.Binding{{Type: "timerTrigger", Direction: "in", Name: "t"}}}}}
	var srv *httptest.Server
	opts.App = func() *emulator.App { return a }
	opts.Invoker = inv
	opts.BaseURL = func() string { return srv.URL }
	srv = httptest.NewServer(admin.Guard(admin.New(opts), admin.GuardOptions{Address: "127.0.0.1", Keys: keyAuth{}}))
	t.Cleanup(srv.Close)
	return srv, inv
}

func TestInvokePassesTheGuardWithTheMasterKey(t *testing.T) {
	t.Parallel()
	srv, inv := serveAdmin(t, admin.Options{})
	id, err := New(srv.URL+"/", masterKey, srv.Client()).Invoke(context.Background(), "Tick", "now")
	if err != nil || id == "" {
		t.Fatalf("Invoke = %q, %v; want an invocation id", id, err)
	}
	_, err = New(srv.URL, "wrong", srv.Client()).Invoke(context.Background(), "Tick", "")
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusUnauthorized || !strings.Contains(err.Error(), "POST /admin/functions/Tick answered 401") {
		t.Fatalf("a wrong key: %v, want a StatusError naming the call and 401", err)
	}
	_, err = New(srv.URL, masterKey, srv.Client()).Invoke(context.Background(), "Nope", "")
	var nf *NoFunctionError
	if !errors.As(err, &nf) || err.Error() != `funcemu at `+srv.URL+` has no function "Nope"` {
		t.Fatalf("an unknown function: %v", err)
	}
	deadline := time.Now().Add(time.Minute) // Invoke answers before the background run
	for inv.calls() != 1 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := inv.calls(); n != 1 {
		t.Fatalf("%d invocations ran, want only the keyed one", n)
	}
}

func TestStartInvokeWaitsForTheOutcome(t *testing.T) {
	t.Parallel()
	srv, inv := serveAdmin(t, admin.Options{})
	inv.status = emulator.StatusFailed
	running, err := New(srv.URL, masterKey, srv.Client()).StartInvoke(context.Background(), "Tick", "")
	if err != nil {
		t.Fatal(err)
	}
	out, err := running.Wait()
	if err != nil || out.ID != running.ID || out.Status != emulator.StatusFailed || out.Error != "boom" {
		t.Fatalf("outcome %+v, %v; want failed with boom for %s", out, err, running.ID)
	}
	if _, err := New(srv.URL, masterKey, srv.Client()).StartInvoke(context.Background(), "Nope", ""); !errors.As(err, new(*NoFunctionError)) {
		t.Fatalf("an unknown function: %v", err)
	}
}

func TestWaitNamesTheInvocationWhenFuncemuStops(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(admin.InvocationIDHeader, "inv-1")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, `{"id":`) // funcemu stopped mid-answer
	}))
	t.Cleanup(srv.Close)
	running, err := New(srv.URL, "", srv.Client()).StartInvoke(context.Background(), "Tick", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := running.Wait(); err == nil || !strings.Contains(err.Error(), "stopped before the invocation inv-1 finished") {
		t.Fatalf("Wait = %v", err)
	}
}

func TestClockMoves(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	srv, _ := serveAdmin(t, admin.Options{ClockMover: clock.NewVirtual(start)})
	c := New(srv.URL, masterKey, srv.Client())
	st, err := c.AdvanceClock(context.Background(), "1h")
	if err != nil || !st.Now.Equal(start.Add(time.Hour)) {
		t.Fatalf("AdvanceClock = %+v, %v", st, err)
	}
	st, err = c.SetClock(context.Background(), "2026-03-02T00:00:00Z")
	if err != nil || !st.Now.Equal(start.Add(24*time.Hour)) {
		t.Fatalf("SetClock = %+v, %v", st, err)
	}
	_, err = c.SetClock(context.Background(), "2026-03-01T00:00:00Z")
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusConflict || !strings.Contains(err.Error(), "only moves forward") {
		t.Fatalf("moving back: %v, want a 409 naming why", err)
	}

	system, _ := serveAdmin(t, admin.Options{})
	_, err = New(system.URL, masterKey, system.Client()).AdvanceClock(context.Background(), "1h")
	if !errors.As(err, new(*SystemClockError)) || !strings.Contains(err.Error(), "--clock virtual") {
		t.Fatalf("on the system clock: %v", err)
	}
}

func TestReplayAndSendHTTP(t *testing.T) {
	t.Parallel()
	var got *http.Request
	var gotBody string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got, gotBody = r, string(b)
		if r.URL.Path == "/admin/funcemu/replay" {
			if r.Header.Get(admin.ClientHeader) != "cli" {
				http.Error(w, "not funcemu's own call", http.StatusForbidden)
				return
			}
			json.NewEncoder(w).Encode(admin.ReplayResponse{ID: "again", Status: emulator.StatusSucceeded})
			return
		}
		w.WriteHeader(http.StatusTeapot)
		io.WriteString(w, "short and stout")
	}))
	t.Cleanup(srv.Close)
	c := New(srv.URL, masterKey, srv.Client())

	res, err := c.Replay(context.Background(), admin.ReplayRequest{Function: "Tick", Input: &emulator.Input{Manual: &emulator.ManualInput{Input: "x"}}, DryRun: true})
	if err != nil || res.ID != "again" || !strings.Contains(gotBody, `"dryRun":true`) || got.Header.Get(keys.Header) != masterKey {
		t.Fatalf("Replay = %+v, %v; sent %s", res, err, gotBody)
	}

	resp, err := c.SendHTTP(context.Background(), &emulator.HTTPRequest{Method: "POST", URL: "/api/brew?x=1",
		Headers: map[string][]string{"Content-Length": {"99"}, "X-Kind": {"earl grey"}}, Body: []byte("hot")}, true)
	if err != nil || resp.Status != http.StatusTeapot || string(resp.Body) != "short and stout" {
		t.Fatalf("SendHTTP = %+v, %v", resp, err)
	}
	if got.URL.String() != "/api/brew?x=1" || gotBody != "hot" || got.Header.Get("X-Kind") != "earl grey" ||
		got.ContentLength != 3 || got.Header.Get(keys.Header) != masterKey || got.Header.Get("X-Funcemu-Dry-Run") == "" {
		t.Fatalf("sent %s %s %q with %v", got.Method, got.URL, gotBody, got.Header)
	}
}

func TestUnreachableNamesTheAddress(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	_, err := New(base, "", nil).Invoke(context.Background(), "Tick", "")
	var ue *UnreachableError
	if !errors.As(err, &ue) || !strings.HasPrefix(err.Error(), "no funcemu answers at "+base+": ") {
		t.Fatalf("Invoke on a stopped funcemu: %v", err)
	}
}

func TestReadInstance(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := ReadInstance(dir); err == nil || !strings.Contains(err.Error(), "no running funcemu found") {
		t.Fatalf("no instance file: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, InstanceFile), []byte(`{"blob":"x"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadInstance(dir); err == nil || !strings.Contains(err.Error(), "not a funcemu instance file") {
		t.Fatalf("an instance file without http: %v", err)
	}
	if err := os.WriteFile(InstancePath(dir), []byte(`{"http":"http://127.0.0.1:7071","pid":42}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if e, err := ReadInstance(dir); err != nil || e.HTTP != "http://127.0.0.1:7071" || e.PID != 42 {
		t.Fatalf("ReadInstance = %+v, %v", e, err)
	}
}
