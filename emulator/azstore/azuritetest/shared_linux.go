package azuritetest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// On Linux the test binaries of one user share an Azurite: a `go test
// ./...` runs several packages at once, and each used to start node for
// seconds of CPU. The server belongs to a keeper, a test binary started
// again with keeperEnv set, in a session of its own; node is its child
// and dies with it (parent-death signal). Everything is coordinated with
// flock(2) in a folder of the temp dir, so the kernel releases a test
// binary's share however it ends (a test timeout, SIGKILL):
//
//   - start.lock: held by one binary at a time while it finds or starts
//     the server, so two never start one each.
//   - users.lock: every binary using the server holds it shared; the
//     keeper waits to hold it exclusively, which it gets once the last
//     user is gone, and then stops node and exits.
//   - accounts: how many accounts the server's binaries took, each a
//     new one, so binaries sharing the server never see each other's
//     containers, queues or tables, nor those a binary before them left.
//   - server.json: the keeper's pid and the services' URLs, written
//     once node listens.
//   - parents/<pid>: the go commands that ran the users (a test binary
//     whose parent is `go`). While one still runs, the keeper keeps node
//     for the packages it has yet to test: a `go test ./...` starts node
//     once even when its packages using Azurite do not overlap.
//
// No process outlives its users and their go commands: the keeper ends
// when they are gone, and node ends with the keeper.

// keeperEnv, set to the coordination folder, starts a test binary as the
// keeper; keeperEntryEnv is the Azurite entry script it runs.
const (
	keeperEnv      = "FUNCEMU_AZURITE_KEEPER"
	keeperEntryEnv = "FUNCEMU_AZURITE_ENTRY"
)

// sharedAccounts is how many test binaries one server serves; a binary
// that finds them all taken starts a server of its own.
const sharedAccounts = 64

func sharedAccount(n int) string { return fmt.Sprintf("funcemutest%d", n) }

// keeperInfo is server.json.
type keeperInfo struct {
	Keeper   int         `json:"keeper"`
	Services serviceURLs `json:"services"`
}

// acquire returns an account on the shared server, starting the server
// (its keeper) when none runs.
func acquire(entry string) (*Server, error) {
	dir, err := coordinationDir(entry)
	if err != nil {
		return startNode(entry)
	}
	start, err := lockFile(filepath.Join(dir, "start.lock"), syscall.LOCK_EX)
	if err != nil {
		return nil, err
	}
	defer start.Close()
	// Blocks while a keeper whose users are gone stops its server.
	users, err := lockFile(filepath.Join(dir, "users.lock"), syscall.LOCK_SH)
	if err != nil {
		return nil, err
	}
	registerParent(dir)
	info, ok := runningKeeper(dir)
	if !ok {
		if info, err = startKeeper(dir, entry); err != nil {
			users.Close()
			return nil, err
		}
	}
	account, ok := takeAccount(dir, info.Keeper)
	if !ok {
		users.Close()
		return startNode(entry)
	}
	s := &Server{services: info.Services, release: func() { users.Close() }}
	s.useAccount(account)
	return s, nil
}

// coordinationDir is the folder of the lock files, one per user and
// Azurite install.
func coordinationDir(entry string) (string, error) {
	sum := sha256.Sum256([]byte(entry))
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("funcemu-azurite-%d-%s", os.Getuid(), hex.EncodeToString(sum[:6])))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	return dir, nil
}

// lockFile opens (creating) path and flocks it with how.
func lockFile(path string, how int) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("azurite: %w", err)
	}
	if err := flock(f, how); err != nil {
		f.Close()
		return nil, fmt.Errorf("azurite: lock %s: %w", path, err)
	}
	return f, nil
}

func flock(f *os.File, how int) error {
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

// takeAccount takes the next account of keeper's server, never one an
// earlier binary used; the caller holds start.lock.
func takeAccount(dir string, keeper int) (string, bool) {
	path := filepath.Join(dir, "accounts")
	var owner, taken int
	if b, err := os.ReadFile(path); err == nil {
		fmt.Sscan(string(b), &owner, &taken)
	}
	if owner != keeper {
		taken = 0 // a new server
	}
	if taken >= sharedAccounts {
		return "", false
	}
	taken++
	if os.WriteFile(path, []byte(fmt.Sprintf("%d %d\n", keeper, taken)), 0o600) != nil {
		return "", false
	}
	return sharedAccount(taken), true
}

// runningKeeper reads server.json and checks that its keeper lives and its
// Blob service answers: a keeper killed before it could remove the file
// leaves it behind.
func runningKeeper(dir string) (keeperInfo, bool) {
	var info keeperInfo
	b, err := os.ReadFile(filepath.Join(dir, "server.json"))
	if err != nil || json.Unmarshal(b, &info) != nil || info.Keeper <= 0 {
		return info, false
	}
	if syscall.Kill(info.Keeper, 0) != nil {
		return info, false
	}
	u, err := url.Parse(info.Services.Blob)
	if err != nil {
		return info, false
	}
	c, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		return info, false
	}
	c.Close()
	return info, true
}

