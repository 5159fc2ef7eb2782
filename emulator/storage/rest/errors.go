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

// storeError is one row of the table mapping store errors to Azure.
type storeError struct {
	err     error
	status  int
	code    string
	message string
}

// storeErrors is the one table from store errors to HTTP status and Azure
// error code. Messages are Azure's own words.
var storeErrors = []storeError{
	{storage.ErrInvalidName, 400, "InvalidResourceName", "The specified resource name contains invalid characters."},
	{storage.ErrInvalidInput, 400, "InvalidInput", "One of the request inputs is not valid."},
	{storage.ErrOutOfRange, 400, "OutOfRangeInput", "One of the request inputs is out of range."},
	{storage.ErrTooManyIdentifiers, 400, "InvalidXmlDocument", "XML specified is not syntactically valid."},
	{storage.ErrQueueNotFound, 404, "QueueNotFound", "The specified queue does not exist."},
	{storage.ErrQueueAlreadyExists, 409, "QueueAlreadyExists", "The specified queue already exists."},
	{storage.ErrMessageNotFound, 404, "MessageNotFound", "The specified message does not exist."},
	{storage.ErrPopReceiptMismatch, 400, "PopReceiptMismatch", "The specified pop receipt did not match the pop receipt for a dequeued message."},
	{storage.ErrMessageTooLarge, 413, "RequestBodyTooLarge", "The request body is too large and exceeds the maximum permissible limit."},
}

// emulatorErrors maps the root package's codes, for errors that carry one.
var emulatorErrors = map[string]storeError{
	emulator.EINVALID:      {nil, 400, "InvalidInput", "One of the request inputs is not valid."},
	emulator.ENOTFOUND:     {nil, 404, "ResourceNotFound", "The specified resource does not exist."},
	emulator.ECONFLICT:     {nil, 409, "ResourceAlreadyExists", "The specified resource already exists."},
	emulator.ETOOLARGE:     {nil, 413, "RequestBodyTooLarge", "The request body is too large and exceeds the maximum permissible limit."},
	emulator.ETIMEOUT:      {nil, 500, "OperationTimedOut", "The operation could not be completed within the permitted time."},
	emulator.EUNAVAILABLE:  {nil, 503, "ServerBusy", "The server is currently unable to receive requests. Please retry your request."},
	emulator.EUNAUTHORIZED: {nil, 403, "AuthorizationFailure", "This request is not authorized to perform this operation."},
}

// toAPIError turns any error into the Azure answer for it. Unknown errors
// become 500 InternalError; the caller logs them.
func toAPIError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	var se *storage.ServiceError
	if errors.As(err, &se) {
		return &Error{Status: se.Status, Code: se.Code, Message: se.Message}, true
	}
	for _, row := range storeErrors {
		if errors.Is(err, row.err) {
			msg := row.message
			if detail := errDetail(err, row.err); detail != "" {
				msg += " (" + detail + ")"
			}
			return &Error{Status: row.status, Code: row.code, Message: msg}, true
		}
	}
	var ee *emulator.Error
	if errors.As(err, &ee) {
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
