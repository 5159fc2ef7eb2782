package azstore

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/funcemu/funcemu/emulator"
)

// StorageError is a failed call to the account. It carries the Azure error
// code and status, wraps the SDK's error and unwraps to an *emulator.Error,
// so emulator.ErrorCode gives ENOTFOUND, ECONFLICT, EUNAUTHORIZED,
// EUNAVAILABLE, ETOOLARGE, EINVALID or EINTERNAL.
type StorageError struct {
	Kind      string // an emulator error code
	Op        string // what was attempted, e.g. `receive messages from queue "orders"`
	Status    int    // HTTP status, 0 when no response came back
	AzureCode string // x-ms-error-code, e.g. QueueNotFound
	Detail    string // the service's message (first line) or the transport error
	Err       error  // the SDK's error
}

func (e *StorageError) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	b.WriteString(": ")
	if e.Status != 0 {
		code := e.AzureCode
		if code == "" {
			code = http.StatusText(e.Status)
		}
		fmt.Fprintf(&b, "%s (HTTP %d)", code, e.Status)
		if e.Detail != "" {
			b.WriteString(": ")
		}
	}
	b.WriteString(e.Detail)
	return b.String()
}

// Unwrap exposes both the SDK's error and the *emulator.Error callers
// branch on.
func (e *StorageError) Unwrap() []error {
	return []error{e.Err, &emulator.Error{Code: e.Kind, Message: e.Error()}}
}

// storageError wraps err from the SDK as a *StorageError for op. Context
// cancellation passes through unchanged so callers can stop quietly.
func storageError(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", op, err)
	}
	se := &StorageError{Op: op, Err: err, Kind: emulator.EINTERNAL}
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		se.Status, se.AzureCode = re.StatusCode, re.ErrorCode
		se.Detail = serviceMessage(re.RawResponse)
		se.Kind = kindOf(re.StatusCode, re.ErrorCode)
		return se
	}
	// Transport errors quote the request URL, whose query may hold a
	// shared access signature: keep the URL's path only.
	var ue *url.Error
	if errors.As(err, &ue) {
		safe := *ue
		safe.URL = withoutQuery(ue.URL)
		se.Err = &safe
		se.Detail = ue.Err.Error()
	} else {
		se.Detail = err.Error()
	}
	var ne net.Error
	var oe *net.OpError
	if errors.As(err, &oe) || errors.As(err, &ne) {
		se.Kind = emulator.EUNAVAILABLE
	}
	return se
}

func withoutQuery(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return u.String()
}

// kindOf maps a status and Azure error code to an emulator error code.
func kindOf(status int, code string) string {
	switch {
	case code == "PopReceiptMismatch":
		return emulator.ECONFLICT
	case status == http.StatusNotFound:
		return emulator.ENOTFOUND
	case status == http.StatusConflict, status == http.StatusPreconditionFailed:
		return emulator.ECONFLICT
	case status == http.StatusUnauthorized, status == http.StatusForbidden:
		return emulator.EUNAUTHORIZED
	case status == http.StatusRequestEntityTooLarge, code == "MessageTooLarge":
		return emulator.ETOOLARGE
	case status == http.StatusRequestTimeout, status == http.StatusTooManyRequests, status >= 500:
		return emulator.EUNAVAILABLE
	case status >= 400 && status < 500:
		return emulator.EINVALID
	}
	return emulator.EINTERNAL
}

// serviceMessage is the first line of the <Message> in Azure's XML error
// body (the rest is a request id and a time), or "" without a body.
func serviceMessage(resp *http.Response) string {
	if resp == nil || resp.Body == nil {
		return ""
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return ""
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var e struct {
		Message string `xml:"Message"`
	}
	if xml.Unmarshal(body, &e) != nil {
		return ""
	}
	msg, _, _ := strings.Cut(strings.TrimSpace(e.Message), "\n")
	return strings.TrimSpace(msg)
}
