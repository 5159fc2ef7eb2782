package benchmeter

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// Replay is an HTTP transport that sends each distinct request (method,
// URL and body) to the server once, through Next, and answers every later
// identical request from memory with a copy of that first answer. Timing
// an SDK over it leaves only the SDK's own work: building requests and
// decoding answers as they came from the real server, with no server and
// no socket. That is the floor of an operation's time through the SDK,
// which no server can go below.
//
// Headers other than the method, URL and body (dates, signatures) do not
// tell requests apart, so signed requests repeat as identical; nor does
// the URL's host, so Handler can serve the answers from another address.
type Replay struct {
	// Next sends the first of each request; nil is http.DefaultTransport.
	Next http.RoundTripper

	mu       sync.Mutex
	answers  map[string]*recorded
	replayed int
}

// recorded is an answer kept whole.
type recorded struct {
	status int
	header http.Header
	body   []byte
}

// Replayed is the number of answers given from memory so far.
func (r *Replay) Replayed() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.replayed
}

// RoundTrip answers req from memory if an identical request was sent
// before, else sends it and records its answer.
func (r *Replay) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		body, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("replay: read request body: %w", err)
		}
	}
	key := replayKey(req.Method, req.URL.RequestURI(), body)
	r.mu.Lock()
	a, ok := r.answers[key]
	if ok {
		r.replayed++
	}
	r.mu.Unlock()
	if !ok {
		var err error
		if a, err = r.record(req, body); err != nil {
			return nil, err
		}
		r.mu.Lock()
		if r.answers == nil {
			r.answers = map[string]*recorded{}
		}
		r.answers[key] = a
		r.mu.Unlock()
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", a.status, http.StatusText(a.status)),
		StatusCode:    a.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        a.header.Clone(),
		Body:          io.NopCloser(bytes.NewReader(a.body)),
		ContentLength: int64(len(a.body)),
		Request:       req,
	}, nil
}

// Handler is a server that only writes the answers recorded so far: each
// request gets the answer of the recorded one with its method, path, query
// and body, and 404 if none was recorded. Timing an SDK against it over
// loopback leaves the SDK's work and the socket's, with no server work.
func (r *Replay) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			http.Error(w, "replay: read request body: "+err.Error(), http.StatusBadRequest)
			return
		}
		r.mu.Lock()
		a, ok := r.answers[replayKey(req.Method, req.RequestURI, body)]
		r.mu.Unlock()
		if !ok {
			http.Error(w, "replay: no answer recorded for "+req.Method+" "+req.RequestURI, http.StatusNotFound)
			return
		}
		h := w.Header()
		for k, v := range a.header {
			h[k] = v
		}
		w.WriteHeader(a.status)
		_, _ = w.Write(a.body)
	})
}

// replayKey tells requests apart: method, path and query as sent on the
// request line, and body.
func replayKey(method, requestURI string, body []byte) string {
	return method + " " + requestURI + "\n" + string(body)
}

// record sends req (its body already read) and reads the answer whole.
func (r *Replay) record(req *http.Request, body []byte) (*recorded, error) {
	next := r.Next
	if next == nil {
		next = http.DefaultTransport
	}
	out := req.Clone(req.Context())
	if req.Body != nil {
		out.Body = io.NopCloser(bytes.NewReader(body))
		out.ContentLength = int64(len(body))
	}
	resp, err := next.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("replay: read answer: %w", err)
	}
	return &recorded{status: resp.StatusCode, header: resp.Header.Clone(), body: b}, nil
}
