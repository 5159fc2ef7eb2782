package rest

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/appendblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/lease"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/pageblob"
)

var updateListGolden = flag.Bool("update-list-golden", false, "rewrite testdata/blob_list_golden.txt from the current List Blobs answers")

// listGoldenQueries are List Blobs requests over the container
// fillListGoldenContainer makes: prefixes, delimiters, markers, page
// sizes and every include value, alone and together.
var listGoldenQueries = []string{
	"",
	"&include=metadata",
	"&include=tags",
	"&include=metadata,tags,snapshots,uncommittedblobs,copy",
	"&include=snapshots",
	"&include=uncommittedblobs",
	"&include=versions,deleted,deletedwithversions,immutabilitypolicy,legalhold,permissions",
	"&include=metadata,snapshots,tags,versions,deleted",
	"&prefix=dir/",
	"&prefix=dir/&delimiter=/",
	"&delimiter=/",
	"&delimiter=/&include=metadata,tags",
	"&prefix=d&delimiter=/&maxresults=2",
	"&maxresults=1",
	"&maxresults=3&include=snapshots",
	"&marker=dir/a",
	"&marker=plain&maxresults=2",
	"&prefix=odd",
	"&prefix=nothing-here",
	"&delimiter=a",
}

// fillListGoldenContainer makes one container holding blobs of every
// type and state a listing shows.
func fillListGoldenContainer(t *testing.T, e *blobEnv) {
	t.Helper()
	ctx := context.Background()
	cc := e.container(t, "golden")
	put := func(name, body string, o *blockblob.UploadOptions) *blockblob.Client {
		t.Helper()
		bb := cc.NewBlockBlobClient(name)
		if _, err := bb.Upload(ctx, streamOf([]byte(body)), o); err != nil {
			t.Fatalf("upload %s: %v", name, err)
		}
		e.clock.Advance(1500 * time.Millisecond)
		return bb
	}
	put("plain", "hello", nil)
	put("dir/a", "a", nil)
	put("dir/b/c", "c", nil)
	put("dir/b/d", "d", nil)
	put("dir2/e", "e", nil)
	put("odd & <name> \"q\" 'a'", "odd", nil)
	put("ünïcødé/日本", "u", nil)
	put("headers", "h", &blockblob.UploadOptions{
		HTTPHeaders: &blob.HTTPHeaders{BlobContentType: to.Ptr("text/plain; charset=\"utf-8\""), BlobContentEncoding: to.Ptr("gzip"),
			BlobContentLanguage: to.Ptr("en"), BlobContentDisposition: to.Ptr("attachment; filename=\"a&b\""),
			BlobCacheControl: to.Ptr("no-cache"), BlobContentMD5: bytes.Repeat([]byte{7}, 16)},
	})
	put("meta", "m", &blockblob.UploadOptions{Metadata: map[string]*string{"b": to.Ptr("x & y"), "a": to.Ptr("1")}})
	put("tagged", "t", &blockblob.UploadOptions{Tags: map[string]string{"k": "v 1+2=3", "a": "b"}})
	put("tagged-meta", "tm", &blockblob.UploadOptions{Tags: map[string]string{"k": "v"},
		Metadata: map[string]*string{"m": to.Ptr("v")}})
	cool := put("cool", "c", nil)
	if _, err := cool.SetTier(ctx, blob.AccessTierCool, nil); err != nil {
		t.Fatal(err)
	}
	snapped := put("snapped", "s1", nil)
	if _, err := snapped.CreateSnapshot(ctx, nil); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Second)
	if _, err := snapped.Upload(ctx, streamOf([]byte("s2")), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := cc.NewBlobClient("copied").CopyFromURL(ctx, snapped.URL(), nil); err != nil {
		t.Fatal(err)
	}
	leased := put("leased", "l", nil)
	lc, err := lease.NewBlobClient(leased, &lease.BlobClientOptions{LeaseID: to.Ptr("c6a6c2a4-7f54-4c29-8c2e-6a3f5d1b0e11")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lc.AcquireLease(ctx, -1, nil); err != nil {
		t.Fatal(err)
	}
	ab := cc.NewAppendBlobClient("appended")
	if _, err := ab.Create(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := ab.AppendBlock(ctx, streamOf([]byte("x")), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := ab.Seal(ctx, &appendblob.SealOptions{}); err != nil {
		t.Fatal(err)
	}
	pb := cc.NewPageBlobClient("paged")
	if _, err := pb.Create(ctx, 1024, &pageblob.CreateOptions{SequenceNumber: to.Ptr[int64](7)}); err != nil {
		t.Fatal(err)
	}
	if _, err := cc.NewBlockBlobClient("staged-only").StageBlock(ctx, b64("block-0"), streamOf([]byte("x")), nil); err != nil {
		t.Fatal(err)
	}
}

// listGoldenVariable are the parts of a listing that differ from run to
// run: the server's port and the GUIDs of copies.
var listGoldenVariable = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`http://127\.0\.0\.1:\d+/`), "http://127.0.0.1:PORT/"},
	{regexp.MustCompile(`<CopyId>[0-9a-f-]{36}</CopyId>`), "<CopyId>GUID</CopyId>"},
}

// TestBlobListAnswersAsRecorded holds List Blobs answers byte for byte to
// the ones recorded in testdata/blob_list_golden.txt, so a faster listing
// cannot change what clients read.
func TestBlobListAnswersAsRecorded(t *testing.T) {
	t.Parallel()
	for _, kind := range storeKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			e := newBlobEnv(t, kind)
			fillListGoldenContainer(t, e)
			var got bytes.Buffer
			for _, q := range listGoldenQueries {
				body := getSignedOK(t, e.url+"/golden?restype=container&comp=list"+q)
				for _, v := range listGoldenVariable {
					body = v.re.ReplaceAll(body, []byte(v.with))
				}
				fmt.Fprintf(&got, "=== %s\n%s\n", q, body)
			}
			path := filepath.Join("testdata", "blob_list_golden.txt")
			if *updateListGolden && kind == storeKinds[0] {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				gl, wl := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
				for i := 0; i < min(len(gl), len(wl)); i++ {
					if gl[i] != wl[i] {
						t.Fatalf("line %d differs:\n got %s\nwant %s", i+1, gl[i], wl[i])
					}
				}
				t.Fatalf("%d lines, want %d", len(gl), len(wl))
			}
		})
	}
}
