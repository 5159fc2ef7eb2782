package cmd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator/adminclient"
)

// helloCopy is a copy of the built hello fixture in a folder of the
// test's own, so its data folder is the test's alone.
func helloCopy(t *testing.T) string { return fixtureCopy(t, "hello") }

// funcemuExit runs funcemu in-process to its end and returns its exit
// code and stderr.
func funcemuExit(t *testing.T, args ...string) (int, string) {
	t.Helper()
	code, _, stderr := runExit(t, args...)
	return code, stderr
}

// waitEvents polls funcemu events list until its output holds want.
func waitEvents(t *testing.T, want string, args ...string) string {
	t.Helper()
	var out string
	waitFor(t, want+" in events list", func() bool {
		var err error
		out, err = runFuncemu(t, "", append([]string{"events", "list"}, args...)...)
		return err == nil && strings.Contains(out, want)
	})
	return out
}

// TestDataDirHoldsTheWholeState runs start with --data-dir in a folder
// whose name a SQLite URI would misread: storage, journal, instance file
// and lock all land there, nothing in the app folder, and the other
// commands find the instance with the same --data-dir.
func TestDataDirHoldsTheWholeState(t *testing.T) {
	t.Parallel()
	app := helloCopy(t)
	data := filepath.Join(t.TempDir(), "state #1 ?x=%20 é")
	r := launch(t, []string{"start", app, "--port", "0", "--no-build", "--no-tui", "--data-dir", data})
	if resp, body := do(t, "GET", r.url+"/api/hello/Ada", "", nil); resp.StatusCode != 200 {
		t.Fatalf("hello: %d %s", resp.StatusCode, body)
	}
	for _, name := range []string{"storage.db", "journal.db", "instance.json", "funcemu.lock"} {
		if _, err := os.Stat(filepath.Join(data, name)); err != nil {
			t.Errorf("%s not in --data-dir: %v", name, err)
		}
	}
	if entries, _ := os.ReadDir(filepath.Dir(data)); len(entries) != 1 {
		t.Errorf("files beside the data folder: %v", entries)
	}
	if _, err := os.Stat(filepath.Join(app, ".funcemu")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the app folder got a .funcemu folder: %v", err)
	}
	waitEvents(t, "hello", "--data-dir", data)
	out, err := runFuncemu(t, "", "invoke", "hello", "--data-dir", data, "--input", "x")
	if err != nil {
		t.Fatalf("invoke with --data-dir: %v\n%s", err, out)
	}
}

// TestSecondStartOnTheSameDataFolderFailsAtOnce: a second start on the
// same folder fails before building, with the first's pid and URL, exit
// 1; reading commands work beside it; --in-memory runs a second instance
// that leaves the first's instance file alone; after kill -9 the folder
// is free again.
func TestSecondStartOnTheSameDataFolderFailsAtOnce(t *testing.T) {
	t.Parallel()
	app := helloCopy(t)
	data := filepath.Join(app, ".funcemu")
	first := launchProcess(t, []string{"start", app, "--port", "0", "--no-build", "--no-tui"})
	do(t, "GET", first.url+"/api/hello/Ada", "", nil)

	marker := filepath.Join(t.TempDir(), "built")
	code, stderr := funcemuExit(t, "start", app, "--port", "0", "--blob-port", "0", "--queue-port", "0",
		"--no-tui", "--build", "touch '"+marker+"'")
	want := fmt.Sprintf("funcemu: %s is in use by funcemu pid %d (%s); stop it, or use --data-dir or --in-memory\n",
		data, first.pid, first.url)
	if code != 1 || stderr != want {
		t.Fatalf("second start: exit %d, stderr\n%q\nwant exit 1 and\n%q", code, stderr, want)
	}
	if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("the second start built the handler before failing")
	}
	waitEvents(t, "hello", "--app", app)

	inMemory := launchProcess(t, []string{"start", app, "--port", "0", "--no-build", "--no-tui", "--in-memory"})
	if resp, _ := do(t, "GET", inMemory.url+"/api/hello/Bo", "", nil); resp.StatusCode != 200 {
		t.Fatalf("--in-memory instance: %d", resp.StatusCode)
	}
	inMemory.cmd.Process.Signal(os.Interrupt)
	<-inMemory.exited
	e, err := adminclient.ReadInstance(data)
	if err != nil || e.PID != first.pid {
		t.Fatalf("instance file after the second instance stopped: %+v, %v; want the first's", e, err)
	}

	if err := first.cmd.Process.Kill(); err != nil { // kill -9
		t.Fatal(err)
	}
	<-first.exited
	again := launchProcess(t, []string{"start", app, "--port", "0", "--no-build", "--no-tui"})
	if e, err := adminclient.ReadInstance(data); err != nil || e.PID != again.pid {
		t.Fatalf("instance file after a restart: %+v, %v", e, err)
	}
}

// TestExecBesideStart runs exec on an app a start is serving: exec works
// in a temporary data folder of its own, counts only its own invocation,
// and leaves the running instance's state and instance file alone.
func TestExecBesideStart(t *testing.T) {
	t.Parallel()
	app := helloCopy(t)
	data := filepath.Join(app, ".funcemu")
	first := launch(t, []string{"start", app, "--port", "0", "--no-build", "--no-tui"})
	do(t, "GET", first.url+"/api/hello/Ada", "", nil)
	waitEvents(t, "hello", "--app", app)

	tmp := t.TempDir()
	out, err := runFuncemuEnv(t, "", []string{"TMPDIR=" + tmp}, "exec", app, "--no-build", "--", "sh", "-c", `curl -fsS "$FUNCEMU_URL/api/hello/Bo"`)
	if err != nil {
		t.Fatalf("exec beside start: %v\n%s", err, out)
	}
	if !strings.Contains(out, "Hello, Bo!") || !strings.Contains(out, "funcemu: 1 invocations, 0 failed, 0 poison messages\n") {
		t.Fatalf("exec output:\n%s", out)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "funcemu-exec-*")); len(left) != 0 {
		t.Fatalf("exec left its temporary data folder: %v", left)
	}
	if e, err := adminclient.ReadInstance(data); err != nil || e.PID != first.pid {
		t.Fatalf("instance file after exec: %+v, %v; want the running start's", e, err)
	}
	list, err := runFuncemu(t, "", "events", "list", "--app", app, "--json")
	if err != nil || strings.Count(list, `"function":"hello"`) != 1 {
		t.Fatalf("the running start's journal after exec (want only its own invocation): %v\n%s", err, list)
	}
}
