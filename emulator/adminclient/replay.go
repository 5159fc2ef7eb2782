package adminclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/admin"
	httptrigger "github.com/funcemu/funcemu/emulator/trigger/http"
)

// Replay runs a recorded trigger input again through POST
// /admin/funcemu/replay, the way its trigger ran it, and returns the new
// invocation once it has finished.
func (c *Client) Replay(ctx context.Context, req admin.ReplayRequest) (admin.ReplayResponse, error) {
	var got admin.ReplayResponse
	resp, err := c.postJSON(ctx, "/admin/funcemu/replay", req)
	if err != nil {
		return got, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return got, statusError(resp)
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		return got, fmt.Errorf("POST /admin/funcemu/replay: read the answer: %w", err)
	}
	return got, nil
}

// hopHeaders are not part of the request a handler sees again.
var hopHeaders = map[string]bool{"Host": true, "Content-Length": true, "Connection": true,
	"Transfer-Encoding": true, "Keep-Alive": true, "Te": true, "Upgrade": true, "Accept-Encoding": true}

// SendHTTP sends a recorded HTTP request again to the funcemu's HTTP
// trigger, with the master key (the journal keeps no key; the master key
// opens any authLevel). dryRun records the queue and blob outputs without
// writing them.
func (c *Client) SendHTTP(ctx context.Context, r *emulator.HTTPRequest, dryRun bool) (*emulator.HTTPResponse, error) {
	req, err := http.NewRequestWithContext(ctx, r.Method, c.base+r.URL, bytes.NewReader(r.Body))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", r.Method, r.URL, err)
	}
	for k, vs := range r.Headers {
		if hopHeaders[http.CanonicalHeaderKey(k)] {
			continue
		}
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if dryRun {
		req.Header.Set(httptrigger.DryRunHeader, "true")
	}
	c.setKey(req)
	resp, err := c.send(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: read the response: %w", r.Method, r.URL, err)
	}
	return &emulator.HTTPResponse{Status: resp.StatusCode, Headers: resp.Header, Body: body}, nil
}
