package storage

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator/clock"
)

// eachBlobStore runs f against a file store and an in-memory store.
func eachBlobStore(t *testing.T, f func(t *testing.T, s *Store, clock *clock.Virtual)) {
	eachBlobStoreWith(t, Options{}, f)
}

// eachBlobStoreWith is eachBlobStore with base options (Clock and Path are
// set per store).
func eachBlobStoreWith(t *testing.T, base Options, f func(t *testing.T, s *Store, clock *clock.Virtual)) {
	for _, kind := range []string{"file", "memory"} {
		t.Run(kind, func(t *testing.T) {
			clock := clock.NewVirtual(time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC))
			opts := base
			opts.Clock = clock
			if kind == "file" {
				opts.Path = filepath.Join(t.TempDir(), "store.db")
			}
			s, err := Open(opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			f(t, s, clock)
		})
	}
}

const acct = "devstoreaccount1"

func mustContainer(t *testing.T, s *Store, name string) {
	t.Helper()
	if _, err := s.CreateContainer(context.Background(), acct, name, ContainerOptions{}); err != nil {
		t.Fatal(err)
	}
}

// wantErr asserts err is the store error want (the REST layer's table
// test fixes the status and code each one answers).
func wantErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
}

func countChunks(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM blob_chunks`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
