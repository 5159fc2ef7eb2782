package worker

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"syscall"
	"time"
)

// exitGrace is how long a failed request waits to learn whether the
// handler process is exiting, which a dropped connection often means.
const exitGrace = 200 * time.Millisecond

// leaseTransport names the cause when a request to the handler fails
// because the handler went away: "exited (exit status 2)" or "closed the
// connection" say more than the transport's "EOF".
type leaseTransport struct {
	next http.RoundTripper
	p    *process
}

func (t leaseTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err == nil {
		resp.Body = &leaseBody{ReadCloser: resp.Body, p: t.p}
		return resp, nil
	}
	return nil, t.p.explain(err)
}

// leaseBody explains a response body cut short by the handler.
type leaseBody struct {
	io.ReadCloser
	p *process
}

func (b *leaseBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		err = b.p.explain(err)
	}
	return n, err
}

// explain rewords an error of a connection the handler dropped.
func (p *process) explain(err error) error {
	if !droppedConnection(err) {
		return err
	}
	select {
	case <-p.done:
		return &goneError{msg: fmt.Sprintf("the handler exited (%s) during the request", exitText(p.exitErr)), err: err}
	case <-time.After(exitGrace):
		return &goneError{msg: "the handler closed the connection without answering", err: err}
	}
}

// goneError says why the handler did not answer; it keeps the transport's
// error for errors.Is, but not in its text, which would end in "EOF".
type goneError struct {
	msg string
	err error
}

func (e *goneError) Error() string { return e.msg }
func (e *goneError) Unwrap() error { return e.err }

// droppedConnection reports errors of a peer that went away.
func droppedConnection(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE)
}

// exitText is a process's end as the shell says it: "exit status 2",
// "signal: killed".
func exitText(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.String()
	}
	if err == nil {
		return "exit status 0"
	}
	return err.Error()
}
