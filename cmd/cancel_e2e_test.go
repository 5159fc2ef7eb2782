package cmd

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

// blockingApp is a queue-triggered app whose handler hangs while the file
// BLOCK_FILE names exists, and succeeds otherwise.
var blockingApp = map[string]string{
	"host.json":           `{"version":"2.0","customHandler":{"description":{"defaultExecutablePath":"handler"}}}`,
	"Work/function.json":  `{"bindings":[{"type":"queueTrigger","direction":"in","name":"job","queueName":"work"}]}`,
	"go.mod":              "module example.com/blocking\n\ngo 1.26\n",
	"local.settings.json": `{"IsEncrypted":false,"Values":{"FUNCTIONS_WORKER_RUNTIME":"custom","AzureWebJobsStorage":"UseDevelopmentStorage=true","BLOCK_FILE":"%BLOCK%"}}`,
	"main.go": `package main

import (
	"io"
	"net/http"
	"os"
)

func main() {
	http.HandleFunc("/Work", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if _, err := os.Stat(os.Getenv("BLOCK_FILE")); err == nil {
			<-r.Context().Done()
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(` + "`" + `{"Outputs":{},"Logs":[]}` + "`" + `))
	})
	http.ListenAndServe("127.0.0.1:"+os.Getenv("FUNCTIONS_CUSTOMHANDLER_PORT"), nil)
}
`,
}

// TestInterruptedInvocationIsCanceled stops funcemu (SIGINT, as Ctrl-C)
// while a queue invocation runs: the journal records it as canceled, not
// failed, and the next start runs the message again.
func TestInterruptedInvocationIsCanceled(t *testing.T) {
	t.Parallel()
	app := filepath.Join(t.TempDir(), "blocking")
	block := filepath.Join(t.TempDir(), "block")
	for name, content := range blockingApp {
		path := filepath.Join(app, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(strings.ReplaceAll(content, "%BLOCK%", block)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(block, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := linkedFixture(app, filepath.Join(app, "handler")); err != nil {
		t.Fatal(err)
	}
	first := launchProcess(t, []string{"start", app, "--port", "0", "--no-build", "--no-tui"})
	work := queueClient(t, emulator.Endpoints{Queue: first.queue}, "work")
	ctx := context.Background()
	if _, err := work.Create(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := work.EnqueueMessage(ctx, base64.StdEncoding.EncodeToString([]byte("job-1")), nil); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the invocation to start", func() bool { return strings.Contains(first.stdout.String(), "Executing 'Functions.Work'") })
	if err := first.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	<-first.exited
	if !strings.Contains(first.stdout.String(), "Executed 'Functions.Work' (Canceled") {
		t.Errorf("no canceled line:\n%s", first.stdout)
	}
	out, err := runFuncemu(t, "", "events", "list", "--app", app, "--status", "canceled", "--json")
	if err != nil || strings.Count(out, `"function":"Work"`) != 1 {
		t.Fatalf("events list --status canceled: %v\n%s", err, out)
	}
	if out, _ := runFuncemu(t, "", "events", "list", "--app", app, "--status", "failed", "--json"); strings.Contains(out, "Work") {
		t.Fatalf("the interrupted invocation is listed as failed:\n%s", out)
	}

	if err := os.Remove(block); err != nil {
		t.Fatal(err)
	}
	launch(t, []string{"start", app, "--port", "0", "--no-build", "--no-tui"})
	waitEvents(t, `"function":"Work"`, "--app", app, "--status", "succeeded", "--json")
}
