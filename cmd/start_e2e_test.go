package cmd

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

var guidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestStartDefaultModeEnvelopeIsExact(t *testing.T) {
	t.Parallel()
	_, app := binaries(t)
	r := startFixture(t, app)
	hostPort := strings.TrimPrefix(r.url, "http://")
	body := `{"n":7,"s":"hi <b>","o":{"k":1},"arr":[1],"z":null,"t":true}`
	resp, got := do(t, "POST", r.url+"/api/echo/a%20b/c?y=1&y=2&code=secret", body,
		map[string]string{"Content-Type": "application/json", "X-Test": "v"})
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("caller got %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), got)
	}

	got = regexp.MustCompile(`"UtcNow":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?Z","RandGuid":"[0-9a-f-]{36}"`).
		ReplaceAllString(got, `"UtcNow":"T","RandGuid":"G"`)
	want := `{"Data":{"req":{` +
		`"Url":"http://HOST/api/echo/a%20b/c?y=1&y=2&code=secret","Method":"POST",` +
		`"Query":{"code":"secret","y":"1,2"},` +
		`"Headers":{"Accept-Encoding":["gzip"],"Content-Length":["LEN"],"Content-Type":["application/json"],"Host":["HOST"],"User-Agent":["Go-http-client/1.1"],"X-Test":["v"]},` +
		`"Params":{"rest":"a b/c"},` +
		`"Identities":[{"AuthenticationType":null,"IsAuthenticated":false,"Actor":null,"BootstrapContext":null,"Claims":[],"Label":null,"Name":null,"NameClaimType":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name","RoleClaimType":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role"}],` +
		`"Body":"{\"n\":7,\"s\":\"hi <b>\",\"o\":{\"k\":1},\"arr\":[1],\"z\":null,\"t\":true}"}},` +
		`"Metadata":{` +
		`"Headers":{"Accept-Encoding":"gzip","Content-Length":"LEN","Content-Type":"application/json","Host":"HOST","User-Agent":"Go-http-client/1.1","X-Test":"v"},` +
		`"Query":{"code":"secret","y":"1,2"},` +
		`"n":"\"7\"","o":{"k":1},"rest":"\"a b/c\"","s":"\"hi <b>\"","t":"\"True\"","y":"\"1,2\"",` +
		`"sys":{"MethodName":"echo","UtcNow":"T","RandGuid":"G"}}}`
	want = strings.NewReplacer("HOST", hostPort, "LEN", strconv.Itoa(len(body))).Replace(want)
	if got != want {
		t.Fatalf("handler received\n%s\nwant\n%s", got, want)
	}

	var seen map[string]string
	if err := json.Unmarshal([]byte(resp.Header.Get("X-Echo-Request")), &seen); err != nil {
		t.Fatal(err)
	}
	wantSeen := map[string]string{
		"Method":                        "POST",
		"Path":                          "/echo",
		"Content-Type":                  "application/json; charset=utf-8",
		"User-Agent":                    "Azure-Functions-Host/4.1037.0.0",
		"X-Azure-Functions-HostVersion": "4.1037.0.0",
	}
	for k, v := range wantSeen {
		if seen[k] != v {
			t.Errorf("handler saw %s = %q, want %q", k, seen[k], v)
		}
	}
	if !guidPattern.MatchString(seen["X-Azure-Functions-InvocationId"]) {
		t.Errorf("invocation id %q is not a v4 GUID", seen["X-Azure-Functions-InvocationId"])
	}
}

