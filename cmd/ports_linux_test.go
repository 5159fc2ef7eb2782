package cmd

import (
	"os/exec"
	"testing"
)

func TestProcessNameCallsNodeRunningAzuriteAzurite(t *testing.T) {
	t.Parallel()
	// A process whose command line mentions azurite, as node running
	// azurite.js (or VS Code's extension) does.
	cmd := exec.Command("sh", "-c", "sleep 30; true", "/ext/azurite/dist/src/azurite.js")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	if got := processName(cmd.Process.Pid); got != "azurite" {
		t.Errorf("processName = %q, want azurite", got)
	}
	plain := exec.Command("sleep", "30")
	if err := plain.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { plain.Process.Kill(); plain.Wait() })
	if got := processName(plain.Process.Pid); got != "sleep" {
		t.Errorf("processName = %q, want sleep", got)
	}
}
