package cmd

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestStartWaitsForAFixAfterCompileErrors(t *testing.T) {
	t.Parallel()
	dir := appCopy(t)
	saveFile(t, dir, "broken.go", "package main\n\nfunc broken() { undefinedThing() }\n")
	ready := filepath.Join(t.TempDir(), "ready.json")
	f, streams := newTestFactory(t, "")
	out := streams.out
	f.IO.ErrOut = out // one stream, as a terminal shows both
	ctx, cancel := context.WithCancel(context.Background())
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		run(ctx, f, []string{"start", dir, "--port", "0", "--blob-port", "0", "--queue-port", "0",
			"--no-tui", "--debounce", "50ms", "--ready-file", ready})
	}()
	t.Cleanup(func() { cancel(); <-exited })

	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(patience)
		for !ok() {
			select {
			case <-exited:
				t.Fatalf("funcemu exited while waiting for %s:\n%s", what, out.String())
			case <-time.After(20 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				t.Fatalf("no %s:\n%s", what, out.String())
			}
		}
	}
	waitFor("wait message", func() bool { return strings.Contains(out.String(), "funcemu builds again when you save a change") })
	if _, err := os.Stat(ready); err == nil {
		t.Fatal("ready before the handler built")
	}
	if err := os.Remove(filepath.Join(dir, "broken.go")); err != nil {
		t.Fatal(err)
	}
	waitFor("ready file", func() bool { _, err := os.Stat(ready); return err == nil })
	b, _ := os.ReadFile(ready)
	url := readyURL(t, b)
	if resp, body := do(t, "GET", url+"/api/hello/Ada", "", nil); resp.StatusCode != 200 || body != "Hello, Ada!" {
		t.Fatalf("after the fix: %d %q", resp.StatusCode, body)
	}
	if n := strings.Count(out.String(), "undefined: undefinedThing"); n != 1 {
		t.Errorf("the compiler error was printed %d times, want once:\n%s", n, out.String())
	}
}

// readyURL is the HTTP endpoint of a ready file's content.
func readyURL(t *testing.T, b []byte) string {
	t.Helper()
	var e struct {
		HTTP string `json:"http"`
	}
	if err := json.Unmarshal(b, &e); err != nil || e.HTTP == "" {
		t.Fatalf("ready file %q: %v", b, err)
	}
	return e.HTTP
}
