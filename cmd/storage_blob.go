package cmd

import (
	"github.com/funcemu/funcemu/emulator/storage"
	"github.com/funcemu/funcemu/emulator/storage/rest"
)

// blobService is the Blob service, or nil while it is not built in.
func blobService(*storage.Store) rest.Service { return nil }