func TestStartServesTheFixture(t *testing.T) {
	t.Parallel()
	_, app := binaries(t)
	r := startFixture(t, app)
	tests := []struct {
		name, method, path, body string
		header                   map[string]string
		status                   int
		contentType, want        string
	}{
		{"route parameter", "GET", "/api/hello/Ada", "", nil, 200, "text/plain; charset=utf-8", "Hello, Ada!"},
		{"optional parameter absent", "GET", "/api/hello", "", nil, 200, "text/plain; charset=utf-8", "Hello, world!"},
		{"literal matches any case", "POST", "/API/Hello/Bo", "", nil, 200, "text/plain; charset=utf-8", "Hello, Bo!"},
		{"constraint fails", "GET", "/api/hello/123", "", nil, 404, "", ""},
		{"method not allowed is 404", "DELETE", "/api/hello/Ada", "", nil, 404, "", ""},
		{"no route", "GET", "/api/nothing", "", nil, 404, "", ""},
		{"$return string", "GET", "/api/greet?who=Cy", "", nil, 200, "text/plain; charset=utf-8", "Hi Cy"},
		{"keys accepted, not enforced", "GET", "/api/greet?code=wrong", "", map[string]string{"x-functions-key": "nope"}, 200, "text/plain; charset=utf-8", "Hi there"},
		{"homepage", "GET", "/", "", nil, 200, "text/html", "Your Functions 4.0 app is up and running"},
		{"admin ping", "POST", "/admin/host/ping", "", nil, 200, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := do(t, tc.method, r.url+tc.path, tc.body, tc.header)
			if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != tc.contentType || !strings.Contains(body, tc.want) {
				t.Fatalf("%s %s = %d %q %q, want %d %q containing %q", tc.method, tc.path, resp.StatusCode,
					resp.Header.Get("Content-Type"), body, tc.status, tc.contentType, tc.want)
			}
			if tc.want == "" && body != "" {
				t.Fatalf("body %q, want empty", body)
			}
		})
	}
}

func TestStartForwardsEligibleFunction(t *testing.T) {
	t.Parallel()
	_, app := binaries(t)
	r := startFixture(t, app)
	resp, body := do(t, "PUT", r.url+"/api/forwarded/5?a=b&status=418", "raw body", map[string]string{"User-Agent": "e2e"})
	if resp.StatusCode != 418 {
		t.Fatalf("status %d, want the handler's 418 passed through", resp.StatusCode)
	}
	var seen struct {
		Method, URI, Host, Body, InvocationID, UserAgent string
	}
	if err := json.Unmarshal([]byte(body), &seen); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	if seen.Method != "PUT" || seen.URI != "/api/forwarded/5?a=b&status=418" || seen.Body != "raw body" ||
		seen.Host != strings.TrimPrefix(r.url, "http://") || seen.UserAgent != "e2e Azure-Functions-Host/4.1037.0.0" ||
		!guidPattern.MatchString(seen.InvocationID) {
		t.Fatalf("handler saw %+v", seen)
	}
}

