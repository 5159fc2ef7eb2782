package storetest_test

import (
	"testing"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/bindings/storetest"
	contract "github.com/funcemu/funcemu/emulator/storetest"
)

// The fakes keep the contract every real store keeps, so the trigger
// tests built on them mean something.
func TestQueuesKeepTheStoreContract(t *testing.T) {
	contract.TestQueueStore(t, func(*testing.T) emulator.QueueStore { return storetest.NewQueues(emulator.SystemClock{}) })
}

func TestBlobsKeepTheStoreContract(t *testing.T) {
	contract.TestBlobStore(t, func(*testing.T) emulator.BlobStore { return storetest.NewBlobs(emulator.SystemClock{}) })
}
