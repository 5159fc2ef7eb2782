package storage

import (
	"testing"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/storetest"
)

// The embedded queues meet the contract every emulator.QueueStore meets.
func TestQueueStoreContract(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"file", "memory"} {
		t.Run(kind, func(t *testing.T) {
			s, _ := openQueueTestStore(t, kind)
			storetest.TestQueueStore(t, func(*testing.T) emulator.QueueStore { return s.QueueStore("devstoreaccount1") })
		})
	}
}
