// Package azuritetest starts a real Azurite (installed from npm by the
// repository's .ci/azurite script) for tests that must run against
// something other than funcemu's own store.
//
// Azurite listens on loopback on ports the OS picks, keeps everything in
// memory and accepts every x-ms-version. When npm is missing the tests that
// need it are skipped, unless the CI environment variable is set: then they
// fail, so a broken CI machine never passes silently.
package azuritetest

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// AccountName and AccountKey are Azurite's well-known development account.
const (
	AccountName = "devstoreaccount1"
	AccountKey  = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)

// readyTimeout bounds Azurite's start-up (3 s on an idle machine, over 30 s
// on a loaded one); it is a readiness wait, not an assertion on speed.
const readyTimeout = 3 * time.Minute

// Server is a running Azurite, or one account of an Azurite shared by
// several test binaries.
type Server struct {
	// Account is the storage account the test binary uses, with the key
	// AccountKey: AccountName on a server of its own, one of the
	// server's other accounts on a shared one, so test binaries sharing a
	// server never see each other's containers, queues or tables.
	Account  string
	BlobURL  string // http://127.0.0.1:<port>/<account>
	QueueURL string
	TableURL string

	services serviceURLs // without the account
	cmd      *exec.Cmd   // the node process, when this binary started it
	done     chan struct{}
	out      *tailBuffer
	release  func() // ends this binary's use of a shared server
}

// serviceURLs are the base URLs Azurite's three services listen at.
type serviceURLs struct {
	Blob, Queue, Table string
}

func (s *Server) useAccount(account string) {
	s.Account = account
	s.BlobURL = s.services.Blob + "/" + account
	s.QueueURL = s.services.Queue + "/" + account
	s.TableURL = s.services.Table + "/" + account
}

// ConnectionString is a normal shared-key connection string for the
// server, as a user would put in AzureWebJobsStorage.
func (s *Server) ConnectionString() string {
	return fmt.Sprintf("DefaultEndpointsProtocol=http;AccountName=%s;AccountKey=%s;BlobEndpoint=%s;QueueEndpoint=%s;TableEndpoint=%s;",
		s.Account, AccountKey, s.BlobURL, s.QueueURL, s.TableURL)
}

// Stop ends this binary's use of the server: it stops the node process it
// started and waits for it, or releases its share of a shared one (whose
// keeper stops it when no test binary uses it any more).
func (s *Server) Stop() {
	if s == nil {
		return
	}
	if s.release != nil {
		s.release()
		return
	}
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

var shared struct {
	once sync.Once
	srv  *Server
	err  error
}

// Shared returns one Azurite for the whole test binary, started on first
// use. Call StopShared from TestMain after m.Run.
//
// Where the platform allows (see acquire), test binaries running at the
// same time share one server, each with an account of its own: a
// `go test ./...` starts node once instead of once per package.
func Shared(t testing.TB) *Server {
	t.Helper()
	shared.once.Do(startShared)
	if shared.err != nil {
		unavailable(t, shared.err)
	}
	return shared.srv
}

// Prewarm starts the shared Azurite in the background, so its start-up
// (seconds of node) overlaps the package's other tests instead of delaying
// the first one that needs it. Call it first in TestMain, before m.Run. It
// does nothing when -test.run selects tests: they may need no Azurite at
// all, and Shared still starts it on first use.
//
// In a test binary started as the keeper of a shared server (see acquire)
// it runs the keeper and exits instead.
func Prewarm() {
	if os.Getenv(keeperEnv) != "" {
		os.Exit(keep())
	}
	canKeep.Store(true)
	// Found now, before any test changes the working directory.
	_, _ = installScript()
	if !flag.Parsed() {
		flag.Parse()
	}
	if f := flag.Lookup("test.run"); f != nil && f.Value.String() != "" {
		return
	}
	go shared.once.Do(startShared)
}

// canKeep is set by Prewarm: only a binary whose TestMain calls it can be
// started again as a keeper; others start a server of their own.
var canKeep atomic.Bool

func startShared() {
	entry, err := Install()
	if err != nil {
		shared.err = err
		return
	}
	if !canKeep.Load() {
		shared.srv, shared.err = startNode(entry)
		return
	}
	shared.srv, shared.err = acquire(entry)
}

// StopShared ends the binary's use of the server Shared or Prewarm
// started, if any, waiting for a start still under way (see Server.Stop).
func StopShared() {
	shared.once.Do(func() {})
	shared.srv.Stop()
}

// errNoNode means Azurite cannot be installed or run here.
var errNoNode = errors.New("node and npm are not installed")

func unavailable(t testing.TB, err error) {
	t.Helper()
	if errors.Is(err, errNoNode) && os.Getenv("CI") == "" {
		t.Skipf("azurite: %v (set CI to make this a failure)", err)
	}
	t.Fatalf("azurite: %v", err)
}

// Install runs .ci/azurite and returns the path of azurite.js.
func Install() (string, error) {
	if _, err := exec.LookPath("node"); err != nil {
		return "", errNoNode
	}
	script, err := installScript()
	if err != nil {
		return "", err
	}
	cmd := exec.Command(script)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if strings.Contains(stderr.String(), "npm is not installed") {
			return "", errNoNode
		}
		return "", fmt.Errorf("%s: %w: %s", script, err, strings.TrimSpace(stderr.String()))
	}
	entry := strings.TrimSpace(string(out))
	if _, err := os.Stat(entry); err != nil {
		return "", fmt.Errorf("%s printed %q: %w", script, entry, err)
	}
	return entry, nil
}

var script struct {
	once sync.Once
	path string
	err  error
}

// installScript finds .ci/azurite in the module root above the working
// directory, once: tests may change the working directory later.
func installScript() (string, error) {
	script.once.Do(func() { script.path, script.err = findInstallScript() })
	return script.path, script.err
}

func findInstallScript() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find .ci/azurite: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, ".ci", "azurite"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("find .ci/azurite: no go.mod above the working directory")
		}
		dir = parent
	}
}

// tailBuffer keeps the last few KiB of Azurite's output for error messages.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > 4096 {
		b.buf = b.buf[len(b.buf)-4096:]
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.TrimSpace(string(b.buf))
}
