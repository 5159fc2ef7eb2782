package host

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// sysUtcNowFormat is how .NET serializes DateTime.UtcNow: seven fraction
// digits with trailing zeros dropped, then Z.
const sysUtcNowFormat = "2006-01-02T15:04:05.9999999Z07:00"

// dateFormat is a DateTimeOffset as the host re-parses it: no fraction.
const dateFormat = "2006-01-02T15:04:05-07:00"

// marshal encodes v as JSON like Newtonsoft does: no HTML escaping.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// encodeValue turns an input or metadata value into what the handler
// receives (the host's GetHttpScriptInvocationContextValue): JSON objects
// as they are; bytes as base64; times as ISO-8601 strings; anything else
// (strings, numbers, bools, arrays) serialized to JSON and sent as a JSON
// string, so the string hello arrives as "\"hello\"" and 1 as "1". It
// reports false for nil values, which are left out.
func encodeValue(v any) (json.RawMessage, bool, error) {
	var text []byte
	var err error
	switch x := v.(type) {
	case nil:
		return nil, false, nil
	case json.RawMessage:
		t := bytes.TrimSpace(x)
		if len(t) == 0 || string(t) == "null" {
			return nil, false, nil
		}
		text = t
	case []byte:
		text, err = marshal(base64.StdEncoding.EncodeToString(x))
		return text, true, err
	case time.Time:
		text, err = marshal(x.Format(dateFormat))
		return text, true, err
	default:
		text, err = marshal(v)
		if err != nil {
			return nil, false, err
		}
		if string(text) == "null" {
			return nil, false, nil
		}
	}
	if text[0] == '{' {
		return text, true, nil
	}
	text, err = marshal(string(text))
	return text, true, err
}

// object writes a JSON object with keys in the given order.
type object struct {
	buf bytes.Buffer
	n   int
}

func (o *object) add(key string, value json.RawMessage) {
	if o.n == 0 {
		o.buf.WriteByte('{')
	} else {
		o.buf.WriteByte(',')
	}
	if plainKey(key) {
		o.buf.WriteByte('"')
		o.buf.WriteString(key)
		o.buf.WriteByte('"')
	} else {
		k, _ := marshal(key)
		o.buf.Write(k)
	}
	o.buf.WriteByte(':')
	o.buf.Write(value)
	o.n++
}

// plainKey reports whether key is its own JSON string body: printable
// ASCII with nothing to escape, as binding and metadata names are.
func plainKey(key string) bool {
	for i := 0; i < len(key); i++ {
		if c := key[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

func (o *object) bytes() []byte {
	if o.n == 0 {
		return []byte("{}")
	}
	o.buf.WriteByte('}')
	return o.buf.Bytes()
}

// retryContext is Metadata.RetryContext when a retry policy applies.
type retryContext struct {
	RetryCount    int
	MaxRetryCount int
	Exception     *retryException
}

type retryException struct {
	Message string
}

// envelope builds the {"Data":…,"Metadata":…} body of a default-mode
// invocation.
func (h *Host) envelope(fn *emulator.Function, req emulator.InvokeRequest, inv *emulator.Invocation, retry *retryContext) ([]byte, error) {
	var data object
	for _, k := range dataKeys(fn, req.Data) {
		v, ok, err := encodeValue(req.Data[k])
		if err != nil {
			return nil, fmt.Errorf("encode Data.%s: %w", k, err)
		}
		if ok {
			data.add(k, v)
		}
	}

	var meta object
	keys := make([]string, 0, len(req.Metadata))
	for k := range req.Metadata {
		if strings.HasSuffix(strings.ToLower(k), "trigger") || k == "sys" || k == "RetryContext" {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, ok, err := encodeValue(req.Metadata[k])
		if err != nil {
			return nil, fmt.Errorf("encode Metadata.%s: %w", k, err)
		}
		if ok {
			meta.add(k, v)
		}
	}
	sys, _ := marshal(struct{ MethodName, UtcNow, RandGuid string }{
		fn.Name, inv.Start.UTC().Format(sysUtcNowFormat), emulator.NewGUID(),
	})
	meta.add("sys", sys)
	if retry != nil {
		rc, _ := marshal(retry)
		meta.add("RetryContext", rc)
	}

	var env object
	env.add("Data", data.bytes())
	env.add("Metadata", meta.bytes())
	return env.bytes(), nil
}

// dataKeys orders Data by the function's input bindings, then the rest
// by name.
func dataKeys(fn *emulator.Function, data map[string]any) []string {
	keys := make([]string, 0, len(data))
	seen := make(map[string]bool, len(data))
	for _, b := range fn.Inputs() {
		if _, ok := data[b.Name]; ok && !seen[b.Name] {
			keys = append(keys, b.Name)
			seen[b.Name] = true
		}
	}
	var rest []string
	for k := range data {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(keys, rest...)
}
