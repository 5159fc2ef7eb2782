package cmd

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestInvokeWaitsAndReportsTheOutcome(t *testing.T) {
	t.Parallel()
	dir := helloCopy(t)
	// The handler has no route for boom: every run of it fails.
	saveFile(t, dir, "boom/function.json", `{"bindings": [{"type": "queueTrigger", "direction": "in", "name": "msg", "queueName": "boom"}]}`)
	// The data folder is the app's own, where invoke --app looks.
	r := startFixture(t, dir, "--data-dir", filepath.Join(dir, ".funcemu"))

	code, out, stderr := runExit(t, "invoke", "hello", "--app", dir, "--input", "Ada")
	if code != 0 || !strings.HasPrefix(out, "invoked hello: invocation ") {
		t.Fatalf("invoke: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	id := strings.Fields(strings.TrimPrefix(out, "invoked hello: invocation "))[0]
	waitOutput(t, r, "Executed 'Functions.hello' (Succeeded, Id="+id)

	code, out, stderr = runExit(t, "invoke", "hello", "--app", dir, "--input", "Ada", "--wait")
	if code != 0 || !strings.Contains(out, "waiting for it to finish\nSucceeded\n") {
		t.Fatalf("invoke --wait: exit %d, stdout %q, stderr %q", code, out, stderr)
	}

	code, out, stderr = runExit(t, "invoke", "boom", "--app", dir, "--input", "aGVsbG8=", "--wait")
	if code != 1 || !strings.Contains(out, "\nFailed: ") {
		t.Fatalf("invoke --wait of a failing function: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	if !strings.Contains(stderr, `the input is base64 for "hello"`) {
		t.Errorf("no base64 note in stderr %q", stderr)
	}

	code, out, _ = runExit(t, "invoke", "boom", "--app", dir, "--wait", "--json")
	var res struct{ Function, ID, LastID, Status, Error string }
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("--json output %q: %v", out, err)
	}
	if code != 1 || res.Function != "boom" || res.ID == "" || res.Status != "failed" || res.Error == "" {
		t.Fatalf("--json: exit %d, %+v", code, res)
	}
	waitOutput(t, r, "Executed 'Functions.boom' (Failed, Id="+res.ID)

	// The journal keeps the envelope the handler got and its raw answer.
	deadline := time.Now().Add(patience)
	for {
		code, out, stderr = runExit(t, "events", "show", res.ID, "--raw", "--app", dir)
		if code == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code != 0 || !strings.HasPrefix(out, "POST /boom (") || !strings.Contains(out, `{"Data":{"msg":"\"\""}`) ||
		!strings.Contains(out, "\n\nHTTP ") {
		t.Fatalf("events show --raw: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}
