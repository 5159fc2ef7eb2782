package host

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// defaultContentType is what a response body without a content-type
// header is sent as.
const defaultContentType = "text/plain; charset=utf-8"

// resResponse turns an http output binding's value
// ({statusCode, headers, body}) into the response.
func resResponse(v json.RawMessage) (*emulator.HTTPResponse, error) {
	fields, err := objectFields(v)
	if err != nil {
		return nil, err
	}
	resp := &emulator.HTTPResponse{Status: http.StatusOK, Headers: map[string][]string{}}
	if sc, ok := fieldFold(fields, "statusCode"); ok {
		if n, ok := statusCode(sc); ok {
			resp.Status = n
		}
	}
	if hv, ok := fieldFold(fields, "headers"); ok && !isNull(hv) {
		headers, err := objectFields(hv)
		if err != nil {
			return nil, fmt.Errorf("headers: %w", err)
		}
		for _, kv := range headers {
			resp.Headers[http.CanonicalHeaderKey(kv.key)] = []string{tokenString(kv.value)}
		}
	}
	if body, ok := fieldFold(fields, "body"); ok {
		resp.Body = []byte(tokenString(body))
	}
	finishBody(resp)
	return resp, nil
}

// returnResponse turns a $return value of an http binding into the
// response: a JSON object with a body key is a response object; another
// object is sent as indented JSON; a string is first read as JSON, else
// sent as the body.
func returnResponse(v json.RawMessage) (*emulator.HTTPResponse, error) {
	var s string
	if json.Unmarshal(v, &s) == nil {
		var parsed json.RawMessage
		if json.Unmarshal([]byte(s), &parsed) == nil && bytes.HasPrefix(bytes.TrimSpace(parsed), []byte("{")) {
			v = parsed
		} else {
			resp := &emulator.HTTPResponse{Status: http.StatusOK, Body: []byte(s), Headers: map[string][]string{}}
			finishBody(resp)
			return resp, nil
		}
	}
	if fields, err := objectFields(v); err == nil {
		if _, ok := fieldFold(fields, "body"); ok {
			return resResponse(v)
		}
	}
	resp := &emulator.HTTPResponse{Status: http.StatusOK, Body: []byte(tokenString(v)), Headers: map[string][]string{}}
	finishBody(resp)
	return resp, nil
}

// finishBody sets the default content type on a non-empty body.
func finishBody(resp *emulator.HTTPResponse) {
	if len(resp.Body) > 0 && resp.Headers["Content-Type"] == nil {
		resp.Headers["Content-Type"] = []string{defaultContentType}
	}
	if len(resp.Headers) == 0 {
		resp.Headers = nil
	}
}

// statusCode parses a statusCode given as a number or a string.
func statusCode(v json.RawMessage) (int, bool) {
	t := strings.TrimSpace(string(v))
	var s string
	if json.Unmarshal(v, &s) == nil {
		t = strings.TrimSpace(s)
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 100 || n > 999 {
		return 0, false
	}
	return n, true
}

// tokenString renders a JSON value the way JToken.ToString does: strings
// verbatim, objects and arrays as indented JSON, true/false capitalized,
// null as nothing.
func tokenString(v json.RawMessage) string {
	t := bytes.TrimSpace(v)
	switch {
	case len(t) == 0 || string(t) == "null":
		return ""
	case t[0] == '"':
		var s string
		_ = json.Unmarshal(t, &s)
		return s
	case t[0] == '{' || t[0] == '[':
		var buf bytes.Buffer
		if json.Indent(&buf, t, "", "  ") != nil {
			return string(t)
		}
		return buf.String()
	case string(t) == "true":
		return "True"
	case string(t) == "false":
		return "False"
	}
	return string(t)
}

type field struct {
	key   string
	value json.RawMessage
}

// objectFields returns a JSON object's members in order.
func objectFields(v json.RawMessage) ([]field, error) {
	dec := json.NewDecoder(bytes.NewReader(v))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("want a JSON object, got %s", abbreviate(v))
	}
	var fields []field
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		fields = append(fields, field{key: tok.(string), value: raw})
	}
	return fields, nil
}

// fieldFold finds a member by name, ignoring case; the last one wins.
func fieldFold(fields []field, name string) (json.RawMessage, bool) {
	var v json.RawMessage
	found := false
	for _, f := range fields {
		if strings.EqualFold(f.key, name) {
			v, found = f.value, true
		}
	}
	return v, found
}

func abbreviate(v json.RawMessage) string {
	s := strings.TrimSpace(string(v))
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return s
}
