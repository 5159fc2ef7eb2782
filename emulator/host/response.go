package host

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// invokeResponse is the handler's answer in default mode. Field names
// match case-insensitively, as with the real host.
type invokeResponse struct {
	Outputs     json.RawMessage
	Logs        []json.RawMessage
	ReturnValue json.RawMessage
}

// responseError fails an invocation for a reason in the handler's answer.
func responseError(format string, args ...any) error {
	return emulator.Errorf(emulator.EINVALID, format, args...)
}

// checkResponse applies the host's rules on the handler's HTTP answer:
// a 2xx status and a JSON media type.
func checkResponse(status int, contentType string) error {
	if status < 200 || status > 299 {
		return responseError("Response status code does not indicate success: %d (%s).", status, http.StatusText(status))
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt != "application/json" && mt != "text/json" {
		if contentType == "" {
			mt = "application/octet-stream"
		}
		return responseError("No MediaTypeFormatter is available to read an object of type 'HttpScriptInvocationResult' from content with media type '%s'. The handler must answer with Content-Type: application/json.", mt)
	}
	return nil
}

// parseResponse decodes the handler's JSON answer.
func parseResponse(body []byte) (*invokeResponse, map[string]json.RawMessage, error) {
	var r invokeResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, nil, responseError("the handler's response is not a valid invocation result: %v", err)
	}
	if isNull(r.Outputs) {
		return &r, nil, nil
	}
	var outputs map[string]json.RawMessage
	if err := json.Unmarshal(r.Outputs, &outputs); err != nil {
		return nil, nil, responseError("the handler's response field Outputs must be a JSON object: %v", err)
	}
	if outputs == nil {
		outputs = map[string]json.RawMessage{}
	}
	return &r, outputs, nil
}

func isNull(v json.RawMessage) bool {
	t := bytes.TrimSpace(v)
	return len(t) == 0 || string(t) == "null"
}

// logText is a Logs entry as text: strings as they are, other values as
// JSON.
func logText(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	return string(bytes.TrimSpace(v))
}

// lookup finds a binding's value, by exact name first, then ignoring case.
func lookup(values map[string]json.RawMessage, name string) (json.RawMessage, bool) {
	if v, ok := values[name]; ok {
		return v, true
	}
	for k, v := range values {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

// outputValue wraps a non-HTTP binding's value, applying the base64 quirk
// when compat is on.
func outputValue(b *emulator.Binding, v json.RawMessage, compat bool) *emulator.OutputValue {
	o := &emulator.OutputValue{Binding: b, Value: v}
	if compat && !strings.EqualFold(b.DataType, "binary") {
		if bin, ok := decodeBase64String(v); ok {
			o.Binary = bin
		}
	}
	return o
}

// decodeBase64String reports whether v is a JSON string that .NET's
// Convert.FromBase64String accepts (whitespace ignored), and its bytes.
func decodeBase64String(v json.RawMessage) ([]byte, bool) {
	var s string
	if json.Unmarshal(v, &s) != nil {
		return nil, false
	}
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, s)
	if len(s)%4 != 0 {
		return nil, false
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, false
	}
	return b, true
}

// outputs turns the handler's answer into the function's outputs and its
// HTTP response, by the real host's rules.
func (h *Host) outputs(fn *emulator.Function, r *invokeResponse, outs map[string]json.RawMessage) (map[string]*emulator.OutputValue, *emulator.HTTPResponse, error) {
	values := map[string]*emulator.OutputValue{}
	var resp *emulator.HTTPResponse
	for _, b := range fn.Outputs() {
		isHTTP := b.Kind() == emulator.BindingHTTP
		if isHTTP && resp == nil {
			resp = &emulator.HTTPResponse{Status: http.StatusOK} // nothing set: 200, empty
		}
		if b.Name == "$return" {
			if isNull(r.ReturnValue) {
				continue
			}
			if isHTTP {
				hr, err := returnResponse(r.ReturnValue)
				if err != nil {
					return nil, nil, err
				}
				resp = hr
				continue
			}
			values[b.Name] = outputValue(b, r.ReturnValue, h.opts.CompatBase64Outputs)
			continue
		}
		if outs == nil {
			continue
		}
		v, ok := lookup(outs, b.Name)
		if !isHTTP {
			if ok && !isNull(v) {
				values[b.Name] = outputValue(b, v, h.opts.CompatBase64Outputs)
			}
			continue
		}
		if !ok || isNull(v) {
			// Outputs present without this binding: an empty response
			// object, which the host serializes as {}.
			resp = &emulator.HTTPResponse{Status: http.StatusOK, Body: []byte("{}"),
				Headers: map[string][]string{"Content-Type": {"application/json; charset=utf-8"}}}
			continue
		}
		hr, err := resResponse(v)
		if err != nil {
			return nil, nil, fmt.Errorf("Failed while trying to Deserialize to httpOutputBindingResponse for output binding '%s': %w", b.Name, err)
		}
		resp = hr
	}
	return values, resp, nil
}
