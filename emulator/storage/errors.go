package storage

import "github.com/funcemu/funcemu/emulator"

// Store errors: what went wrong, never how a protocol reports it. The REST
// layer maps each to an HTTP status, an Azure error code and message in one
// table (rest/errors.go); a test there checks that every error here has a
// row. Each unwraps to an *emulator.Error, so callers outside the REST layer
// can branch with emulator.ErrorCode.
//
// The queue's errors are *emulator.Error values; wrap them with %w to add
// detail, which clients see. The others are Faults; their detail is given
// with Fault.with, and wrapping adds nothing clients see.
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

// Request values the store checks itself, for every service.
var (
	ErrInvalidHeader     = fault(emulator.EINVALID, "invalid header value")
	ErrMissingHeader     = fault(emulator.EINVALID, "missing required header")
	ErrUnsupportedHeader = fault(emulator.EINVALID, "unsupported header")
	ErrInvalidQuery      = fault(emulator.EINVALID, "invalid query parameter value")
	ErrInvalidXML        = fault(emulator.EINVALID, "invalid XML document")
	ErrInvalidMetadata   = fault(emulator.EINVALID, "invalid metadata name")
	ErrNameLength        = fault(emulator.EINVALID, "name length out of range")
	ErrBodyTooLarge      = fault(emulator.ETOOLARGE, "request body too large")
	ErrMD5Mismatch       = fault(emulator.EINVALID, "content MD5 mismatch")
	ErrCRC64Mismatch     = fault(emulator.EINVALID, "content CRC64 mismatch")
)

// Blob service: containers, blobs, conditions, leases, copies, pages, tags.
var (
	ErrInvalidBlobName             = fault(emulator.EINVALID, "invalid container or blob name")
	ErrContainerNotFound           = fault(emulator.ENOTFOUND, "container not found")
	ErrContainerAlreadyExists      = fault(emulator.ECONFLICT, "container already exists")
	ErrBlobNotFound                = fault(emulator.ENOTFOUND, "blob not found")
	ErrBlobAlreadyExists           = fault(emulator.ECONFLICT, "blob already exists")
	ErrConditionNotMet             = fault(emulator.ECONFLICT, "condition not met")
	ErrNotModified                 = fault(emulator.ECONFLICT, "not modified")
	ErrWrongBlobType               = fault(emulator.ECONFLICT, "operation not allowed on this blob type")
	ErrTierNeedsBlockBlob          = fault(emulator.EINVALID, "access tiers apply to block blobs")
	ErrRangeNotSatisfiable         = fault(emulator.EINVALID, "range beyond the blob's size")
	ErrBlobArchived                = fault(emulator.ECONFLICT, "blob archived")
	ErrBlobSealed                  = fault(emulator.ECONFLICT, "blob sealed")
	ErrSnapshotsPresent            = fault(emulator.ECONFLICT, "blob has snapshots")
	ErrMaxSizeConditionNotMet      = fault(emulator.ECONFLICT, "max blob size condition not met")
	ErrAppendPositionNotMet        = fault(emulator.ECONFLICT, "append position condition not met")
	ErrTooManyCommittedBlocks      = fault(emulator.ECONFLICT, "too many committed blocks")
	ErrTooManyUncommittedBlocks    = fault(emulator.ECONFLICT, "too many uncommitted blocks")
	ErrInvalidBlock                = fault(emulator.EINVALID, "invalid block")
	ErrInvalidBlockID              = fault(emulator.EINVALID, "invalid block id")
	ErrInvalidBlockList            = fault(emulator.EINVALID, "invalid block list")
	ErrInvalidPageRange            = fault(emulator.EINVALID, "invalid page range")
	ErrSequenceConditionNotMet     = fault(emulator.ECONFLICT, "sequence number condition not met")
	ErrPreviousSnapshotNotFound    = fault(emulator.ENOTFOUND, "previous snapshot not found")
	ErrInvalidTag                  = fault(emulator.EINVALID, "invalid tags")
	ErrSourceConditionNotMet       = fault(emulator.ECONFLICT, "copy source condition not met")
	ErrCopySourceContainerNotFound = fault(emulator.ENOTFOUND, "copy source container not found")
	ErrCopySourceBlobNotFound      = fault(emulator.ENOTFOUND, "copy source blob not found")
	ErrCopyOntoItself              = fault(emulator.ECONFLICT, "copy source and destination are the same")
)

// Leases of blobs and containers. A write to a leased resource, or one
// naming a lease the resource lacks, fails as a blob or a container
// operation; a lease operation fails in its own words.
var (
	ErrLeaseIDMissing           = fault(emulator.ECONFLICT, "lease id missing")
	ErrLeaseLost                = fault(emulator.ECONFLICT, "lease expired")
	ErrBlobLeaseMismatch        = fault(emulator.ECONFLICT, "lease id does not match the blob's")
	ErrBlobLeaseNotPresent      = fault(emulator.ECONFLICT, "no lease on the blob")
	ErrContainerLeaseMismatch   = fault(emulator.ECONFLICT, "lease id does not match the container's")
	ErrContainerLeaseNotPresent = fault(emulator.ECONFLICT, "no lease on the container")
	ErrLeaseNotPresent          = fault(emulator.ECONFLICT, "no lease to operate on")
	ErrLeaseMismatch            = fault(emulator.ECONFLICT, "lease id does not match the lease")
	ErrLeaseAlreadyPresent      = fault(emulator.ECONFLICT, "lease already present")
	ErrLeaseBreakingAcquire     = fault(emulator.ECONFLICT, "lease is breaking and cannot be acquired")
	ErrLeaseBrokenRenew         = fault(emulator.ECONFLICT, "lease is broken and cannot be renewed")
	ErrLeaseBreakingChange      = fault(emulator.ECONFLICT, "lease is breaking and cannot be changed")
)

// Table service: tables and entities.
var (
	ErrInvalidTableName      = fault(emulator.EINVALID, "invalid table name")
	ErrTableNotFound         = fault(emulator.ENOTFOUND, "table not found")
	ErrTableAlreadyExists    = fault(emulator.ECONFLICT, "table already exists")
	ErrEntityNotFound        = fault(emulator.ENOTFOUND, "entity not found")
	ErrEntityAlreadyExists   = fault(emulator.ECONFLICT, "entity already exists")
	ErrUpdateConditionNotMet = fault(emulator.ECONFLICT, "entity ETag does not match")
	ErrInvalidKey            = fault(emulator.EINVALID, "key holds a character keys cannot hold")
	ErrKeyTooLarge           = fault(emulator.EINVALID, "key too large")
	ErrTooManyProperties     = fault(emulator.EINVALID, "too many properties")
	ErrDuplicateProperty     = fault(emulator.EINVALID, "property given twice")
	ErrPropertyValueTooLarge = fault(emulator.EINVALID, "property value too large")
	ErrEntityTooLarge        = fault(emulator.EINVALID, "entity too large")
	ErrPropertyNameTooLong   = fault(emulator.EINVALID, "property name too long")
	ErrInvalidPropertyName   = fault(emulator.EINVALID, "invalid property name")
)
