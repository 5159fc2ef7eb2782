package rest

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/storage"
)

// Error is an answer in Azure's error shape: a status, a code the SDKs
// branch on, and a human message.
type Error struct {
	Status  int
	Code    string
	Message string
	// AuthDetail becomes <AuthenticationErrorDetail>, as Azure sends on 403.
	AuthDetail string
	// Header is added to the response (e.g. x-ms-error-code is set anyway).
	Header http.Header
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// errorf builds an *Error.
func errorf(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Common errors the plumbing and both services answer.
func errInvalidQueryParameter(name, value, reason string) *Error {
	return errorf(http.StatusBadRequest, "InvalidQueryParameterValue",
		"Value for one of the query parameters specified in the request URI is invalid. (%s=%q: %s)", name, value, reason)
}

func errOutOfRangeQuery(name, value string) *Error {
	return errorf(http.StatusBadRequest, "OutOfRangeQueryParameterValue",
		"One of the query parameters specified in the request URI is outside the permissible range. (%s=%q)", name, value)
}

func errInvalidHeader(name, value, reason string) *Error {
	return errorf(http.StatusBadRequest, "InvalidHeaderValue",
		"The value for one of the HTTP headers is not in the correct format. (%s=%q: %s)", name, value, reason)
}

func errMissingHeader(name string) *Error {
	return errorf(http.StatusBadRequest, "MissingRequiredHeader",
		"An HTTP header that's mandatory for this request is not specified. (%s)", name)
}

func errInvalidXML(reason string) *Error {
	return errorf(http.StatusBadRequest, "InvalidXmlDocument",
		"XML specified is not syntactically valid. (%s)", reason)
}

func errUnsupportedOperation(what string) *Error {
	return errorf(http.StatusBadRequest, "UnsupportedHttpVerb",
		"The resource doesn't support the specified HTTP verb or operation. (%s)", what)
}

func errNotImplemented(what string) *Error {
	return errorf(http.StatusNotImplemented, "APINotImplemented",
		"%s is not supported by funcemu.", what)
}

func errAuthFailed(detail string) *Error {
	return &Error{Status: http.StatusForbidden, Code: "AuthenticationFailed",
		Message:    "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.",
		AuthDetail: detail}
}

func errAuthorization(code, message string) *Error {
	return &Error{Status: http.StatusForbidden, Code: code, Message: message}
}

// azureError is how Azure reports one store error: a status, the code the
// SDKs branch on, and its message. A %s in the message stands for the
// store's detail; without one, any detail follows in parentheses.
type azureError struct {
	status  int
	code    string
	message string
}

// storeErrors is the one table from store errors to Azure's answers, for
// the Blob, Queue and Table services alike (the Table service writes the
// same code and message as JSON). Messages are Azure's own words. The store
// says what went wrong (storage/errors.go), this table how Azure says it;
// a test fails when a store error has no row.
var storeErrors = map[error]azureError{
	// Queue.
	storage.ErrInvalidName:        {400, "InvalidResourceName", "The specified resource name contains invalid characters."},
	storage.ErrInvalidInput:       {400, "InvalidInput", "One of the request inputs is not valid."},
	storage.ErrOutOfRange:         {400, "OutOfRangeInput", "One of the request inputs is out of range."},
	storage.ErrTooManyIdentifiers: {400, "InvalidXmlDocument", "XML specified is not syntactically valid."},
	storage.ErrQueueNotFound:      {404, "QueueNotFound", "The specified queue does not exist."},
	storage.ErrQueueAlreadyExists: {409, "QueueAlreadyExists", "The specified queue already exists."},
	storage.ErrMessageNotFound:    {404, "MessageNotFound", "The specified message does not exist."},
	storage.ErrPopReceiptMismatch: {400, "PopReceiptMismatch", "The specified pop receipt did not match the pop receipt for a dequeued message."},
	storage.ErrMessageTooLarge:    {413, "RequestBodyTooLarge", "The request body is too large and exceeds the maximum permissible limit."},

	// Request values.
	storage.ErrInvalidHeader:     {400, "InvalidHeaderValue", "The value for one of the HTTP headers is not in the correct format: %s."},
	storage.ErrMissingHeader:     {400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not specified: %s."},
	storage.ErrUnsupportedHeader: {400, "UnsupportedHeader", "One of the HTTP headers specified in the request is not supported: %s."},
	storage.ErrInvalidQuery:      {400, "InvalidQueryParameterValue", "Value for one of the query parameters specified in the request URI is invalid: %s."},
	storage.ErrInvalidXML:        {400, "InvalidXmlDocument", "XML specified is not syntactically valid: %s."},
	storage.ErrInvalidMetadata:   {400, "InvalidMetadata", "The metadata specified is invalid. It has characters that are not permitted: %s."},
	storage.ErrNameLength:        {400, "OutOfRangeInput", "The specified resource name length is not within the permissible limits."},
	storage.ErrBodyTooLarge:      {413, "RequestBodyTooLarge", "The request body is too large and exceeds the maximum permissible limit."},
	storage.ErrMD5Mismatch:       {400, "Md5Mismatch", "The MD5 value specified in the request did not match with the MD5 value calculated by the server."},
	storage.ErrCRC64Mismatch:     {400, "Crc64Mismatch", "The CRC64 value specified in the request did not match with the CRC64 value calculated by the server."},

	// Blob.
	storage.ErrInvalidBlobName:             {400, "InvalidResourceName", "The specifed resource name contains invalid characters: %s."},
	storage.ErrContainerNotFound:           {404, "ContainerNotFound", "The specified container does not exist."},
	storage.ErrContainerAlreadyExists:      {409, "ContainerAlreadyExists", "The specified container already exists."},
	storage.ErrBlobNotFound:                {404, "BlobNotFound", "The specified blob does not exist."},
	storage.ErrBlobAlreadyExists:           {409, "BlobAlreadyExists", "The specified blob already exists."},
	storage.ErrConditionNotMet:             {412, "ConditionNotMet", "The condition specified using HTTP conditional header(s) is not met."},
	storage.ErrNotModified:                 {304, "ConditionNotMet", "The condition specified using HTTP conditional header(s) is not met."},
	storage.ErrWrongBlobType:               {409, "InvalidBlobType", "The blob type is invalid for this operation."},
	storage.ErrTierNeedsBlockBlob:          {400, "InvalidBlobType", "The blob type is invalid for this operation: access tiers apply to block blobs."},
	storage.ErrRangeNotSatisfiable:         {416, "InvalidRange", "The range specified is invalid for the current size of the resource."},
	storage.ErrBlobArchived:                {409, "BlobArchived", "This operation is not permitted on an archived blob."},
	storage.ErrBlobSealed:                  {409, "BlobIsSealed", "The blob is sealed and its contents cannot be modified."},
	storage.ErrSnapshotsPresent:            {409, "SnapshotsPresent", "This operation is not permitted because the blob has snapshots."},
	storage.ErrMaxSizeConditionNotMet:      {412, "MaxBlobSizeConditionNotMet", "The max blob size condition specified was not met."},
	storage.ErrAppendPositionNotMet:        {412, "AppendPositionConditionNotMet", "The append position condition specified was not met."},
	storage.ErrTooManyCommittedBlocks:      {409, "BlockCountExceedsLimit", "The committed block count cannot exceed the maximum limit of 50,000 blocks."},
	storage.ErrTooManyUncommittedBlocks:    {409, "BlockCountExceedsLimit", "The uncommitted block count cannot exceed the maximum limit of 100,000 blocks."},
	storage.ErrInvalidBlock:                {400, "InvalidBlobOrBlock", "The specified blob or block content is invalid: %s."},
	storage.ErrInvalidBlockID:              {400, "InvalidBlockId", "The specified block ID is invalid: %s."},
	storage.ErrInvalidBlockList:            {400, "InvalidBlockList", "The specified block list is invalid: %s."},
	storage.ErrInvalidPageRange:            {416, "InvalidPageRange", "The page range specified is invalid: %s."},
	storage.ErrSequenceConditionNotMet:     {412, "SequenceNumberConditionNotMet", "The sequence number condition specified was not met."},
	storage.ErrPreviousSnapshotNotFound:    {404, "PreviousSnapshotNotFound", "The previous snapshot is not found."},
	storage.ErrInvalidTag:                  {400, "InvalidTag", "The tags specified are invalid. It contains characters that are not permitted: %s."},
	storage.ErrSourceConditionNotMet:       {412, "SourceConditionNotMet", "The source condition specified using HTTP conditional header(s) is not met."},
	storage.ErrCopySourceContainerNotFound: {404, "CannotVerifyCopySource", "The specified container does not exist."},
	storage.ErrCopySourceBlobNotFound:      {404, "CannotVerifyCopySource", "The specified blob does not exist."},
	storage.ErrCopyOntoItself:              {409, "CannotVerifyCopySource", "The source and destination of a copy must differ."},

	// Leases.
	storage.ErrLeaseIDMissing:           {412, "LeaseIdMissing", "There is currently a lease on the resource and no lease ID was specified in the request."},
	storage.ErrLeaseLost:                {412, "LeaseLost", "A lease ID was specified, but the lease for the blob has expired."},
	storage.ErrBlobLeaseMismatch:        {412, "LeaseIdMismatchWithBlobOperation", "The lease ID specified did not match the lease ID for the blob."},
	storage.ErrBlobLeaseNotPresent:      {412, "LeaseNotPresentWithBlobOperation", "There is currently no lease on the blob."},
	storage.ErrContainerLeaseMismatch:   {412, "LeaseIdMismatchWithContainerOperation", "The lease ID specified did not match the lease ID for the container."},
	storage.ErrContainerLeaseNotPresent: {412, "LeaseNotPresentWithContainerOperation", "There is currently no lease on the container."},
	storage.ErrLeaseNotPresent:          {409, "LeaseNotPresentWithLeaseOperation", "There is currently no lease on the resource."},
	storage.ErrLeaseMismatch:            {409, "LeaseIdMismatchWithLeaseOperation", "The lease ID specified did not match the lease ID for the resource."},
	storage.ErrLeaseAlreadyPresent:      {409, "LeaseAlreadyPresent", "There is already a lease present."},
	storage.ErrLeaseBreakingAcquire:     {409, "LeaseIsBreakingAndCannotBeAcquired", "There is already a breaking lease present."},
	storage.ErrLeaseBrokenRenew:         {409, "LeaseIsBrokenAndCannotBeRenewed", "The lease ID matched, but the lease has been broken explicitly and cannot be renewed."},
	storage.ErrLeaseBreakingChange:      {409, "LeaseIsBreakingAndCannotBeChanged", "The lease ID matched, but the lease is currently in breaking state and cannot be changed."},

	// Table.
	storage.ErrInvalidTableName:      {400, "InvalidResourceName", "The specified resource name contains invalid characters."},
	storage.ErrTableNotFound:         {404, "TableNotFound", "The table specified does not exist."},
	storage.ErrTableAlreadyExists:    {409, "TableAlreadyExists", "The table specified already exists."},
	storage.ErrEntityNotFound:        {404, "ResourceNotFound", "The specified resource does not exist."},
	storage.ErrEntityAlreadyExists:   {409, "EntityAlreadyExists", "The specified entity already exists."},
	storage.ErrUpdateConditionNotMet: {412, "UpdateConditionNotSatisfied", "The update condition specified in the request was not satisfied."},
	storage.ErrInvalidKey:            {400, "InvalidInput", "The %s, which keys cannot hold."},
	storage.ErrKeyTooLarge:           {400, "KeyValueTooLarge", "The size of the key value exceeds the maximum allowed size (1KB)."},
	storage.ErrTooManyProperties:     {400, "TooManyProperties", "The entity contains more properties than allowed."},
	storage.ErrDuplicateProperty:     {400, "DuplicatePropertiesSpecified", "A property is specified more than one time."},
	storage.ErrPropertyValueTooLarge: {400, "PropertyValueTooLarge", "The property value exceeds the maximum allowed size (64KB)."},
	storage.ErrEntityTooLarge:        {400, "EntityTooLarge", "The entity is larger than the maximum allowed size (1MB)."},
	storage.ErrPropertyNameTooLong:   {400, "PropertyNameTooLong", "The property name exceeds the maximum allowed length (255)."},
	storage.ErrInvalidPropertyName:   {400, "PropertyNameInvalid", "The property name is invalid."},
}

// withDetail is a's message with the store's detail in it.
func (a azureError) withDetail(detail string) *Error {
	msg := a.message
	if before, after, ok := strings.Cut(msg, "%s"); ok {
		msg = before + detail + after
	} else if detail != "" {
		msg += " (" + detail + ")"
	}
	return &Error{Status: a.status, Code: a.code, Message: msg}
}

// emulatorErrors maps the root package's codes, for errors that carry one.
var emulatorErrors = map[string]azureError{
	emulator.EINVALID:      {400, "InvalidInput", "One of the request inputs is not valid."},
	emulator.ENOTFOUND:     {404, "ResourceNotFound", "The specified resource does not exist."},
	emulator.ECONFLICT:     {409, "ResourceAlreadyExists", "The specified resource already exists."},
	emulator.ETOOLARGE:     {413, "RequestBodyTooLarge", "The request body is too large and exceeds the maximum permissible limit."},
	emulator.ETIMEOUT:      {500, "OperationTimedOut", "The operation could not be completed within the permitted time."},
	emulator.EUNAVAILABLE:  {503, "ServerBusy", "The server is currently unable to receive requests. Please retry your request."},
	emulator.EUNAUTHORIZED: {403, "AuthorizationFailure", "This request is not authorized to perform this operation."},
}

// toAPIError turns any error into the Azure answer for it: a store Fault
// with its own detail, a queue error with the context wrapped around it,
// other kinds by emulatorErrors. Unknown errors become 500 InternalError,
// without their text; the caller logs them.
func toAPIError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	var f *storage.Fault
	if errors.As(err, &f) {
		if row, ok := storeErrors[f.Sentinel()]; ok {
			return row.withDetail(f.Detail()), true
		}
	}
	var ee *emulator.Error
	if errors.As(err, &ee) {
		if row, ok := storeErrors[ee]; ok {
			return row.withDetail(errDetail(err, ee)), true
		}
		if row, ok := emulatorErrors[ee.Code]; ok {
			return &Error{Status: row.status, Code: row.code, Message: row.message + " (" + ee.Message + ")"}, true
		}
	}
	return &Error{Status: 500, Code: "InternalError", Message: "Server encountered an internal error. Please try again after some time."}, false
}

// errDetail is what the store added around the sentinel, if anything.
func errDetail(err, sentinel error) string {
	s := err.Error()
	if s == sentinel.Error() {
		return ""
	}
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, sentinel.Error()+":"), ": "+sentinel.Error()))
}

