package rest

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// net/http answers requests it cannot parse (a malformed Content-Length,
// a broken request line, headers beyond MaxHeaderBytes) itself, before
// any handler runs, with a plain-text body. azureErrorListener rewrites
// those answers into Azure's XML error shape so SDKs still find a code.
// The server's own error always has Content-Type before Connection, an
// order net/http never writes for a handler's answer (it sorts headers),
// so no answer of ours is mistaken for one.
type azureErrorListener struct{ net.Listener }

func (l azureErrorListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &azureErrorConn{Conn: c}, nil
}

type azureErrorConn struct{ net.Conn }

var serverErrorRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^HTTP/1\.1 (\d{3}) [^\r\n]*\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n`)
})

func (c *azureErrorConn) Write(b []byte) (int, error) {
	m := serverErrorRE().FindSubmatch(b)
	if m == nil {
		return c.Conn.Write(b)
	}
	status, _ := strconv.Atoi(string(m[1]))
	if _, err := c.Conn.Write(azureParseError(status, string(b[len(m[0]):]))); err != nil {
		return 0, err
	}
	return len(b), nil
}

// ReadFrom keeps the connection's own ReadFrom (sendfile of a blob's
// chunk file): net/http calls it only for a handler's body, never for
// an answer of its own.
func (c *azureErrorConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{c.Conn}, r)
}

// azureParseError is the whole HTTP answer for a request net/http could
// not read.
func azureParseError(status int, detail string) []byte {
	e := errorf(http.StatusBadRequest, "InvalidHeaderValue",
		"The value for one of the HTTP headers is not in the correct format. (the request could not be read: %s)", detail)
	switch status {
	case http.StatusRequestHeaderFieldsTooLarge:
		e = errorf(status, "RequestHeaderFieldsTooLarge",
			"The request headers are too large (limit %d bytes).", ServerMaxHeaderBytes)
	case http.StatusNotImplemented:
		e = errorf(http.StatusBadRequest, "UnsupportedHeader",
			"One of the HTTP headers specified in the request is not supported. (Transfer-Encoding)")
	}
	rec := newHeaderRecorder()
	id := emulator.NewGUID()
	now := time.Now()
	rec.h.Set("x-ms-request-id", id)
	rec.h.Set("x-ms-version", DefaultVersion)
	rec.h.Set("Date", now.UTC().Format(http.TimeFormat))
	writeError(rec, &http.Request{Method: http.MethodGet}, id, now, e)
	var out bytes.Buffer
	out.WriteString("HTTP/1.1 " + strconv.Itoa(rec.status) + " " + http.StatusText(rec.status) + "\r\n")
	rec.h.Set("Content-Length", strconv.Itoa(rec.body.Len()))
	rec.h.Set("Connection", "close")
	_ = rec.h.Write(&out)
	out.WriteString("\r\n")
	out.Write(rec.body.Bytes())
	return out.Bytes()
}

// headerRecorder captures what writeError answers.
type headerRecorder struct {
	h      http.Header
	status int
	body   bytes.Buffer
}

func newHeaderRecorder() *headerRecorder { return &headerRecorder{h: http.Header{}} }

func (r *headerRecorder) Header() http.Header         { return r.h }
func (r *headerRecorder) WriteHeader(status int)      { r.status = status }
func (r *headerRecorder) Write(b []byte) (int, error) { return r.body.Write(b) }
