package adminclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/funcemu/funcemu/emulator/admin"
)

// NoFunctionError is an invocation of a function the funcemu does not have.
type NoFunctionError struct{ Base, Function string }

func (e *NoFunctionError) Error() string {
	return fmt.Sprintf("funcemu at %s has no function %q", e.Base, e.Function)
}

// Invoke runs function with input as POST /admin/functions/{name} does,
// in the background, and returns the new invocation's id.
func (c *Client) Invoke(ctx context.Context, function, input string) (string, error) {
	resp, err := c.postJSON(ctx, "/admin/functions/"+url.PathEscape(function), map[string]string{"input": input})
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusAccepted:
		return resp.Header.Get(admin.InvocationIDHeader), nil
	case http.StatusNotFound:
		return "", &NoFunctionError{Base: c.base, Function: function}
	}
	return "", statusError(resp)
}

// Running is an invocation StartInvoke started, whose outcome comes when
// it has finished, retries included.
type Running struct {
	ID   string // the first attempt's invocation id
	base string
	resp *http.Response
}

// StartInvoke runs function with input through POST
// /admin/funcemu/invoke/{name}, which names the invocation at once and
// answers its outcome when done. Call Wait, or Close to stop waiting.
func (c *Client) StartInvoke(ctx context.Context, function, input string) (*Running, error) {
	resp, err := c.postJSON(ctx, "/admin/funcemu/invoke/"+url.PathEscape(function), map[string]string{"input": input})
	if err != nil {
		return nil, err
	}
	switch resp.StatusCode {
	case http.StatusOK:
		return &Running{ID: resp.Header.Get(admin.InvocationIDHeader), base: c.base, resp: resp}, nil
	case http.StatusNotFound:
		resp.Body.Close()
		return nil, &NoFunctionError{Base: c.base, Function: function}
	}
	defer resp.Body.Close()
	return nil, statusError(resp)
}

// Wait returns the invocation's outcome once it has finished.
func (r *Running) Wait() (admin.InvokeOutcome, error) {
	defer r.resp.Body.Close()
	var out admin.InvokeOutcome
	if err := json.NewDecoder(r.resp.Body).Decode(&out); err != nil {
		return out, fmt.Errorf("funcemu at %s stopped before the invocation %s finished: %w", r.base, r.ID, err)
	}
	return out, nil
}

// Close stops waiting for the outcome.
func (r *Running) Close() error { return r.resp.Body.Close() }
