package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStartSkipsBrokenFunctionsAndListsNotEmulatedOnes(t *testing.T) {
	t.Parallel()
	dir := helloCopy(t)
	saveFile(t, dir, "orders/function.json", `{"bindings": [{"type": "queuTrigger", "direction": "in", "name": "msg", "queueName": "orders"}]}`)
	saveFile(t, dir, "ship/function.json", `{"bindings": [{"type": "queueTrigger", "direction": "in", "name": "msg", "queueName": "ship"},
		{"type": "queu", "direction": "out", "name": "out", "queueName": "done"}]}`)
	saveFile(t, dir, "tick/function.json", `{"bindings": [{"type": "timerTrigger", "direction": "in", "name": "t", "schedule": "0 61 * * * *"}]}`)
	saveFile(t, dir, "bus/function.json", `{"bindings": [{"type": "serviceBusTrigger", "direction": "in", "name": "msg", "queueName": "jobs"},
		{"type": "cosmosDB", "direction": "out", "name": "doc"}]}`)

	r := startFixture(t, dir)
	if resp, body := do(t, "GET", r.url+"/api/hello/Ada", "", nil); resp.StatusCode != 200 || body != "Hello, Ada!" {
		t.Fatalf("the healthy functions do not serve: %d %q", resp.StatusCode, body)
	}
	waitOutput(t, r,
		`orders: orders/function.json: bindings[0].type: unknown binding type "queuTrigger" (did you mean "queueTrigger"?)`,
		`ship: ship/function.json: bindings[1].type: unknown binding type "queu" (did you mean "queue"?)`,
		`tick: tick/function.json: bindings[0].schedule: schedule expression '0 61 * * * *' was not recognized`,
		"\tbus: serviceBusTrigger (not emulated; funcemu invoke bus --input '...' fires it",
		`bus/function.json: bindings[1]: the cosmosDB output "doc" is not emulated`,
	)
	// Not emulated, and still fired by hand through the admin API.
	if resp, _ := do(t, "POST", r.url+"/admin/functions/bus", `{"input":"job 1"}`, map[string]string{"Content-Type": "application/json"}); resp.StatusCode != 202 {
		t.Fatalf("admin invoke of a not-emulated trigger: %d", resp.StatusCode)
	}
	waitOutput(t, r, "Executed 'Functions.bus'")
	if strings.Contains(r.stdout.String(), "\x1b[") {
		t.Errorf("colour codes in output that is not a terminal:\n%q", r.stdout)
	}
}

func TestStartExplainsFoldersThatAreNotApps(t *testing.T) {
	t.Parallel()
	empty := t.TempDir()
	code, stderr := runToExit(t, "start", empty, "--no-build", "--port", "0")
	want := "no host.json in " + empty + ": not a function app; funcemu init " + empty + " creates one"
	if code != 1 || !strings.Contains(stderr, want) {
		t.Fatalf("exit %d, stderr %q; want 1 and %q", code, stderr, want)
	}

	noFunctions := helloCopy(t)
	for _, fn := range []string{"echo", "forwarded", "greet", "hello"} {
		if err := os.RemoveAll(filepath.Join(noFunctions, fn)); err != nil {
			t.Fatal(err)
		}
	}
	r := startFixture(t, noFunctions)
	waitOutput(t, r, "No job functions found.")
}

func TestReloadPrintsTheChangedFunctions(t *testing.T) {
	t.Parallel()
	dir := helloCopy(t)
	r := startFixture(t, dir, "--debounce", "50ms")
	port := strings.TrimPrefix(r.url, "http://127.0.0.1:")
	waitOutput(t, r, "\tgreet: [GET] http://localhost:"+port+"/api/greet")
	saveFile(t, dir, "added/function.json", `{"bindings": [{"type": "httpTrigger", "direction": "in", "name": "req", "route": "new/one"}, {"type": "http", "direction": "out", "name": "res"}]}`)
	waitOutput(t, r, "\tadded:  http://localhost:"+port+"/api/new/one")
	if n := strings.Count(r.stdout.String(), "Functions:"); n != 2 {
		t.Fatalf("Functions: printed %d times, want 2:\n%s", n, r.stdout)
	}
	saveFile(t, dir, "host.json", `{"version": "2.0", "extensions": {"http": {"routePrefix": "v2"}}, "customHandler": {"description": {"defaultExecutablePath": "handler"}, "enableForwardingHttpRequest": true}}`)
	waitOutput(t, r, "\tgreet: [GET] http://localhost:"+port+"/v2/greet")
}
