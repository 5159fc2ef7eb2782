package storage

import (
	"fmt"

	"github.com/funcemu/funcemu/emulator"
)

// ServiceError is a failure the storage services report to clients as
// Azure does: an HTTP status and an Azure error code ("BlobNotFound",
// "LeaseIdMissing", ...). It unwraps to an *emulator.Error whose kind follows
// the status, so code outside the REST layer can branch with
// emulator.ErrorCode.
type ServiceError struct {
	Status  int
	Code    string
	Message string
}

func (e *ServiceError) Error() string { return e.Code + ": " + e.Message }

// Unwrap gives the transport-independent kind of the failure.
func (e *ServiceError) Unwrap() error {
	return &emulator.Error{Code: kindOfStatus(e.Status), Message: e.Message}
}

func kindOfStatus(status int) string {
	switch {
	case status == 404:
		return emulator.ENOTFOUND
	case status == 409 || status == 412 || status == 304:
		return emulator.ECONFLICT
	case status == 413:
		return emulator.ETOOLARGE
	case status == 403 || status == 401:
		return emulator.EUNAUTHORIZED
	case status >= 400 && status < 500:
		return emulator.EINVALID
	case status == 501 || status == 503:
		return emulator.EUNAVAILABLE
	}
	return emulator.EINTERNAL
}

func svcErr(status int, code, format string, args ...any) *ServiceError {
	return &ServiceError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Errors of the blob service, with Azure's messages.
func errContainerNotFound() *ServiceError {
	return svcErr(404, "ContainerNotFound", "The specified container does not exist.")
}
func errContainerExists() *ServiceError {
	return svcErr(409, "ContainerAlreadyExists", "The specified container already exists.")
}
func errBlobNotFound() *ServiceError {
	return svcErr(404, "BlobNotFound", "The specified blob does not exist.")
}
func errBlobExists() *ServiceError {
	return svcErr(409, "BlobAlreadyExists", "The specified blob already exists.")
}
func errConditionNotMet() *ServiceError {
	return svcErr(412, "ConditionNotMet", "The condition specified using HTTP conditional header(s) is not met.")
}
func errNotModified() *ServiceError {
	return svcErr(304, "ConditionNotMet", "The condition specified using HTTP conditional header(s) is not met.")
}
func errInvalidBlobType() *ServiceError {
	return svcErr(409, "InvalidBlobType", "The blob type is invalid for this operation.")
}
func errInvalidRange() *ServiceError {
	return svcErr(416, "InvalidRange", "The range specified is invalid for the current size of the resource.")
}
func errMd5Mismatch() *ServiceError {
	return svcErr(400, "Md5Mismatch", "The MD5 value specified in the request did not match with the MD5 value calculated by the server.")
}
func errTooLarge() *ServiceError {
	return svcErr(413, "RequestBodyTooLarge", "The request body is too large and exceeds the maximum permissible limit.")
}
func errBlobArchived() *ServiceError {
	return svcErr(409, "BlobArchived", "This operation is not permitted on an archived blob.")
}
func errBlobSealed() *ServiceError {
	return svcErr(409, "BlobIsSealed", "The blob is sealed and its contents cannot be modified.")
}
