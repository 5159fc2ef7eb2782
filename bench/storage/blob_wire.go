package main

import (
	"context"
	"fmt"
	"io"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"

	"github.com/funcemu/funcemu/internal/cputime"
)

// blobWireMetrics are the 4 KiB download and the listing again, counting
// only the time on the wire (see wireClock): what is left of a listing
// once the SDK's decoding of 500 BlobItems, the same against both
// servers, is taken out.
var blobWireMetrics = []struct{ name, unit string }{
	{"4 KiB blob download, wire time only", "ops/s"},
	{"list blobs, wire time only", "lists/s"},
	{"list blobs, server CPU only", "lists per CPU-s"},
	{"list blobs, client CPU only", "lists per CPU-s"},
	{aloneListRow, "lists/s"},
	{servedListRow, "lists/s"},
}

// blobWireWorkload repeats the download and list phases of blobWorkload
// through a client whose transport times the wire, after them, so the
// SDK rows are measured as before.
func blobWireWorkload(ctx context.Context, c config, s *server, res *result, lists int) error {
	cred, err := azblob.NewSharedKeyCredential(account, key)
	if err != nil {
		return err
	}
	wire := newWireClock()
	bc, err := azblob.NewClientWithSharedKeyCredential(s.blobURL+"/", cred,
		&azblob.ClientOptions{ClientOptions: azcore.ClientOptions{Transport: wire}})
	if err != nil {
		return err
	}
	s.settle("4 KiB download, wire time")
	err = wire.phase(res, "", "4 KiB blob download, wire time only", float64(c.blobs), func() error {
		for i := 0; i < c.blobs; i++ {
			resp, err := bc.DownloadStream(ctx, "bench", fmt.Sprintf("small/%05d", i), nil)
			if err != nil {
				return err
			}
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("download, wire time: %w", err)
	}
	s.settle("list blobs, wire time")
	// The same phase splits a listing's CPU time between the server
	// process and this one, the client: the SDK's decoding of the page.
	server0, err := serverCPU(s.cmd.Process.Pid)
	if err != nil {
		return err
	}
	client0 := cputime.Process()
	err = wire.phase(res, "", "list blobs, wire time only", float64(lists), func() error {
		return listBlobs(ctx, bc, c.blobs, lists)
	})
	if err != nil {
		return fmt.Errorf("list, wire time: %w", err)
	}
	server1, err := serverCPU(s.cmd.Process.Pid)
	if client := cputime.Process() - client0; err == nil && server1 > server0 && client > 0 {
		res.values["list blobs, server CPU only"] = float64(lists) / (server1 - server0).Seconds()
		res.values["list blobs, client CPU only"] = float64(lists) / client.Seconds()
	}
	s.settle("list blobs, azblob alone")
	return listCeilings(ctx, s, cred, c.blobs, lists, res)
}
