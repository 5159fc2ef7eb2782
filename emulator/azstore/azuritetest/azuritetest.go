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
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
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

// Server is a running Azurite.
type Server struct {
	BlobURL  string // http://127.0.0.1:<port>/devstoreaccount1
	QueueURL string
	TableURL string

	cmd  *exec.Cmd
	done chan struct{}
	out  *tailBuffer
}

// ConnectionString is a normal shared-key connection string for the
// server, as a user would put in AzureWebJobsStorage.
func (s *Server) ConnectionString() string {
	return fmt.Sprintf("DefaultEndpointsProtocol=http;AccountName=%s;AccountKey=%s;BlobEndpoint=%s;QueueEndpoint=%s;TableEndpoint=%s;",
		AccountName, AccountKey, s.BlobURL, s.QueueURL, s.TableURL)
}

// Stop ends the node process and waits for it.
func (s *Server) Stop() {
	if s == nil || s.cmd == nil || s.cmd.Process == nil {
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
func Shared(t testing.TB) *Server {
	t.Helper()
	shared.once.Do(func() { shared.srv, shared.err = start() })
	if shared.err != nil {
		unavailable(t, shared.err)
	}
	return shared.srv
}

// Prewarm starts the shared Azurite in the background, so its start-up
// (seconds of node) overlaps the package's other tests instead of delaying
// the first one that needs it. Call it from TestMain before m.Run. It does
// nothing when -test.run selects tests: they may need no Azurite at all,
// and Shared still starts it on first use.
func Prewarm() {
	if !flag.Parsed() {
		flag.Parse()
	}
	if f := flag.Lookup("test.run"); f != nil && f.Value.String() != "" {
		return
	}
	go shared.once.Do(func() { shared.srv, shared.err = start() })
}

// StopShared stops the server Shared or Prewarm started, if any, waiting
// for a start still under way.
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

// installScript finds .ci/azurite in the module root above the working
// directory.
func installScript() (string, error) {
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

var listening = regexp.MustCompile(`Azurite (Blob|Queue|Table) service is successfully listening at (http://\S+)`)

func start() (*Server, error) {
	entry, err := Install()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("node", entry,
		"--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
		"--blobHost", "127.0.0.1", "--blobPort", "0",
		"--queueHost", "127.0.0.1", "--queuePort", "0",
		"--tableHost", "127.0.0.1", "--tablePort", "0")
	cmd.Dir = os.TempDir()
	cmd.SysProcAttr = procAttr()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("start azurite: %w", err)
	}
	tail := &tailBuffer{}
	cmd.Stderr = tail
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start azurite: %w", err)
	}
	s := &Server{cmd: cmd, done: make(chan struct{}), out: tail}
	urls := make(chan [2]string, 3)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			_, _ = tail.Write([]byte(line + "\n"))
			if m := listening.FindStringSubmatch(line); m != nil {
				urls <- [2]string{m[1], m[2]}
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() { _ = cmd.Wait(); close(s.done) }()

	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	for s.BlobURL == "" || s.QueueURL == "" || s.TableURL == "" {
		select {
		case u := <-urls:
			switch u[0] {
			case "Blob":
				s.BlobURL = u[1] + "/" + AccountName
			case "Queue":
				s.QueueURL = u[1] + "/" + AccountName
			default:
				s.TableURL = u[1] + "/" + AccountName
			}
		case <-s.done:
			return nil, fmt.Errorf("azurite exited before listening: %s", tail.String())
		case <-ctx.Done():
			s.Stop()
			return nil, fmt.Errorf("azurite not listening after %s: %s", readyTimeout, tail.String())
		}
	}
	return s, nil
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