// writeError answers e: status line reason, x-ms-error-code, and the XML
// body (none for HEAD or 304, where the SDKs read the header). The body is
// laid out as Azure and Azurite send it, newlines in the message included.
func writeError(w http.ResponseWriter, r *http.Request, requestID string, now time.Time, e *Error) {
	h := w.Header()
	for k, vs := range e.Header {
		h[k] = vs
	}
	h.Set("x-ms-error-code", e.Code)
	if r.Method == http.MethodHead || e.Status == http.StatusNotModified {
		w.WriteHeader(e.Status)
		return
	}
	var b strings.Builder
	b.WriteString(xmlProlog)
	b.WriteString("\n<Error>\n  <Code>")
	b.WriteString(escapeText(e.Code))
	b.WriteString("</Code>\n  <Message>")
	b.WriteString(escapeText(e.Message))
	b.WriteString("\nRequestId:")
	b.WriteString(requestID)
	b.WriteString("\nTime:")
	b.WriteString(now.UTC().Format("2006-01-02T15:04:05.0000000Z"))
	b.WriteString("</Message>\n")
	if e.AuthDetail != "" {
		b.WriteString("  <AuthenticationErrorDetail>")
		b.WriteString(escapeText(e.AuthDetail))
		b.WriteString("</AuthenticationErrorDetail>\n")
	}
	b.WriteString("</Error>")
	h.Set("Content-Type", "application/xml")
	w.WriteHeader(e.Status)
	_, _ = io.WriteString(w, b.String())
}

// escapeText escapes XML character data, keeping newlines literal. Runes
// XML cannot carry at all become U+FFFD.
func escapeText(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c == '&':
			b.WriteString("&amp;")
		case c == '<':
			b.WriteString("&lt;")
		case c == '>':
			b.WriteString("&gt;")
		case c == '\n' || c == '\t' || c == '\r' || c >= 0x20 && c != 0xFFFE && c != 0xFFFF && c != utf8.RuneError:
			b.WriteRune(c)
		default:
			b.WriteRune(utf8.RuneError)
		}
	}
	return b.String()
}

const xmlProlog = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`
