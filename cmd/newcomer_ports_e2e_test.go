package cmd

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestStartNamesWhoHoldsABusyPortBeforeBuilding(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	port := strconv.Itoa(busy.Addr().(*net.TCPAddr).Port)
	name := filepath.Base(os.Args[0])
	if len(name) > 15 { // the kernel's comm is the first 15 bytes of the name
		name = name[:15]
	}
	pid := strconv.Itoa(os.Getpid())
	holder := " by " + name + " (pid " + pid + ")"

	dir := appCopy(t) // a Go module: start would build it first
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"blob port", []string{"--blob-port", port, "--queue-port", "0", "--port", "0"},
			[]string{"port " + port + " for the Blob service is in use" + holder, "--blob-port 0 --queue-port 0", "--storage remote"}},
		{"queue port", []string{"--blob-port", "0", "--queue-port", port, "--port", "0"},
			[]string{"port " + port + " for the Queue service is in use" + holder}},
		{"http port", []string{"--blob-port", "0", "--queue-port", "0", "--port", port},
			[]string{"Port " + port + " is unavailable (held by " + name + ", pid " + pid + "). Close the process using that port, or specify another port using --port [-p]."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runExit(t, append([]string{"start", dir, "--no-tui"}, tc.args...)...)
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr %q", code, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
			if strings.Contains(stdout, "Build started") {
				t.Errorf("built before checking the ports:\n%s", stdout)
			}
		})
	}
}

func TestStorageNamesWhoHoldsABusyPort(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	port := strconv.Itoa(busy.Addr().(*net.TCPAddr).Port)
	code, _, stderr := runExit(t, "storage", "--in-memory", "--blob-port", port, "--queue-port", "0")
	holder := ", pid " + strconv.Itoa(os.Getpid()) + ")"
	if code != 1 || !strings.Contains(stderr, "--blob-port:") || !strings.Contains(stderr, "(held by ") || !strings.Contains(stderr, holder) {
		t.Fatalf("exit %d, stderr %q; want 1, the flag and the holder", code, stderr)
	}
}
