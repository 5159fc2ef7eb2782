package cmd

import (
	"context"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azqueue/v2"

	"github.com/funcemu/funcemu/emulator/storage/rest"
)

// enqueueEnv makes the test binary put one message on the named queue at
// FUNCEMU_QUEUE_URL and exit, standing in for a test suite run by exec.
const enqueueEnv = "FUNCEMU_TEST_ENQUEUE"

func enqueueAndExit(queue string) int {
	cred, err := azqueue.NewSharedKeyCredential(rest.DevAccountName, rest.DevAccountKey)
	if err == nil {
		var q *azqueue.QueueClient
		q, err = azqueue.NewQueueClientWithSharedKeyCredential(os.Getenv("FUNCEMU_QUEUE_URL")+"/"+queue, cred, nil)
		if err == nil {
			ctx := context.Background()
			if _, err = q.Create(ctx, nil); err == nil {
				_, err = q.EnqueueMessage(ctx, base64.StdEncoding.EncodeToString([]byte("job")), nil)
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "enqueue:", err)
		return 2
	}
	return 0
}

// TestExecReportsPoisonMessages runs fixtures/poison under exec with a
// command that enqueues one job: the job ends in work-poison, the summary
// says so, and --fail-on-error turns it into exit code 1.
func TestExecReportsPoisonMessages(t *testing.T) {
	t.Parallel()
	appDir := fixtureCopy(t, "poison")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	env := []string{enqueueEnv + "=work"} // read by the command exec starts, which inherits it
	kept := filepath.Join(t.TempDir(), "kept")
	report := filepath.Join(t.TempDir(), "junit.xml")
	for _, tt := range []struct {
		name     string
		flags    []string
		wantCode int
		parallel bool // shares no folder with another run
	}{
		{"reported", []string{"--in-memory"}, 0, true},
		{"fails with --fail-on-error", []string{"--in-memory", "--fail-on-error"}, 1, true},
		// A kept data folder still holds the first run's poison message;
		// each run reports only its own. These two run in order.
		{"kept data folder, first run", []string{"--data-dir", kept, "--junit", report}, 0, false},
		{"kept data folder, second run", []string{"--data-dir", kept, "--junit", report}, 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.parallel {
				t.Parallel()
			}
			args := append([]string{"exec", appDir, "--no-build", "--idle-timeout", "2m"}, tt.flags...)
			out, err := runFuncemuEnv(t, "", env, append(args, "--", self)...)
			code := 0
			if ee, ok := err.(*exitError); ok {
				code = ee.code
			} else if err != nil {
				t.Fatalf("exec: %v\n%s", err, out)
			}
			if code != tt.wantCode {
				t.Fatalf("exit code %d, want %d\n%s", code, tt.wantCode, out)
			}
			if !strings.Contains(out, "funcemu: 3 invocations, 3 failed, 1 poison messages (work-poison: 1)\n") {
				t.Fatalf("summary does not report this run's poisoned job:\n%s", out)
			}
			if !slices.Contains(tt.flags, "--junit") {
				return
			}
			// The JUnit report agrees: three failed invocations and one
			// failed case for the poison queue.
			b, err := os.ReadFile(report)
			if err != nil {
				t.Fatal(err)
			}
			var suite junitSuite
			if err := xml.Unmarshal(b, &suite); err != nil {
				t.Fatal(err)
			}
			last := suite.Cases[len(suite.Cases)-1]
			if suite.Tests != 4 || suite.Failures != 4 || last.Name != "poison queue work-poison" || last.Failure == nil ||
				last.Failure.Message != "1 poison messages in work-poison" {
				t.Fatalf("junit report disagrees with the summary:\n%s", b)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(kept, "journal.db")); err != nil {
		t.Fatalf("--data-dir was not kept: %v", err)
	}
}
