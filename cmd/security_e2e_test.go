package cmd

import (
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/journal"
	"github.com/funcemu/funcemu/emulator/keys"
)

// attack is one request a web page or a rebound DNS name could make.
type attack struct {
	name, host, origin, contentType string
	want                            int
}

// browserAttacks are what a page the developer visits can send to
// POST /admin/functions/hello without a CORS preflight (or, for the
// rebinding ones, with its own name in Host).
var browserAttacks = []attack{
	{"cross-site text/plain", "", "http://evil.example", "text/plain", http.StatusForbidden},
	{"cross-site form", "", "http://evil.example", "application/x-www-form-urlencoded", http.StatusForbidden},
	{"DNS rebinding", "rebind.evil.example", "", "text/plain", http.StatusForbidden},
	{"DNS rebinding with JSON", "rebind.evil.example", "http://rebind.evil.example", "application/json", http.StatusForbidden},
	{"text/plain without origin", "", "", "text/plain", http.StatusUnsupportedMediaType},
}

// send makes one raw request; host, when set, replaces the Host header.
func send(t *testing.T, method, url, host string, header map[string]string, body string) int {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// manualRuns counts the finished manual invocations of function.
func manualRuns(t *testing.T, r *runner, function string) int {
	t.Helper()
	list, err := r.journal.List(context.Background(), journal.Filter{Function: function})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, inv := range list {
		if inv.Trigger == emulator.TriggerManual {
			n++
		}
	}
	return n
}

// TestCrossSiteRequestsCannotRunAFunctionButTheCLICan is the attack of a
// web page on the developer's machine, then funcemu's own tools.
func TestCrossSiteRequestsCannotRunAFunctionButTheCLICan(t *testing.T) {
	t.Parallel()
	for _, withKeys := range []bool{false, true} {
		name := "keyless loopback"
		if withKeys {
			name = "--enable-auth"
		}
		t.Run(name, func(t *testing.T) {
			r, c := openHelloRunner(t, func(o *startOptions) {
				o.clock = "virtual"
				o.auth.enableAuth = withKeys
				o.noBuild = true // the fixture's handler is built
			})
			app := r.app.Dir
			base := r.endpoints.HTTP
			for _, a := range browserAttacks {
				h := map[string]string{"Content-Type": a.contentType}
				if a.origin != "" {
					h["Origin"] = a.origin
				}
				want := a.want
				if withKeys && want == http.StatusUnsupportedMediaType {
					want = http.StatusUnauthorized // the missing key is found first
				}
				if got := send(t, "POST", base+"/admin/functions/hello", a.host, h, `{"input":"pwned"}`); got != want {
					t.Errorf("%s: status %d, want %d", a.name, got, want)
				}
			}
			if withKeys {
				h := map[string]string{"Content-Type": "application/json"}
				if got := send(t, "POST", base+"/admin/functions/hello", "", h, `{"input":"pwned"}`); got != http.StatusUnauthorized {
					t.Errorf("JSON without the master key: status %d, want 401", got)
				}
			}

			events := subscribe(t, r)
			out, err := runFuncemu(t, "", "invoke", "hello", "--app", app, "--input", "from the cli")
			if err != nil {
				t.Fatalf("funcemu invoke: %v\n%s", err, out)
			}
			first := awaitEvent(t, events, "the invoked hello", isFinished("hello", emulator.TriggerManual))
			awaitRecorded(t, r, first.Invocation.ID)
			if n := manualRuns(t, r, "hello"); n != 1 {
				t.Fatalf("%d manual runs of hello, want only the CLI's: an attack got through", n)
			}

			out, err = runFuncemu(t, "", "replay", "--app", app, first.Invocation.ID)
			if err != nil || !strings.Contains(out, "through the admin API") {
				t.Fatalf("funcemu replay: %v\n%s", err, out)
			}
			out, err = runFuncemu(t, "", "clock", "advance", "1h", "--app", app)
			if err != nil || !strings.Contains(out, "timers fired") {
				t.Fatalf("funcemu clock advance: %v\n%s", err, out)
			}
			if err := c.Replay(context.Background(), first.Invocation.ID); err != nil {
				t.Fatalf("the UI's replay: %v", err)
			}
		})
	}
}

// TestEnableAuthKeysOnLoopback checks the keys end to end on loopback:
// made once into the data folder, owner-only, and enforced per authLevel.
func TestEnableAuthKeysOnLoopback(t *testing.T) {
	t.Parallel()
	r, _ := openHelloRunner(t, func(o *startOptions) { o.auth.enableAuth, o.noBuild = true, true })
	checkKeysEnforced(t, r.endpoints.HTTP, keys.PathIn(r.dataDir()))
	st, err := os.Stat(keys.PathIn(r.dataDir()))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("keys file: %v, mode %v; want 0600", err, st.Mode())
	}
}

// checkKeysEnforced asks a funcemu serving base, whose keys are in path,
// for a function-level and an anonymous function and the admin API.
func checkKeysEnforced(t *testing.T, base, path string) {
	t.Helper()
	store, made, err := keys.Open(path, "")
	if err != nil || len(made) != 0 {
		t.Fatalf("keys file %s: %v, made %v; want the keys funcemu wrote", path, err, made)
	}
	master, greet := store.MasterKey(), store.FunctionKey("greet")
	if greet == "" {
		t.Fatal("no function key for greet")
	}
	tests := []struct {
		name, method, path string
		header             map[string]string
		want               int
	}{
		{"anonymous function, no key", "GET", "/api/hello/Ada", nil, 200},
		{"function level, no key", "GET", "/api/greet", nil, 401},
		{"function level, wrong key", "GET", "/api/greet?code=wrong", nil, 401},
		{"function level, its key as code", "GET", "/api/greet?code=" + greet, nil, 200},
		{"function level, master key header", "GET", "/api/greet", map[string]string{keys.Header: master}, 200},
		{"admin API, no key", "GET", "/admin/functions", nil, 401},
		{"admin API, function key", "GET", "/admin/functions", map[string]string{keys.Header: greet}, 401},
		{"admin API, master key", "GET", "/admin/functions?code=" + master, nil, 200},
	}
	for _, tc := range tests {
		if got := send(t, tc.method, base+tc.path, "", tc.header, ""); got != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, got, tc.want)
		}
	}
}
