package cmd

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/journal"
)

// finishedInvocation polls the running app's journal for a finished
// invocation of function with the given trigger.
func finishedInvocation(t *testing.T, app, function, trigger string) string {
	t.Helper()
	j, err := journal.Open(journal.Options{Path: journal.PathIn(filepath.Join(app, ".funcemu"))})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		list, err := j.List(context.Background(), journal.Filter{Function: function})
		if err != nil {
			t.Fatal(err)
		}
		for _, inv := range list {
			if inv.Trigger == trigger && inv.Status != emulator.StatusRunning {
				return inv.ID
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no finished %s invocation of %s in the journal", trigger, function)
	return ""
}

func TestReplay(t *testing.T) {
	t.Parallel()
	app, endpoints, _ := startHello(t)
	resp, err := http.Get(endpoints.HTTP + "/api/hello/Ada")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	httpID := finishedInvocation(t, app, "hello", emulator.TriggerHTTP)

	t.Run("http matches", func(t *testing.T) {
		out, err := runFuncemu(t, "", "replay", "--app", app, "--diff", httpID[:8])
		if err != nil || !strings.Contains(out, "replayed GET /api/hello/Ada: HTTP 200") || !strings.Contains(out, "outputs match") {
			t.Fatalf("replay: %v\n%s", err, out)
		}
	})

	t.Run("http without diff prints the response", func(t *testing.T) {
		out, err := runFuncemu(t, "", "replay", "--app", app, httpID)
		if err != nil || !strings.Contains(out, "Hello, Ada!") {
			t.Fatalf("replay: %v\n%s", err, out)
		}
	})

	t.Run("a changed response fails the diff", func(t *testing.T) {
		line, err := runFuncemu(t, "", "events", "show", "--json", "--app", app, httpID)
		if err != nil {
			t.Fatal(err)
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		for _, o := range rec["outputs"].([]any) {
			if h, ok := o.(map[string]any)["http"].(map[string]any); ok {
				h["body"] = base64.StdEncoding.EncodeToString([]byte("Hello, Bob!"))
			}
		}
		b, _ := json.Marshal(rec)
		file := filepath.Join(t.TempDir(), "changed.jsonl")
		if err := os.WriteFile(file, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := runFuncemu(t, "", "replay", "--app", app, "--file", file, "--diff")
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != 1 || !strings.Contains(out, `differs: body: recorded "Hello, Bob!", now "Hello, Ada!`) {
			t.Fatalf("replay of a changed recording: %v\n%s", err, out)
		}
	})

	t.Run("manual through the admin API", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodPost, endpoints.HTTP+"/admin/functions/hello", strings.NewReader(`{"input":""}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		manualID := finishedInvocation(t, app, "hello", emulator.TriggerManual)
		out, err := runFuncemu(t, "", "replay", "--app", app, "--diff", manualID)
		if err != nil || !strings.Contains(out, "through the admin API") || !strings.Contains(out, "outputs match") {
			t.Fatalf("replay: %v\n%s", err, out)
		}
	})

	t.Run("errors", func(t *testing.T) {
		tests := []struct {
			args []string
			want string
		}{
			{[]string{"replay", "--app", app}, "give the id"},
			{[]string{"replay", "--app", app, "nope"}, `"nope" not found`},
			{[]string{"replay", "--app", t.TempDir(), "--url", endpoints.HTTP, "x"}, "no journal at"},
			{[]string{"replay", "--data-dir", t.TempDir(), "--file", filepath.Join("..", "emulator", "journal", "testdata", "history.jsonl"), "0002"}, "no running funcemu found"},
		}
		for _, tt := range tests {
			_, err := runFuncemu(t, "", tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%v: error %v, want one mentioning %q", tt.args, err, tt.want)
			}
		}
	})
}
