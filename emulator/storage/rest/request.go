package rest

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Request is an incoming call as the services see it: the account and
// resource taken from the path-style URL, with the raw path kept for
// signature checks.
type Request struct {
	HTTP *http.Request
	// ID is the x-ms-request-id answered.
	ID      string
	Now     time.Time
	Account *Account
	// Resource is the first path segment after the account, decoded: the
	// container or queue name; "" at service level.
	Resource string
	// Name is the rest of the path after the resource, decoded: a blob
	// name, or "messages" / "messages/<id>" for queues.
	Name string
	// RawPath is the path as sent, still percent-encoded.
	RawPath string
	Query   url.Values
	// SAS is set when the request was authorized by a shared access
	// signature.
	SAS *SAS
	// server authorizes URLs the request names (a copy source).
	server *Server
	// Secondary is set for requests to the account's read-only secondary
	// location (<account>-secondary).
	Secondary bool
	// Bearer is set when the request was authorized by an OAuth token.
	Bearer *BearerToken
}

// Context is the request's context.
func (r *Request) Context() context.Context { return r.HTTP.Context() }

// Header is the request's header.
func (r *Request) Header() http.Header { return r.HTTP.Header }

// parsedPath is a path-style URL split into its parts.
type parsedPath struct {
	account  string
	resource string
	name     string
	raw      string
}

// parsePath splits /account/resource/name... The name keeps its slashes;
// backslashes become slashes, as Azurite does for blob names.
func parsePath(u *url.URL) (parsedPath, error) {
	raw := u.EscapedPath()
	p := parsedPath{raw: raw}
	path := strings.TrimPrefix(u.Path, "/")
	if path == "" {
		return p, errorf(http.StatusBadRequest, "InvalidUri", "The requested URI does not represent any resource on the server. (no account in the path)")
	}
	account, rest, _ := strings.Cut(path, "/")
	p.account = account
	resource, name, _ := strings.Cut(rest, "/")
	p.resource = resource
	p.name = strings.ReplaceAll(name, `\`, "/")
	return p, nil
}

// hostAccount is the account named by a production-style host such as
// devstoreaccount1.blob.localhost:10000, or "" for path-style requests
// (an IP address, a name without dots, host.docker.internal).
func hostAccount(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if host == "" || net.ParseIP(strings.Trim(host, "[]")) != nil || !strings.Contains(host, ".") ||
		strings.EqualFold(host, "host.docker.internal") {
		return ""
	}
	label, _, _ := strings.Cut(host, ".")
	return label
}

// parseHostStylePath splits /resource/name... of a production-style URL
// whose account came from the host.
func parseHostStylePath(u *url.URL, account string) parsedPath {
	p := parsedPath{raw: u.EscapedPath(), account: account}
	resource, name, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	p.resource = resource
	p.name = strings.ReplaceAll(name, `\`, "/")
	return p
}

// queryValue returns a query parameter matched case-insensitively, as Azure
// treats parameter names.
func queryValue(q url.Values, name string) (string, bool) {
	if vs, ok := q[name]; ok && len(vs) > 0 {
		return vs[0], true
	}
	for k, vs := range q {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return vs[0], true
		}
	}
	return "", false
}

// Param returns a query parameter (case-insensitive name), "" if absent.
func (r *Request) Param(name string) string {
	v, _ := queryValue(r.Query, name)
	return v
}

// HasParam reports whether a query parameter was sent.
func (r *Request) HasParam(name string) bool {
	_, ok := queryValue(r.Query, name)
	return ok
}

// parseQuery decodes the query string, answering Azure's 400 for text that
// is not valid percent-encoding.
func parseQuery(raw string) (url.Values, error) {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "InvalidQueryParameterValue",
			"Value for one of the query parameters specified in the request URI is invalid. (%v)", err)
	}
	return q, nil
}
