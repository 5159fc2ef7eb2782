package cmd

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
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
	appDir := filepath.Join(t.TempDir(), "poison")
	if err := copyDir(filepath.Join("..", "fixtures", "poison"), appDir); err != nil {
		t.Fatal(err)
	}
	if err := goBuild(appDir, filepath.Join(appDir, "handler"), "."); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(enqueueEnv, "work") // read by the command exec starts, which inherits it
	for _, tt := range []struct {
		name     string
		flags    []string
		wantCode int
	}{
		{"reported", nil, 0},
		{"fails with --fail-on-error", []string{"--fail-on-error"}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"exec", appDir, "--no-build", "--in-memory", "--idle-timeout", "2m"}, tt.flags...)
			out, err := runFuncemu(t, "", append(args, "--", self)...)
			code := 0
			if ee, ok := err.(*exitError); ok {
				code = ee.code
			} else if err != nil {
				t.Fatalf("exec: %v\n%s", err, out)
			}
			if code != tt.wantCode {
				t.Fatalf("exit code %d, want %d\n%s", code, tt.wantCode, out)
			}
			if !strings.Contains(out, "3 failed, 1 poison messages") {
				t.Fatalf("summary does not report the poisoned job:\n%s", out)
			}
		})
	}
}
