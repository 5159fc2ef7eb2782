// Package benchmeter holds what funcemu's benchmarks measure beside the
// elapsed time: the time on the wire and the server's share of an SDK
// call (the process's CPU time is internal/cputime's).
package benchmeter

import (
	"bytes"
	"io"
	"net/http"
	"time"
)

// Wire is an HTTP transport for the Azure SDKs that adds up, in Elapsed,
// the time from sending each request to the last byte of its answer. The
// answer is read whole before the SDK sees it, as the SDKs read every
// body whole anyway, so the SDK's own work (building requests, decoding
// answers) stays out of Elapsed.
type Wire struct {
	Client  *http.Client
	Elapsed time.Duration
}

// Do sends r and reads its answer whole.
func (w *Wire) Do(r *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := w.Client.Do(r)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	w.Elapsed += time.Since(start)
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}
