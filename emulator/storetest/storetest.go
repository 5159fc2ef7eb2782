// Package storetest is the contract every emulator.QueueStore and
// emulator.BlobStore must meet: the embedded store and a remote account run
// the same tests. Call TestQueueStore and TestBlobStore from a test of the
// store's package.
//
// The stores may be shared between subtests: every subtest works in its own
// queue or container with a random name.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// waitTimeout bounds readiness waits (a notification arriving); it is never
// an assertion on speed.
const waitTimeout = 30 * time.Second

// uniqueName is a valid queue or container name: lowercase letters, digits
// and dashes, 3-63 characters.
func uniqueName(t *testing.T, prefix string) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return prefix + "-" + hex.EncodeToString(b)
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// wantCode fails unless err carries the emulator error code want.
func wantCode(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := emulator.ErrorCode(err); got != want {
		t.Fatalf("%s: error code %q (%v), want %q", what, got, err, want)
	}
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}
