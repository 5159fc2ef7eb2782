package datadir

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

const holdEnv = "FUNCEMU_DATADIR_TEST_HOLD"

// TestMain lets the test binary hold a lock in a child process.
func TestMain(m *testing.M) {
	if dir := os.Getenv(holdEnv); dir != "" {
		if _, err := Acquire(dir); err != nil {
			os.Stderr.WriteString(err.Error())
			os.Exit(2)
		}
		os.Stdout.WriteString("held\n")
		select {} // until killed
	}
	os.Exit(m.Run())
}

func TestSecondAcquireFailsAtOnce(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	l, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Acquire(dir)
	var inUse *InUseError
	if !errors.As(err, &inUse) || inUse.PID != os.Getpid() || inUse.Dir != dir {
		t.Fatalf("second acquire: %v, want in use by pid %d", err, os.Getpid())
	}
	l.Release()
	l2, err := Acquire(dir)
	if err != nil {
		t.Fatalf("acquire after release: %v", err)
	}
	l2.Release()
}

// TestKilledHolderLeavesNoStaleLock kills (SIGKILL) a process holding the
// lock; the folder can be locked again at once.
func TestKilledHolderLeavesNoStaleLock(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), holdEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	if _, err := out.Read(buf); err != nil || string(buf) != "held\n" {
		cmd.Process.Kill()
		t.Fatalf("child did not take the lock: %q %v", buf, err)
	}
	_, err = Acquire(dir)
	var inUse *InUseError
	if !errors.As(err, &inUse) || inUse.PID != cmd.Process.Pid {
		cmd.Process.Kill()
		t.Fatalf("while the child holds it: %v, want in use by pid %d", err, cmd.Process.Pid)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	l, err := Acquire(dir)
	if err != nil {
		t.Fatalf("after kill -9: %v", err)
	}
	defer l.Release()
	b, _ := os.ReadFile(filepath.Join(dir, LockFileName))
	if string(b) != strconv.Itoa(os.Getpid())+"\n" {
		t.Fatalf("lock file holds %q, want this pid", b)
	}
}

func TestFolderThatCannotBeCreated(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(file, "data")
	_, err := Acquire(dir)
	var ae *AccessError
	if !errors.As(err, &ae) || ae.Dir != dir {
		t.Fatalf("err = %v, want an AccessError for %s", err, dir)
	}
	if want := "cannot create data folder " + dir + ": not a directory"; err.Error() != want {
		t.Fatalf("error %q, want %q", err, want)
	}
}
