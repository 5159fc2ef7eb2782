// Package datadir gives a funcemu data folder one owner: an OS file lock
// on <dir>/funcemu.lock, held while funcemu runs and released by the OS
// when the process ends, however it ends (kill -9 included), so a lock is
// never stale.
package datadir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// LockFileName is the lock file inside a data folder. It holds the owner's
// process id; it is left in place when released (removing it would let
// two processes lock two different files of the same name).
const LockFileName = "funcemu.lock"

// InUseError reports a data folder another funcemu holds.
type InUseError struct {
	Dir string
	PID int // 0 when the holder has not written it yet
}

func (e *InUseError) Error() string {
	return fmt.Sprintf("%s is in use by funcemu pid %d", e.Dir, e.PID)
}

// AccessError reports a data folder funcemu cannot create or write.
type AccessError struct {
	Dir string
	Err error
}

func (e *AccessError) Error() string {
	verb := "write"
	if errors.Is(e.Err, fs.ErrNotExist) || errors.Is(e.Err, errCreate) {
		verb = "create"
	}
	return fmt.Sprintf("cannot %s data folder %s: %v", verb, e.Dir, unwrapPath(e.Err))
}

func (e *AccessError) Unwrap() error { return e.Err }

var errCreate = errors.New("create")

// unwrapPath drops the path an *fs.PathError repeats.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Lock is a held data folder.
type Lock struct {
	dir string
	f   *os.File
}

// Acquire creates dir if needed and locks it for this process; it fails
// at once, without waiting, with an *InUseError when another process holds
// it, or an *AccessError when the folder cannot be created or written.
func Acquire(dir string) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, &AccessError{Dir: dir, Err: fmt.Errorf("%w: %w", errCreate, err)}
	}
	path := filepath.Join(dir, LockFileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if errors.Is(err, fs.ErrPermission) {
		// Perhaps another user's funcemu holds it: say so rather than
		// "permission denied" when the lock can be tested.
		if ro, rerr := os.Open(path); rerr == nil {
			held := tryLock(ro) != nil
			ro.Close()
			if held {
				return nil, &InUseError{Dir: dir, PID: readPID(path)}
			}
		}
		return nil, &AccessError{Dir: dir, Err: err}
	}
	if err != nil {
		return nil, &AccessError{Dir: dir, Err: err}
	}
	if err := tryLock(f); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, &InUseError{Dir: dir, PID: readPID(path)}
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := writePID(f); err != nil {
		unlock(f)
		f.Close()
		return nil, &AccessError{Dir: dir, Err: err}
	}
	return &Lock{dir: dir, f: f}, nil
}

// Dir is the locked folder.
func (l *Lock) Dir() string { return l.dir }

// Release unlocks the folder.
func (l *Lock) Release() {
	if l == nil || l.f == nil {
		return
	}
	unlock(l.f)
	l.f.Close()
	l.f = nil
}

func writePID(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return err
}

func readPID(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}
