package storage

import "github.com/funcemu/funcemu/emulator"

// Store errors. Each is an *emulator.Error, so callers outside the REST
// layer can branch with emulator.ErrorCode; the REST layer maps each to an
// HTTP status and an Azure error code in one table (rest/errors.go). Wrap
// them with %w to add detail.
var (
	ErrInvalidName        = &emulator.Error{Code: emulator.EINVALID, Message: "invalid resource name"}
	ErrInvalidInput       = &emulator.Error{Code: emulator.EINVALID, Message: "invalid input"}
	ErrOutOfRange         = &emulator.Error{Code: emulator.EINVALID, Message: "value out of range"}
	ErrTooManyIdentifiers = &emulator.Error{Code: emulator.EINVALID, Message: "too many signed identifiers"}
	ErrQueueNotFound      = &emulator.Error{Code: emulator.ENOTFOUND, Message: "queue not found"}
	ErrQueueAlreadyExists = &emulator.Error{Code: emulator.ECONFLICT, Message: "queue already exists"}
	ErrMessageNotFound    = &emulator.Error{Code: emulator.ENOTFOUND, Message: "message not found"}
	ErrPopReceiptMismatch = &emulator.Error{Code: emulator.ECONFLICT, Message: "pop receipt mismatch"}
	ErrMessageTooLarge    = &emulator.Error{Code: emulator.ETOOLARGE, Message: "message too large"}
)
