package storage

import "errors"

// Store errors. The REST layer maps each to an HTTP status and an Azure
// error code in one table (rest/errors.go); wrap them with %w to add detail.
var (
	ErrInvalidName        = errors.New("invalid resource name")
	ErrInvalidInput       = errors.New("invalid input")
	ErrQueueNotFound      = errors.New("queue not found")
	ErrQueueAlreadyExists = errors.New("queue already exists")
	ErrMessageNotFound    = errors.New("message not found")
	ErrPopReceiptMismatch = errors.New("pop receipt mismatch")
	ErrMessageTooLarge    = errors.New("message too large")
	ErrOutOfRange         = errors.New("value out of range")
	ErrTooManyIdentifiers = errors.New("too many signed identifiers")
)