func TestStartAdminAPI(t *testing.T) {
	t.Parallel()
	_, app := binaries(t)
	r := startFixture(t, app)

	resp, body := do(t, "GET", r.url+"/admin/host/status", "", nil)
	var status map[string]any
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &status) != nil || status["state"] != "Running" {
		t.Fatalf("status = %d %s", resp.StatusCode, body)
	}

	resp, body = do(t, "GET", r.url+"/admin/functions", "", nil)
	var fns []map[string]any
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &fns) != nil {
		t.Fatalf("functions = %d %s", resp.StatusCode, body)
	}
	var names []string
	for _, f := range fns {
		names = append(names, f["name"].(string))
	}
	if strings.Join(names, ",") != "echo,forwarded,greet,hello" {
		t.Fatalf("functions %v", names)
	}
	port := strings.TrimPrefix(r.url, "http://127.0.0.1:")
	resp, body = do(t, "GET", r.url+"/admin/functions/HELLO", "", nil)
	var one map[string]any
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &one) != nil ||
		one["invoke_url_template"] != "http://localhost:"+port+"/api/hello/{name:alpha?}" ||
		one["href"] != "http://localhost:"+port+"/admin/functions/hello" || one["isDisabled"] != false {
		t.Fatalf("function = %d %s", resp.StatusCode, body)
	}

	invokes := []struct {
		path, body string
		status     int
	}{
		{"/admin/functions/hello", `{"input":""}`, 202},
		{"/admin/functions/greet", `{"input":"x"}`, 202},
		{"/admin/functions/hello", `not json`, 400},
		{"/admin/functions/hello", `{}`, 400},
		{"/admin/functions/missing", `{"input":""}`, 404},
	}
	for _, tc := range invokes {
		// Azure's docs send the admin API JSON; funcemu refuses anything
		// else on POST so that no web page can post to it (security.md).
		json := map[string]string{"Content-Type": "application/json"}
		if resp, body := do(t, "POST", r.url+tc.path, tc.body, json); resp.StatusCode != tc.status || body != "" {
			t.Errorf("POST %s %s = %d %q, want %d with no body", tc.path, tc.body, resp.StatusCode, body, tc.status)
		}
	}
	// The accepted invocations run in the background and show up on the console.
	deadline := time.Now().Add(patience)
	for !strings.Contains(r.stdout.String(), "Executed 'Functions.greet' (Succeeded") ||
		!strings.Contains(r.stdout.String(), "Executed 'Functions.hello' (Succeeded") {
		if time.Now().After(deadline) {
			t.Fatalf("admin invocations not executed:\n%s", r.stdout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestStartPrintsFunctionsAndInvocations(t *testing.T) {
	t.Parallel()
	_, app := binaries(t)
	r := startFixture(t, app)
	do(t, "GET", r.url+"/api/hello/Ada", "", nil)
	port := strings.TrimPrefix(r.url, "http://127.0.0.1:")
	wants := []string{
		"Functions:",
		"\thello: [GET,POST] http://localhost:" + port + "/api/hello/{name:alpha?}",
		"\techo:  http://localhost:" + port + "/api/echo/{*rest}",
		"Executing 'Functions.hello' (Reason='This function was programmatically called via the host APIs.', Id=",
		"] Greeted Ada",
		"hello handler listening on 127.0.0.1:",
		"Executed 'Functions.hello' (Succeeded, Id=",
	}
	deadline := time.Now().Add(patience)
	for _, w := range wants {
		for !strings.Contains(r.stdout.String(), w) {
			if time.Now().After(deadline) {
				t.Fatalf("output lacks %q:\n%s", w, r.stdout)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// handlerPID asks the forwarded function for the handler's process id.
func handlerPID(t *testing.T, r *running) int {
	_, body := do(t, "GET", r.url+"/api/forwarded", "", nil)
	var seen struct{ PID int }
	if err := json.Unmarshal([]byte(body), &seen); err != nil || seen.PID == 0 {
		t.Fatalf("no pid in %s", body)
	}
	return seen.PID
}

func TestKilledFuncemuLeavesNoHandler(t *testing.T) {
	t.Parallel()
	_, app := binaries(t)
	r := startFixtureProcess(t, app)
	pid := handlerPID(t, r)
	if err := r.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-r.exited
	waitGone(t, pid)
}

func TestInterruptShutsDownCleanly(t *testing.T) {
	t.Parallel()
	_, app := binaries(t)
	r := startFixtureProcess(t, app)
	pid := handlerPID(t, r)
	if err := r.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-r.exited:
	case <-time.After(patience):
		t.Fatal("funcemu did not exit after SIGINT")
	}
	if r.err != nil {
		t.Fatalf("exit after SIGINT: %v\n%s", r.err, r.stderr)
	}
	if !processGone(pid) {
		t.Fatalf("handler %d still running after funcemu exited", pid)
	}
}

// runToExit runs funcemu in-process to its end and returns its exit code
// and stderr; a start gets free storage ports and, unless args name one, a
// data folder of the test's own.
func runToExit(t *testing.T, args ...string) (int, string) {
	t.Helper()
	if args[0] == "start" && !slices.Contains(args, "--blob-port") {
		args = append(args, "--blob-port", "0", "--queue-port", "0")
	}
	code, _, stderr := runExit(t, withOwnDataDir(t, args)...)
	return code, stderr
}

func TestStartFailsClearly(t *testing.T) {
	t.Parallel()
	_, app := binaries(t)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyPort := busy.Addr().(*net.TCPAddr).Port

	brokenHost := t.TempDir()
	if err := os.WriteFile(filepath.Join(brokenHost, "host.json"), []byte(`{"version":"3.0"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"port in use", []string{"start", app, "--no-build", "--blob-port", "0", "--queue-port", "0", "--port", strconv.Itoa(busyPort)},
			"Port " + strconv.Itoa(busyPort) + " is unavailable (held by "},
		{"broken host.json", []string{"start", brokenHost, "--no-build", "--port", "0", "--blob-port", "0", "--queue-port", "0"}, "host.json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stderr := runToExit(t, tc.args...)
			if code != 1 || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q; want 1 and %q", code, stderr, tc.want)
			}
		})
	}
}
