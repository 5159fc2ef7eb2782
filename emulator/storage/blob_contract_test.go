package storage

import (
	"path/filepath"
	"testing"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/storetest"
)

// The embedded blobs meet the contract every emulator.BlobStore meets.
func TestBlobStoreContract(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"file", "memory"} {
		t.Run(kind, func(t *testing.T) {
			storetest.TestBlobStore(t, func(t *testing.T) emulator.BlobStore {
				opts := Options{}
				if kind == "file" {
					opts.Path = filepath.Join(t.TempDir(), "store.db")
				}
				s, err := Open(opts)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s.BlobStore("devstoreaccount1")
			})
		})
	}
}
