package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// FormatVersion is the version of the JSON Lines record format that Export
// writes and Import reads: one invocation per line, {"v":1,...}.
const FormatVersion = 1

// line is one invocation in the JSON Lines format. Times are RFC 3339 in
// UTC with nanoseconds; input and outputs are emulator.Input and
// []emulator.Output as JSON. Field order is fixed, so export is stable.
type line struct {
	V          int             `json:"v"`
	ID         string          `json:"id"`
	Function   string          `json:"function"`
	Trigger    string          `json:"trigger,omitempty"`
	Reason     string          `json:"reason,omitempty"`
	ParentID   string          `json:"parentId,omitempty"`
	RetryCount int             `json:"retryCount,omitempty"`
	Status     string          `json:"status"`
	Error      string          `json:"error,omitempty"`
	Start      string          `json:"start"`
	End        string          `json:"end,omitempty"`
	Input      json.RawMessage `json:"input,omitempty"`
	Outputs    json.RawMessage `json:"outputs,omitempty"`
	Logs       []lineLog       `json:"logs,omitempty"`
}

type lineLog struct {
	Time    string `json:"time"`
	Level   string `json:"level"`
	Message string `json:"message"`
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// The instants a journal can store: Unix nanoseconds in an int64.
var (
	earliest = time.Unix(0, math.MinInt64)
	latest   = time.Unix(0, math.MaxInt64)
)

func parseTime(field, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("field %q: %q is not an RFC 3339 time", field, s)
	}
	if t.Before(earliest) || t.After(latest) {
		return time.Time{}, fmt.Errorf("field %q: %s is outside the years 1678 to 2262", field, s)
	}
	return t, nil
}

func parseLevel(field, s string) (emulator.Level, error) {
	for l := emulator.LevelDebug; l <= emulator.LevelError; l++ {
		if l.String() == s {
			return l, nil
		}
	}
	return 0, fmt.Errorf("field %q: level %q is not debug, info, warning or error", field, s)
}

// entry is a decoded, validated line ready to store.
type entry struct {
	line    int // where Import read it
	inv     emulator.Invocation
	input   any // canonical JSON or nil
	outputs any
	logs    []Log
}

// parseLine decodes and validates one line of the JSON Lines format.
// Errors name the field at fault.
func parseLine(b []byte) (*entry, error) {
	var l line
	if err := decodeStrict(b, &l); err != nil {
		return nil, err
	}
	switch {
	case l.V == 0:
		return nil, fmt.Errorf(`field "v": missing; this funcemu reads version %d`, FormatVersion)
	case l.V != FormatVersion:
		return nil, fmt.Errorf(`field "v": version %d is not supported; this funcemu reads version %d`, l.V, FormatVersion)
	case l.ID == "":
		return nil, errors.New(`field "id": missing`)
	case l.Function == "":
		return nil, errors.New(`field "function": missing`)
	case l.RetryCount < 0:
		return nil, fmt.Errorf(`field "retryCount": %d is negative`, l.RetryCount)
	}
	e := &entry{inv: emulator.Invocation{
		ID: l.ID, Function: l.Function, Trigger: l.Trigger, Reason: l.Reason,
		ParentID: l.ParentID, RetryCount: l.RetryCount, Error: l.Error,
		Status: emulator.InvocationStatus(l.Status),
	}}
	switch e.inv.Status {
	case emulator.StatusRunning, emulator.StatusSucceeded, emulator.StatusFailed, emulator.StatusCanceled:
	default:
		return nil, fmt.Errorf(`field "status": %q is not running, succeeded, failed or canceled`, l.Status)
	}
	var err error
	if e.inv.Start, err = parseTime("start", l.Start); err != nil {
		return nil, err
	}
	if l.End != "" {
		if e.inv.End, err = parseTime("end", l.End); err != nil {
			return nil, err
		}
		if e.inv.End.Before(e.inv.Start) {
			return nil, errors.New(`field "end": before "start"`)
		}
	}
	if e.input, err = canonicalInput(l.Input); err != nil {
		return nil, err
	}
	if e.outputs, err = canonicalOutputs(l.Outputs); err != nil {
		return nil, err
	}
	for i, ll := range l.Logs {
		var lg Log
		if lg.Time, err = parseTime(fmt.Sprintf("logs[%d].time", i), ll.Time); err != nil {
			return nil, err
		}
		if lg.Level, err = parseLevel(fmt.Sprintf("logs[%d].level", i), ll.Level); err != nil {
			return nil, err
		}
		lg.Message = ll.Message
		e.logs = append(e.logs, lg)
	}
	return e, nil
}

// canonicalInput checks raw is an emulator.Input and returns it as the
// journal stores inputs, so an import exports byte for byte as it came.
func canonicalInput(raw json.RawMessage) (any, error) {
	if isAbsent(raw) {
		return nil, nil
	}
	var in emulator.Input
	if err := decodeStrict(raw, &in); err != nil {
		return nil, fmt.Errorf(`field "input": %w`, err)
	}
	return inputJSON(&in)
}

func canonicalOutputs(raw json.RawMessage) (any, error) {
	if isAbsent(raw) {
		return nil, nil
	}
	var outs []emulator.Output
	if err := decodeStrict(raw, &outs); err != nil {
		return nil, fmt.Errorf(`field "outputs": %w`, err)
	}
	return outputsJSON(outs)
}

func isAbsent(raw json.RawMessage) bool {
	return len(raw) == 0 || string(bytes.TrimSpace(raw)) == "null"
}

// decodeStrict decodes exactly one JSON value with no unknown fields.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("invalid JSON: data after the first value")
	}
	return nil
}
