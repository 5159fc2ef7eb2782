package cmd

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/journal"
)

// otherUser is who runs funcemu in the permission tests: as root, the
// nobody user (root ignores file modes); otherwise the test's own user,
// whom the modes below deny just as well.
func otherUser(cmd *exec.Cmd) {
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
}

// openToOthers lets other users reach paths: each and its parents up to
// the temporary folder become traversable.
func openToOthers(t *testing.T, paths ...string) {
	t.Helper()
	stop := filepath.Clean(os.TempDir())
	for _, p := range paths {
		for p = filepath.Clean(p); p != stop && p != "/" && p != "."; p = filepath.Dir(p) {
			if err := os.Chmod(p, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// funcemuAs runs the funcemu binary as the other user to its end.
func funcemuAs(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	bin, _ := binaries(t)
	openToOthers(t, filepath.Dir(bin))
	cmd := exec.Command(bin, args...)
	otherUser(cmd)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), out.String(), errb.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, out.String(), errb.String()
	case <-time.After(patience):
		cmd.Process.Kill()
		t.Fatal("funcemu did not exit")
		return 0, "", ""
	}
}

// seedJournal makes dir/journal.db holding one Hello invocation.
func seedJournal(t *testing.T, dir string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := journal.PathIn(dir)
	j, err := journal.Open(journal.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	inv := &emulator.Invocation{ID: "11111111-hello", Function: "Hello", Trigger: emulator.TriggerHTTP,
		Start: now, End: now.Add(time.Millisecond), Status: emulator.StatusSucceeded}
	if err := j.Record(context.Background(), emulator.Event{Kind: emulator.EventInvocationFinished, Invocation: inv}); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestEventsListReadsAReadOnlyJournal: a journal in a folder the reader
// may not write is listed, and not changed.
func TestEventsListReadsAReadOnlyJournal(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	path := seedJournal(t, dir)
	before, _ := os.ReadFile(path)
	openToOthers(t, dir)
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	code, out, stderr := funcemuAs(t, "events", "list", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "11111111") {
		t.Fatalf("events list on a read-only journal: exit %d\n%s%s", code, out, stderr)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("reading changed the journal")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("reading left files beside the journal: %v", entries)
	}
}

// TestUnreadableJournalIsAPermissionProblem: a journal the reader may not
// read is reported as such, not as a missing journal.
func TestUnreadableJournalIsAPermissionProblem(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	path := seedJournal(t, dir)
	openToOthers(t, dir)
	if err := os.Chmod(path, 0o000); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := funcemuAs(t, "events", "list", "--data-dir", dir)
	want := fmt.Sprintf("funcemu: journal: cannot read %s: permission denied\n", path)
	if code != 1 || stderr != want {
		t.Fatalf("exit %d, stderr %q; want 1 and %q", code, stderr, want)
	}
}

// TestDataFolderFaults: a folder that cannot be created or written, and
// one locked by another user's funcemu, each end start at once with one
// line naming the folder and what to do.
func TestDataFolderFaults(t *testing.T) {
	t.Parallel()
	app := helloCopy(t)
	base := t.TempDir()
	file := filepath.Join(base, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	readOnly := filepath.Join(base, "read-only")
	if err := os.Mkdir(readOnly, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(readOnly, 0o755) })
	locked := filepath.Join(base, "locked")
	holder := launchProcess(t, []string{"start", app, "--port", "0", "--no-build", "--no-tui", "--data-dir", locked})
	openToOthers(t, app, base, locked)

	start := []string{"start", app, "--port", "0", "--blob-port", "0", "--queue-port", "0", "--no-build", "--no-tui", "--data-dir"}
	for _, tt := range []struct {
		dir, want string
	}{
		{filepath.Join(file, "data"), "funcemu: cannot create data folder " + filepath.Join(file, "data") +
			": not a directory: use another --data-dir or --in-memory\n"},
		{readOnly, "funcemu: cannot write data folder " + readOnly +
			": permission denied: get write access to it, or use another --data-dir or --in-memory\n"},
		{locked, fmt.Sprintf("funcemu: %s is in use by funcemu pid %d (%s); stop it, or use --data-dir or --in-memory\n",
			locked, holder.pid, holder.url)},
	} {
		code, _, stderr := funcemuAs(t, append(start, tt.dir)...)
		if code != 1 || stderr != tt.want {
			t.Errorf("--data-dir %s: exit %d, stderr\n%q\nwant exit 1 and\n%q", tt.dir, code, stderr, tt.want)
		}
	}
}

// TestJournalFromANewerFuncemu: start and events refuse a journal whose
// schema is ahead of this funcemu's, and leave it as it was.
func TestJournalFromANewerFuncemu(t *testing.T) {
	t.Parallel()
	app := helloCopy(t)
	dir := filepath.Join(t.TempDir(), "data")
	path := seedJournal(t, dir)
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_future.sql')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, _ := os.ReadFile(path)
	want := "is written by a newer funcemu (schema version 9999, this funcemu knows up to "
	for _, args := range [][]string{
		{"start", app, "--port", "0", "--blob-port", "0", "--queue-port", "0", "--no-build", "--no-tui", "--data-dir", dir},
		{"events", "list", "--data-dir", dir},
	} {
		code, stderr := funcemuExit(t, args...)
		if code != 1 || !strings.HasPrefix(stderr, "funcemu: journal "+path+" "+want) ||
			!strings.HasSuffix(stderr, "): upgrade funcemu, or use another --data-dir\n") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%s: exit %d, stderr %q", args[0], code, stderr)
		}
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("the newer journal was changed")
	}
}
