package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"

	"github.com/funcemu/funcemu/internal/benchmeter"
)

// The listing's rows, named once for the ceiling printed after the table.
const (
	listRow = "list blobs (the 4 KiB blobs, one page)"
	// azblob over the server's page answered from memory, no socket.
	aloneListRow = "list blobs, azblob alone on the server's answer"
	// azblob over loopback against a server writing the server's page
	// from memory and doing nothing else: the least any server's list
	// costs through the SDK.
	servedListRow = "list blobs, the server's answer served from memory"
)

// listCeilings times the listing twice more on the server's own answer:
// answered from memory by the client's transport (azblob's work only),
// and served over loopback by a server that only writes it (azblob's
// work and the socket's). What the real server adds to the second is
// all that any server could take off a list through azblob.
func listCeilings(ctx context.Context, s *server, cred *azblob.SharedKeyCredential, blobs, lists int, res *result) error {
	next := &http.Transport{}
	defer next.CloseIdleConnections()
	replay := &benchmeter.Replay{Next: next}
	bc, err := azblob.NewClientWithSharedKeyCredential(s.blobURL+"/", cred,
		&azblob.ClientOptions{ClientOptions: azcore.ClientOptions{Transport: &http.Client{Transport: replay}}})
	if err != nil {
		return err
	}
	rec := &recordingTransport{next: next}
	recorded, err := azblob.NewClientWithSharedKeyCredential(s.blobURL+"/", cred,
		&azblob.ClientOptions{ClientOptions: azcore.ClientOptions{Transport: &http.Client{Transport: rec}}})
	if err != nil {
		return err
	}
	if err := listBlobs(ctx, recorded, blobs, 1); err != nil {
		return err
	}
	served := httptest.NewServer(rec.answer())
	defer served.Close()
	sc, err := azblob.NewClientWithSharedKeyCredential(served.URL+"/"+account+"/", cred, nil)
	if err != nil {
		return err
	}
	for _, run := range []struct {
		row    string
		client *azblob.Client
	}{{aloneListRow, bc}, {servedListRow, sc}} {
		if err := listBlobs(ctx, run.client, blobs, 1+listWarmUp); err != nil {
			return fmt.Errorf("%s: %w", run.row, err)
		}
		start := time.Now()
		if err := listBlobs(ctx, run.client, blobs, lists); err != nil {
			return fmt.Errorf("%s: %w", run.row, err)
		}
		res.values[run.row] = float64(lists) / time.Since(start).Seconds()
	}
	if replay.Replayed() < lists+listWarmUp {
		return fmt.Errorf("%d of %d lists answered from memory", replay.Replayed(), lists+listWarmUp)
	}
	return nil
}

// recordingTransport keeps the last answer it passed on, whole.
type recordingTransport struct {
	next   http.RoundTripper
	status int
	header http.Header
	body   []byte
}

func (t *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("record answer: %w", err)
	}
	t.status, t.header, t.body = resp.StatusCode, resp.Header.Clone(), body
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// answer is a handler writing the recorded answer to every request.
func (t *recordingTransport) answer() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		for k, v := range t.header {
			h[k] = v
		}
		w.WriteHeader(t.status)
		_, _ = w.Write(t.body)
	})
}
