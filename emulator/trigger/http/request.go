package httptrigger

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/keys"
	"github.com/funcemu/funcemu/emulator/route"
)

// journalBodyLimit bounds the request body recorded on an invocation.
const journalBodyLimit = 1 << 20

// requestObject is Data.<req> as the real host builds it
// (GetRequestAsJObject), fields in its order.
type requestObject struct {
	Url        string
	Method     string
	Query      map[string]string
	Headers    map[string][]string
	Params     map[string]*string
	Identities []identity
	Body       *string `json:",omitempty"`
}

// identity is a serialized ClaimsIdentity.
type identity struct {
	AuthenticationType *string
	IsAuthenticated    bool
	Actor              any
	BootstrapContext   any
	Claims             []claim
	Label              any
	Name               *string
	NameClaimType      string
	RoleClaimType      string
}

type claim struct {
	Issuer         string
	OriginalIssuer string
	Properties     map[string]string
	Subject        any
	Type           string
	Value          string
	ValueType      string
}

const (
	nameClaimType  = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"
	roleClaimType  = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"
	authLevelClaim = "http://schemas.microsoft.com/2017/07/functions/claims/authlevel"
)

// identities is what func start's authentication yields: anonymous
// functions see an unauthenticated identity, the others the Admin key
// level that func start grants every request.
func identities(authLevel string) []identity {
	if authLevel == "" || strings.EqualFold(authLevel, "anonymous") {
		return []identity{{Claims: []claim{}, NameClaimType: nameClaimType, RoleClaimType: roleClaimType}}
	}
	scheme := "WebJobsAuthLevel"
	return []identity{{
		AuthenticationType: &scheme,
		IsAuthenticated:    true,
		Claims: []claim{{Issuer: "LOCAL AUTHORITY", OriginalIssuer: "LOCAL AUTHORITY", Properties: map[string]string{},
			Type: authLevelClaim, Value: "Admin", ValueType: "http://www.w3.org/2001/XMLSchema#string"}},
		NameClaimType: nameClaimType,
		RoleClaimType: roleClaimType,
	}}
}

// requestURL is {scheme}://{Host}{path}{query} as the caller sent them.
func requestURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	u := scheme + "://" + r.Host + r.URL.EscapedPath()
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	return u
}

// requestHeaders are the request's headers with Host, which Go keeps
// apart.
func requestHeaders(r *http.Request) map[string][]string {
	h := make(map[string][]string, len(r.Header)+1)
	for k, v := range r.Header {
		h[k] = v
	}
	if r.Host != "" {
		h["Host"] = []string{r.Host}
	}
	return h
}

// bodyIsBinary reports whether the host sends the body base64-encoded.
func bodyIsBinary(contentType string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	return mt == "application/octet-stream" || strings.HasPrefix(mt, "multipart/")
}

// buildInvocation makes the Data and Metadata of a default-mode HTTP
// invocation from r, its body and the route values.
func buildInvocation(r *http.Request, body []byte, params route.Params, trigger *emulator.Binding) (data, metadata map[string]any, err error) {
	query := map[string]string{}
	for k, v := range r.URL.Query() {
		query[k] = strings.Join(v, ",")
	}
	if params == nil {
		params = route.Params{}
	}
	obj := requestObject{
		Url:        requestURL(r),
		Method:     r.Method,
		Query:      query,
		Headers:    requestHeaders(r),
		Params:     params,
		Identities: identities(trigger.AuthLevel),
	}
	if r.ContentLength > 0 {
		b := string(body)
		if bodyIsBinary(r.Header.Get("Content-Type")) {
			b = base64.StdEncoding.EncodeToString(body)
		}
		obj.Body = &b
	}
	raw, err := marshal(obj)
	if err != nil {
		return nil, nil, err
	}

	metadata = map[string]any{}
	// Top-level properties of a JSON object body, scalars as strings.
	for k, v := range bodyProperties(body) {
		metadata[k] = v
	}
	for k, v := range query {
		if !strings.EqualFold(k, "code") {
			metadata[k] = v
		}
	}
	for k, v := range params {
		if v != nil {
			metadata[k] = *v
		}
	}
	headers := map[string]string{}
	for k, v := range requestHeaders(r) {
		headers[k] = strings.Join(v, ",")
	}
	metadata["Query"] = query
	metadata["Headers"] = headers
	return map[string]any{trigger.Name: json.RawMessage(raw)}, metadata, nil
}

// bodyProperties returns a JSON object body's top-level properties for
// the binding data: scalars as strings, objects as they are; arrays and
// nulls are skipped.
func bodyProperties(body []byte) map[string]any {
	t := bytes.TrimSpace(body)
	if len(t) == 0 || t[0] != '{' {
		return nil
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(t, &fields) != nil {
		return nil
	}
	out := make(map[string]any, len(fields))
	for k, v := range fields {
		v = bytes.TrimSpace(v)
		switch {
		case len(v) == 0 || string(v) == "null" || v[0] == '[':
		case v[0] == '{':
			out[k] = v
		case v[0] == '"':
			var s string
			_ = json.Unmarshal(v, &s)
			out[k] = s
		case string(v) == "true":
			out[k] = "True"
		case string(v) == "false":
			out[k] = "False"
		default:
			out[k] = string(v)
		}
	}
	return out
}

// requestInput records the request for the journal, without the key it
// carried: journals are exported and shared, keys must not travel with
// them (a replay sends funcemu's master key instead).
func requestInput(r *http.Request, body []byte, withBody bool) *emulator.HTTPRequest {
	headers := requestHeaders(r)
	delete(headers, http.CanonicalHeaderKey(keys.Header))
	in := &emulator.HTTPRequest{Method: r.Method, URL: withoutCode(r.URL), Headers: headers}
	if withBody {
		in.Body = body
		if len(body) > journalBodyLimit {
			in.Body, in.BodyTruncated = body[:journalBodyLimit], true
		}
	}
	return in
}

// withoutCode is u's path and query without the code parameter.
func withoutCode(u *url.URL) string {
	q := u.Query()
	if !q.Has("code") {
		return u.RequestURI()
	}
	q.Del("code")
	c := *u
	c.RawQuery = q.Encode()
	return c.RequestURI()
}

// marshal encodes without HTML escaping, as Newtonsoft does.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// sortedKeys is for stable log lines.
func sortedKeys(h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
