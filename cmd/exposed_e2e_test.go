//go:build linux

package cmd

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/keys"
	"github.com/funcemu/funcemu/emulator/storage/rest"
)

// The tests of a funcemu exposed beyond loopback run in a network
// namespace of their own: a test re-runs itself in a new namespace whose
// loopback device also carries exposedAddr, an address from TEST-NET-1
// (RFC 5737) that exists nowhere else. funcemu sees a real non-loopback
// address, with no test seam, and nothing is reachable from outside.
const (
	inNetnsEnv  = "FUNCEMU_TEST_IN_NETNS"
	netnsBinEnv = "FUNCEMU_TEST_BIN"
	netnsAppEnv = "FUNCEMU_TEST_HELLO"
	exposedAddr = "192.0.2.1"
)

// inOwnNetns runs the calling test again in a new network namespace and
// reports whether the caller is that inner run. Root gets a plain network
// namespace; others a user namespace with it, where the system allows.
func inOwnNetns(t *testing.T) bool {
	t.Helper()
	if os.Getenv(inNetnsEnv) == "1" {
		for _, args := range [][]string{{"link", "set", "lo", "up"}, {"addr", "add", exposedAddr + "/32", "dev", "lo"}} {
			if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
				t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
			}
		}
		return true
	}
	bin, hello := binaries(t)
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), inNetnsEnv+"=1", netnsBinEnv+"="+bin, netnsAppEnv+"="+hello)
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNET}
	if os.Getuid() != 0 {
		cmd.SysProcAttr.Cloneflags |= syscall.CLONE_NEWUSER
		cmd.SysProcAttr.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getuid(), Size: 1}}
		cmd.SysProcAttr.GidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getgid(), Size: 1}}
	}
	out, err := cmd.CombinedOutput()
	if cmd.Process == nil {
		// Neither root nor unprivileged user namespaces: there is no
		// address to expose funcemu on without touching the real network.
		t.Skipf("no network namespace for this user (%v); run as root or allow user namespaces", err)
	}
	if err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("in its own network namespace: %v\n%s", err, out)
	}
	t.Logf("passed in its own network namespace:\n%s", out)
	return false
}

// launchExposed runs the funcemu binary with argv and --ready-file and
// returns its endpoints and output once ready; it is killed at the end.
func launchExposed(t *testing.T, argv ...string) (emulator.Endpoints, *syncBuffer, *syncBuffer) {
	t.Helper()
	ready := filepath.Join(t.TempDir(), "ready.json")
	cmd := exec.Command(os.Getenv(netnsBinEnv), append(argv, "--ready-file", ready)...)
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	deadline := time.Now().Add(patience)
	for {
		var e emulator.Endpoints
		if b, err := os.ReadFile(ready); err == nil && json.Unmarshal(b, &e) == nil {
			return e, stdout, stderr
		}
		select {
		case <-exited:
			t.Fatalf("funcemu %v exited before ready:\n%s\n%s", argv, stdout, stderr)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("funcemu %v not ready:\n%s\n%s", argv, stdout, stderr)
		}
	}
}

// waitForText waits until a process's output, copied in the background,
// contains want.
func waitForText(t *testing.T, out *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for !strings.Contains(out.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("output lacks %q:\n%s", want, out)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestKeysEnforcedBeyondLoopback starts funcemu on a non-loopback
// address: it warns, makes keys once, enforces them on function routes
// and the admin API, and its own CLI still works with the stored key.
func TestKeysEnforcedBeyondLoopback(t *testing.T) {
	t.Parallel()
	if !inOwnNetns(t) {
		return
	}
	// The outer run built the hello fixture.
	hello := os.Getenv(netnsAppEnv)
	app := t.TempDir()
	if err := os.CopyFS(app, os.DirFS(hello)); err != nil {
		t.Fatal(err)
	}
	e, stdout, _ := launchExposed(t, "start", app, "--address", exposedAddr, "--port", "0", "--blob-port", "0",
		"--queue-port", "0", "--no-build", "--no-tui")
	if !strings.HasPrefix(e.HTTP, "http://"+exposedAddr+":") || !strings.HasPrefix(e.Blob, "http://"+exposedAddr+":") {
		t.Fatalf("endpoints %+v, want them on %s", e, exposedAddr)
	}
	for _, want := range []string{"beyond loopback", "Function keys are enforced", "well-known development key", "New master key (shown once, kept in "} {
		waitForText(t, stdout, want)
	}
	out := stdout.String()
	path := keys.PathIn(filepath.Join(app, ".funcemu"))
	master, err := keys.ReadMaster(path)
	if err != nil || !strings.Contains(out, master) {
		t.Fatalf("master key %q (%v) not the one printed", master, err)
	}
	checkKeysEnforced(t, e.HTTP, path)

	if got := send(t, "POST", e.HTTP+"/admin/functions/hello", "", map[string]string{"Content-Type": "application/json"}, `{"input":""}`); got != http.StatusUnauthorized {
		t.Errorf("admin invoke without a key: %d, want 401", got)
	}
	if out, err := runFuncemu(t, "", "invoke", "hello", "--app", app, "--input", "cli"); err != nil {
		t.Fatalf("funcemu invoke with the stored key: %v\n%s", err, out)
	}
}

// TestStorageOnAllInterfacesPrintsReachableURLs runs funcemu storage on
// 0.0.0.0: it warns about the well-known key and prints loopback URLs and
// a connection string an SDK can use as printed.
func TestStorageOnAllInterfacesPrintsReachableURLs(t *testing.T) {
	t.Parallel()
	if !inOwnNetns(t) {
		return
	}
	e, stdout, stderr := launchExposed(t, "storage", "--address", "0.0.0.0", "--blob-port", "0", "--queue-port", "0",
		"--data-dir", t.TempDir())
	if !strings.HasPrefix(e.Blob, "http://127.0.0.1:") || !strings.HasPrefix(e.Queue, "http://127.0.0.1:") {
		t.Fatalf("endpoints %+v, want loopback URLs", e)
	}
	waitForText(t, stderr, "well-known development key (AccountKey="+rest.DevAccountKey[:12])
	var conn string
	deadline := time.Now().Add(patience)
	for conn == "" {
		for _, l := range strings.Split(stdout.String(), "\n") {
			if l = strings.TrimSpace(l); strings.HasPrefix(l, "DefaultEndpointsProtocol=") {
				conn = l
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no connection string printed:\n%s", stdout)
		}
		time.Sleep(10 * time.Millisecond)
	}
	c, err := azblob.NewClientFromConnectionString(conn, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateContainer(context.Background(), "reachable", nil); err != nil {
		t.Fatalf("the printed connection string does not work: %v\n%s", err, conn)
	}
}
