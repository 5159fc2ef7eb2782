package rest

import (
	"io"
	"net/http"
)

// framedBody turns a request body that ends before its Content-Length
// (the client hung up or lied) into Azure's 400, for every reader of the
// body: the store then discards what it staged and the answer, if the
// client is still there to read it, is not a 500.
type framedBody struct {
	io.ReadCloser
	want int64 // Content-Length; -1 when unknown (chunked)
	got  int64
}

func frameBody(r *http.Request) {
	if r.Body == nil || r.Body == http.NoBody {
		return
	}
	r.Body = &framedBody{ReadCloser: r.Body, want: r.ContentLength}
}

func (b *framedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.got += int64(n)
	if err == io.ErrUnexpectedEOF || err == io.EOF && b.want >= 0 && b.got < b.want {
		return n, errorf(http.StatusBadRequest, "InvalidInput",
			"One of the request inputs is not valid. (the body ended after %d of the %d bytes its Content-Length announced)", b.got, b.want)
	}
	return n, err
}
