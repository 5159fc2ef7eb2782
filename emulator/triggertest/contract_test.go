package triggertest_test

import (
	"testing"

	"github.com/funcemu/funcemu/emulator"
	contract "github.com/funcemu/funcemu/emulator/storetest"
	"github.com/funcemu/funcemu/emulator/triggertest"
)

// The fakes keep the contract every real store keeps, so the trigger
// tests built on them mean something.
func TestQueuesKeepTheStoreContract(t *testing.T) {
	contract.TestQueueStore(t, func(*testing.T) emulator.QueueStore { return triggertest.NewQueues(emulator.SystemClock{}) })
}

func TestBlobsKeepTheStoreContract(t *testing.T) {
	contract.TestBlobStore(t, func(*testing.T) emulator.BlobStore { return triggertest.NewBlobs(emulator.SystemClock{}) })
}
