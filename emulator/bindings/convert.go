package bindings

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// queueMessages turns an output value into message contents the way the
// host's IAsyncCollector<byte[]> does (host notes 7.1): a JSON array, or a
// string holding one, fans out to one message per element; a JSON object
// (or a string holding one) becomes indented JSON; other strings their
// UTF-8 bytes; numbers as written, booleans True/False; null nothing.
func queueMessages(v json.RawMessage, raw []byte) ([][]byte, error) {
	if raw != nil {
		return [][]byte{raw}, nil
	}
	v = bytes.TrimSpace(v)
	if len(v) == 0 || string(v) == "null" {
		return nil, nil
	}
	if v[0] == '"' {
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return nil, fmt.Errorf("read string value: %w", err)
		}
		inner := bytes.TrimSpace([]byte(s))
		if len(inner) > 0 && (inner[0] == '[' || inner[0] == '{') && json.Valid(inner) {
			v = inner
		} else {
			return [][]byte{[]byte(s)}, nil
		}
	}
	if v[0] != '[' {
		m, err := tokenText(v)
		if err != nil || m == nil {
			return nil, err
		}
		return [][]byte{m}, nil
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(v, &elems); err != nil {
		return nil, fmt.Errorf("read array value: %w", err)
	}
	var out [][]byte
	for _, e := range elems {
		m, err := tokenText(e)
		if err != nil {
			return nil, err
		}
		if m != nil {
			out = append(out, m)
		}
	}
	return out, nil
}

// tokenText is JToken.ToString(): strings unquoted, objects and arrays
// indented with two spaces, booleans capitalized, null nothing.
func tokenText(v json.RawMessage) ([]byte, error) {
	v = bytes.TrimSpace(v)
	switch {
	case len(v) == 0 || string(v) == "null":
		return nil, nil
	case v[0] == '"':
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return nil, fmt.Errorf("read string value: %w", err)
		}
		return []byte(s), nil
	case v[0] == '{' || v[0] == '[':
		var buf bytes.Buffer
		if err := json.Indent(&buf, v, "", "  "); err != nil {
			return nil, fmt.Errorf("read JSON value: %w", err)
		}
		return buf.Bytes(), nil
	case string(v) == "true":
		return []byte("True"), nil
	case string(v) == "false":
		return []byte("False"), nil
	}
	return append([]byte(nil), v...), nil
}

// blobContent turns an output value into blob bytes the way the host's
// ConvertValueToStream does (host notes 7.2): bytes as they are, strings
// as UTF-8, objects and arrays as compact JSON, and numbers and booleans
// as their BitConverter bytes (a 100 becomes four little-endian bytes).
func blobContent(v json.RawMessage, raw []byte) ([]byte, error) {
	if raw != nil {
		return raw, nil
	}
	v = bytes.TrimSpace(v)
	switch {
	case len(v) == 0 || string(v) == "null":
		return nil, nil
	case v[0] == '"':
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return nil, fmt.Errorf("read string value: %w", err)
		}
		return []byte(s), nil
	case v[0] == '{' || v[0] == '[':
		var buf bytes.Buffer
		if err := json.Compact(&buf, v); err != nil {
			return nil, fmt.Errorf("read JSON value: %w", err)
		}
		return buf.Bytes(), nil
	case string(v) == "true":
		return []byte{1}, nil
	case string(v) == "false":
		return []byte{0}, nil
	}
	if i, err := strconv.ParseInt(string(v), 10, 64); err == nil {
		if i >= math.MinInt32 && i <= math.MaxInt32 {
			return binary.LittleEndian.AppendUint32(nil, uint32(int32(i))), nil
		}
		return binary.LittleEndian.AppendUint64(nil, uint64(i)), nil
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil {
		return nil, fmt.Errorf("read number value %s: %w", v, err)
	}
	return binary.LittleEndian.AppendUint64(nil, math.Float64bits(f)), nil
}
