package azstore

import "errors"

func asStorageError(err error, target **StorageError) bool { return errors.As(err, target) }
