// Package adminclient is funcemu's own client for the admin API a running
// funcemu serves (package admin): it finds the instance through the data
// folder, marks every call as funcemu's own with the master key, and turns
// answers into typed results or errors naming the call that failed. The
// commands invoke, replay and clock use it; nothing else in funcemu
// speaks to the admin API over HTTP.
package adminclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/funcemu/funcemu/emulator/admin"
	"github.com/funcemu/funcemu/emulator/keys"
)

// Client calls the admin API of one running funcemu.
type Client struct {
	base string // http://127.0.0.1:7071, without a trailing slash
	key  string // the master key; "" when keys are off
	http *http.Client
}

// New returns a client for the funcemu serving base with the master key
// key ("" when keys were never turned on), sending through hc.
func New(base, key string, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{}
	}
	return &Client{base: strings.TrimSuffix(base, "/"), key: key, http: hc}
}

// Base is the funcemu's HTTP endpoint the client calls.
func (c *Client) Base() string { return c.base }

// UnreachableError is a call no funcemu answered.
type UnreachableError struct {
	Base string
	Err  error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("no funcemu answers at %s: %v", e.Base, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// StatusError is an answer other than the one the call expects.
type StatusError struct {
	Method, Path string
	Status       string // "500 Internal Server Error"
	Code         int
	Message      string // the answer's body or its error field
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s %s answered %s: %s", e.Method, e.Path, e.Status, e.Message)
}

// postJSON sends body as funcemu's own JSON call to path and returns the
// response, whose body the caller closes.
func (c *Client) postJSON(ctx context.Context, path string, body any) (*http.Response, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("POST %s: %w", path, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("POST %s: %w", path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(admin.ClientHeader, "cli")
	c.setKey(req)
	return c.send(req)
}

func (c *Client) send(req *http.Request) (*http.Response, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, &UnreachableError{Base: c.base, Err: err}
	}
	return resp, nil
}

// setKey sends the master key the way Azure takes keys: x-functions-key.
func (c *Client) setKey(req *http.Request) {
	if c.key != "" {
		req.Header.Set(keys.Header, c.key)
	}
}

// statusError reads what resp says went wrong, at most 4 KiB of it.
func statusError(resp *http.Response) *StatusError {
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return &StatusError{Method: resp.Request.Method, Path: resp.Request.URL.Path, Status: resp.Status,
		Code: resp.StatusCode, Message: strings.TrimSpace(string(msg))}
}
