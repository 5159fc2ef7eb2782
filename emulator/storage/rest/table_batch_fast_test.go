package rest

import (
	"net/textproto"
	"strings"
	"testing"
)

// TestRequestLineFieldsMatchesFields holds the request line's split to
// strings.Fields, spaces of every kind included.
func TestRequestLineFieldsMatchesFields(t *testing.T) {
	t.Parallel()
	for _, line := range []string{
		"POST http://a/b HTTP/1.1", "POST  http://a/b HTTP/1.1", " POST http://a/b HTTP/1.1", "POST http://a/b HTTP/1.1 ",
		"POST\thttp://a/b HTTP/1.1", "POST http://a/b\u00a0HTTP/1.1", "POST http://a/b\u2003HTTP/1.1", "POST http://a/b", "POST a b c",
		"", " ", "  ", "a b ", "GET http://a/é HTTP/1.1", "PUT http://a/b\x85 HTTP/1.1",
	} {
		m, u, p, ok := requestLineFields(line)
		f := strings.Fields(line)
		if ok != (len(f) == 3) || ok && (m != f[0] || u != f[1] || p != f[2]) {
			t.Errorf("%q: got %q %q %q %v, Fields gives %q", line, m, u, p, ok, f)
		}
	}
}

// TestCanonicalHeaderKeyMatchesTextproto: a key taken as canonical is
// what CanonicalMIMEHeaderKey would make of it.
func TestCanonicalHeaderKeyMatchesTextproto(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"Content-Type", "content-type", "Content-ID", "Content-Id", "Prefer", "PREFER", "X-Ms-Date", "x-ms-date",
		"Dataserviceversion", "DataServiceVersion", "A", "a", "-", "A-", "-a", "A--B", "Etag", "ETag", "If-Match", "X1-2y"} {
		canonical := textproto.CanonicalMIMEHeaderKey(k)
		if got := canonicalHeaderKey(k); got != (canonical == k) {
			t.Errorf("%q: canonicalHeaderKey = %v, CanonicalMIMEHeaderKey gives %q", k, got, canonical)
		}
	}
}
