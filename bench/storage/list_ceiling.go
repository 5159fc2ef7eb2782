package main

import (
	"context"
	"fmt"
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

// listCeilings times the listing twice more on the server's own answer,
// recorded by a benchmeter.Replay on the first list: answered from memory
// by the client's transport (azblob's work only), and served over
// loopback by the Replay's handler, a server that only writes it
// (azblob's work and the socket's). What the real server adds to the
// second is all that any server could take off a list through azblob.
func listCeilings(ctx context.Context, s *server, cred *azblob.SharedKeyCredential, blobs, lists int, res *result) error {
	next := &http.Transport{}
	defer next.CloseIdleConnections()
	replay := &benchmeter.Replay{Next: next}
	bc, err := azblob.NewClientWithSharedKeyCredential(s.blobURL+"/", cred,
		&azblob.ClientOptions{ClientOptions: azcore.ClientOptions{Transport: &http.Client{Transport: replay}}})
	if err != nil {
		return err
	}
	if err := listBlobs(ctx, bc, blobs, 1); err != nil { // records the answer
		return err
	}
	served := httptest.NewServer(replay.Handler())
	defer served.Close()
	sc, err := azblob.NewClientWithSharedKeyCredential(served.URL+"/"+account+"/", cred, nil)
	if err != nil {
		return err
	}
	for _, run := range []struct {
		row    string
		client *azblob.Client
	}{{aloneListRow, bc}, {servedListRow, sc}} {
		if err := listBlobs(ctx, run.client, blobs, listWarmUp); err != nil {
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