// startKeeper starts this test binary again as the keeper and waits for
// its server.json. The caller holds start.lock and a share of users.lock,
// so the keeper cannot stop before the caller is done with it.
func startKeeper(dir, entry string) (keeperInfo, error) {
	self, err := os.Executable()
	if err != nil {
		return keeperInfo{}, fmt.Errorf("azurite keeper: %w", err)
	}
	infoPath := filepath.Join(dir, "server.json")
	os.Remove(infoPath)
	// The log keeps each keeper's lines (its CPU time at exit), restarted
	// when it grows large.
	logPath := filepath.Join(dir, "keeper.log")
	flags := os.O_WRONLY | os.O_CREATE | os.O_APPEND
	if fi, err := os.Stat(logPath); err == nil && fi.Size() > 64<<10 {
		flags |= os.O_TRUNC
	}
	log, err := os.OpenFile(logPath, flags, 0o600)
	if err != nil {
		return keeperInfo{}, fmt.Errorf("azurite keeper: %w", err)
	}
	defer log.Close()
	logStart, _ := log.Seek(0, io.SeekEnd)
	cmd := exec.Command(self)
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), keeperEnv+"="+dir, keeperEntryEnv+"="+entry)
	// No stdin or stdout of ours: go test waits for its test binary's
	// output to close, which the keeper must never delay.
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return keeperInfo{}, fmt.Errorf("azurite keeper: %w", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	deadline := time.Now().Add(readyTimeout)
	for {
		var info keeperInfo
		if b, err := os.ReadFile(infoPath); err == nil && json.Unmarshal(b, &info) == nil && info.Keeper == cmd.Process.Pid {
			return info, nil
		}
		select {
		case <-exited:
			b, _ := os.ReadFile(logPath)
			if int64(len(b)) >= logStart {
				b = b[logStart:]
			}
			return keeperInfo{}, fmt.Errorf("azurite keeper exited: %s", strings.TrimSpace(string(b)))
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			return keeperInfo{}, fmt.Errorf("azurite not listening after %s", readyTimeout)
		}
	}
}

// keep is the keeper: it starts node with the shared accounts, publishes
// server.json, waits until no test binary uses the server and stops it.
func keep() int {
	dir, entry := os.Getenv(keeperEnv), os.Getenv(keeperEntryEnv)
	users, err := os.OpenFile(filepath.Join(dir, "users.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	srv, err := startNode(entry, "AZURITE_ACCOUNTS="+accountsSetting())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer logCPU()
	defer srv.Stop()
	b, err := json.Marshal(keeperInfo{Keeper: os.Getpid(), Services: srv.services})
	if err == nil {
		tmp := filepath.Join(dir, fmt.Sprintf("server.json.%d", os.Getpid()))
		if err = os.WriteFile(tmp, b, 0o600); err == nil {
			err = os.Rename(tmp, filepath.Join(dir, "server.json"))
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// The exclusive lock is granted once the last user's share is gone.
	// While a go command that ran users still runs, it is let go again
	// for the binaries that command has yet to start. Once the keeper
	// keeps it, a binary arriving waits on its shared lock until the
	// keeper has exited, then starts a new server.
	for {
		if err := flock(users, syscall.LOCK_EX); err != nil {
			fmt.Fprintln(os.Stderr, err)
			break
		}
		if !parentRuns(dir) {
			break
		}
		_ = flock(users, syscall.LOCK_UN)
		time.Sleep(parentPoll)
	}
	os.Remove(filepath.Join(dir, "server.json"))
	return 0
}

// parentPoll is how often an idle keeper checks its users' go commands.
const parentPoll = 250 * time.Millisecond

// registerParent records the go command that runs this test binary, if
// that is what its parent is.
func registerParent(dir string) {
	ppid := os.Getppid()
	if !isGoCommand(ppid) {
		return
	}
	parents := filepath.Join(dir, "parents")
	if os.MkdirAll(parents, 0o700) == nil {
		_ = os.WriteFile(filepath.Join(parents, strconv.Itoa(ppid)), nil, 0o600)
	}
}

// parentRuns reports whether a go command recorded in parents/ still
// runs, forgetting those that ended.
func parentRuns(dir string) bool {
	parents := filepath.Join(dir, "parents")
	entries, _ := os.ReadDir(parents)
	runs := false
	for _, e := range entries {
		if pid, err := strconv.Atoi(e.Name()); err == nil && isGoCommand(pid) {
			runs = true
			continue
		}
		os.Remove(filepath.Join(parents, e.Name()))
	}
	return runs
}

func isGoCommand(pid int) bool {
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	return err == nil && strings.TrimSpace(string(comm)) == "go"
}

// logCPU writes the CPU time the keeper and node used to keeper.log: a
// test run timed from go test counts neither, as they outlive the test
// binary that started them.
func logCPU() {
	var self, node syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &self) != nil || syscall.Getrusage(syscall.RUSAGE_CHILDREN, &node) != nil {
		return
	}
	secs := func(tv syscall.Timeval) float64 { return float64(tv.Sec) + float64(tv.Usec)/1e6 }
	fmt.Printf("azurite keeper %d: %.2fs user %.2fs sys (node %.2fs user %.2fs sys)\n", os.Getpid(),
		secs(self.Utime)+secs(node.Utime), secs(self.Stime)+secs(node.Stime), secs(node.Utime), secs(node.Stime))
}

// accountsSetting is AZURITE_ACCOUNTS: the development account and the
// shared accounts, all with the development key.
func accountsSetting() string {
	accounts := []string{AccountName + ":" + AccountKey}
	for n := 1; n <= sharedAccounts; n++ {
		accounts = append(accounts, sharedAccount(n)+":"+AccountKey)
	}
	return strings.Join(accounts, ";")
}
