package storage

import (
	"fmt"

	"github.com/funcemu/funcemu/emulator"
)

// A Fault is one thing that can go wrong in the store, in the store's own
// words ("blob not found", "lease id missing"), never in a protocol's: the
// REST layer maps each to an HTTP status, Azure's error code and message in
// one table (rest/errors.go). The Faults are the Err sentinels of errors.go,
// compared with errors.Is; with gives one that carries the specifics of an
// occurrence (the header, name or value at fault), which the REST layer
// puts into Azure's message. Context wrapped around a Fault with %w never
// reaches clients. A Fault unwraps to an *emulator.Error of its kind, so
// code outside storage branches with emulator.ErrorCode.
type Fault struct {
	kind     *emulator.Error
	sentinel *Fault // itself for a sentinel
	detail   string
}

func fault(kind, words string) *Fault {
	f := &Fault{kind: &emulator.Error{Code: kind, Message: words}}
	f.sentinel = f
	return f
}

// with returns the Fault carrying the specifics of one occurrence.
func (f *Fault) with(format string, args ...any) *Fault {
	return &Fault{kind: f.kind, sentinel: f.sentinel, detail: fmt.Sprintf(format, args...)}
}

func (f *Fault) Error() string {
	if f.detail == "" {
		return f.kind.Message
	}
	return f.kind.Message + ": " + f.detail
}

// Unwrap gives the transport-independent kind of the failure.
func (f *Fault) Unwrap() error { return f.kind }

// Is matches the sentinel f was made from.
func (f *Fault) Is(target error) bool {
	t, ok := target.(*Fault)
	return ok && t == f.sentinel
}

// Sentinel is the Err value f was made from.
func (f *Fault) Sentinel() *Fault { return f.sentinel }

// Detail is the specifics f carries, "" for none.
func (f *Fault) Detail() string { return f.detail }
