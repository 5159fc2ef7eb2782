package emulator

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
)

// InvokeRequest asks the host to run a function once, retries included.
// Every trigger kind (HTTP, queue, blob, timer, manual) goes through it.
type InvokeRequest struct {
	Function string // function name
	Trigger  string // one of the Trigger* kinds
	Reason   string // the Reason of the Executing line
	ParentID string // the invocation whose output caused this one, if any

	// Data holds the input values by binding name. Values are encoded for
	// the handler like the real host does: strings, numbers and bools as
	// JSON-encoded strings, []byte as base64, time.Time as an ISO-8601
	// string, json.RawMessage verbatim, maps and structs as JSON objects.
	Data map[string]any
	// Metadata is the trigger's binding data, encoded like Data. The host
	// drops nil values and keys ending in "trigger", and adds sys (and
	// RetryContext when a retry policy applies).
	Metadata map[string]any
	// Input is the trigger input as received, recorded on the invocation
	// for the journal and replay.
	Input *Input
	// DryRun records the outputs without writing them (see WithDryRun).
	DryRun bool
}

// Result is what an invocation produced.
type Result struct {
	Invocation *Invocation // the last attempt
	// Outputs holds the handler's value for each declared output binding
	// it set, by binding name ("$return" included), for the output
	// writers to apply.
	Outputs     map[string]*OutputValue
	ReturnValue json.RawMessage
	// HTTP is the response for an HTTP-triggered invocation, nil when the
	// function has no http output binding.
	HTTP *HTTPResponse
}

// OutputValue is one output binding's value as the handler returned it.
type OutputValue struct {
	Binding *Binding
	Value   json.RawMessage
	// Binary is set when the value is to be written as bytes: a JSON
	// string that the host decoded from base64 (the real host's quirk for
	// bindings without dataType "binary"; see host.Options).
	Binary []byte
}

// Invoker runs functions. The error is non-nil when the invocation failed
// after its retries; the Result is still returned then.
type Invoker interface {
	Invoke(ctx context.Context, req InvokeRequest) (*Result, error)
}

// RandomGUID returns the 16 bytes of a random (version 4) GUID: funcemu's
// one source of GUIDs, whatever form they are printed in.
func RandomGUID() [16]byte {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return b
}

// NewGUID returns a random GUID in its canonical lower-case form, as used
// for invocation and worker ids.
func NewGUID() string { return formatGUID(RandomGUID()) }

// formatGUID prints b as 8-4-4-4-12 lower-case hex digits.
func formatGUID(b [16]byte) string {
	// Encoded by hand: every storage request and invocation takes one, and
	// fmt's reflection was a microsecond of a 4 KiB blob GET.
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:36], b[10:16])
	return string(out[:])
}
