package rest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/bloberror"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/sas"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"
)

func TestBlobSDKBatch(t *testing.T) {
	t.Parallel()
	eachBlobEnv(t, func(t *testing.T, e *blobEnv) {
		ctx := context.Background()
		cc := e.container(t, "batch")
		for _, n := range []string{"a", "b", "dir/c d"} {
			if _, err := cc.NewBlockBlobClient(n).Upload(ctx, streamOf([]byte(n)), nil); err != nil {
				t.Fatal(err)
			}
		}
		svc := e.client.ServiceClient()

		// Set Blob Tier for each, one sub-response each.
		bb, err := svc.NewBatchBuilder()
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []string{"a", "b", "dir/c d"} {
			if err := bb.SetTier("batch", n, blob.AccessTierCool, nil); err != nil {
				t.Fatal(err)
			}
		}
		res, err := svc.SubmitBatch(ctx, bb, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Responses {
			if r.Error != nil {
				t.Fatalf("set tier %s: %v", *r.BlobName, r.Error)
			}
		}
		p, _ := cc.NewBlobClient("dir/c d").GetProperties(ctx, nil)
		if *p.AccessTier != "Cool" {
			t.Fatalf("tier after batch %s", *p.AccessTier)
		}

		// Delete with one missing blob: the others still go.
		bb, _ = svc.NewBatchBuilder()
		for _, n := range []string{"a", "missing", "b"} {
			if err := bb.Delete("batch", n, nil); err != nil {
				t.Fatal(err)
			}
		}
		res, err = svc.SubmitBatch(ctx, bb, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Responses) != 3 || res.Responses[0].Error != nil || res.Responses[2].Error != nil ||
			!bloberror.HasCode(res.Responses[1].Error, bloberror.BlobNotFound) {
			t.Fatalf("delete batch %+v", res.Responses)
		}
		for _, n := range []string{"a", "b"} {
			_, err := cc.NewBlobClient(n).GetProperties(ctx, nil)
			wantCode(t, err, 404, "BlobNotFound")
		}

		// Container level.
		cbb, err := cc.NewBatchBuilder()
		if err != nil {
			t.Fatal(err)
		}
		if err := cbb.Delete("dir/c d", nil); err != nil {
			t.Fatal(err)
		}
		cres, err := cc.SubmitBatch(ctx, cbb, nil)
		if err != nil || cres.Responses[0].Error != nil {
			t.Fatalf("container batch %+v %v", cres, err)
		}

		// Each sub-request is authorized on its own: a SAS without delete
		// permission fails every delete, and deletes nothing.
		if _, err := cc.NewBlockBlobClient("keep").Upload(ctx, streamOf([]byte("k")), nil); err != nil {
			t.Fatal(err)
		}
		sasURL, err := svc.GetSASURL(sas.AccountResourceTypes{Service: true, Container: true, Object: true},
			sas.AccountPermissions{Read: true, List: true}, e.clock.Now().Add(time.Hour), nil)
		if err != nil {
			t.Fatal(err)
		}
		sasSvc, err := service.NewClientWithNoCredential(sasURL, &service.ClientOptions{ClientOptions: noRetry})
		if err != nil {
			t.Fatal(err)
		}
		sbb, _ := sasSvc.NewBatchBuilder()
		if err := sbb.Delete("batch", "keep", nil); err != nil {
			t.Fatal(err)
		}
		sres, err := sasSvc.SubmitBatch(ctx, sbb, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bloberror.HasCode(sres.Responses[0].Error, bloberror.AuthorizationPermissionMismatch) {
			t.Fatalf("sub-request without permission: %v", sres.Responses[0].Error)
		}
		if got := download(t, cc.NewBlobClient("keep")); got != "k" {
			t.Fatal("refused sub-request deleted the blob")
		}
		_ = to.Ptr(1)
	})
}

// batchBody builds a multipart batch of raw sub-requests.
func batchBody(boundary string, subs ...string) string {
	var b strings.Builder
	for i, s := range subs {
		fmt.Fprintf(&b, "--%s\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: %d\r\n\r\n%s\r\n", boundary, i, s)
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return b.String()
}

func TestBlobBatchBadInput(t *testing.T) {
	t.Parallel()
	e := newBlobEnv(t, "memory")
	e.container(t, "bbb")
	srv := NewServer(NewBlobService(e.store), nil, e.clock, nil)
	del := "DELETE /" + DevAccountName + "/bbb/x HTTP/1.1\r\nx-ms-date: now\r\n"
	many := make([]string, 257)
	for i := range many {
		many[i] = del
	}
	for _, tc := range []struct {
		name, ctype, body string
		status            int
		code              string
	}{
		{"not multipart", "application/xml", "<x/>", 400, "InvalidHeaderValue"},
		{"no boundary", "multipart/mixed", "", 400, "InvalidHeaderValue"},
		{"empty", "multipart/mixed; boundary=b", "--b--\r\n", 400, "InvalidInput"},
		{"garbage part", "multipart/mixed; boundary=b", batchBody("b", "not http"), 400, "InvalidInput"},
		{"too many", "multipart/mixed; boundary=b", batchBody("b", many...), 400, "InvalidInput"},
		{"unsupported op", "multipart/mixed; boundary=b", batchBody("b", "GET /"+DevAccountName+"/bbb/x HTTP/1.1\r\n"), 400, "InvalidInput"},
		{"mixed ops", "multipart/mixed; boundary=b", batchBody("b", del, "PUT /"+DevAccountName+"/bbb/x?comp=tier HTTP/1.1\r\n"), 400, "InvalidInput"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/"+DevAccountName+"/?comp=batch", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", tc.ctype)
			req.Header.Set("x-ms-date", time.Now().UTC().Format(http.TimeFormat)) // SharedKey dates follow the machine clock
			req.Header.Set("x-ms-version", "2026-12-06")
			signForTest(t, req, DevAccountName, DevAccountKey)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != tc.status || rec.Header().Get("x-ms-error-code") != tc.code {
				t.Fatalf("got %d %s, want %d %s: %s", rec.Code, rec.Header().Get("x-ms-error-code"), tc.status, tc.code, rec.Body)
			}
		})
	}
	// An unsigned sub-request inside a signed batch is refused on its own.
	req := httptest.NewRequest(http.MethodPost, "/"+DevAccountName+"/bbb?restype=container&comp=batch",
		strings.NewReader(batchBody("b", del, "DELETE /"+DevAccountName+"/other/x HTTP/1.1\r\n")))
	req.Header.Set("Content-Type", "multipart/mixed; boundary=b")
	req.Header.Set("x-ms-date", time.Now().UTC().Format(http.TimeFormat)) // SharedKey dates follow the machine clock
	signForTest(t, req, DevAccountName, DevAccountKey)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	body := rec.Body.String()
	if rec.Code != 202 || !strings.Contains(body, "HTTP/1.1 401") || !strings.Contains(body, "HTTP/1.1 400") || !strings.Contains(body, "Content-ID: 1") {
		t.Fatalf("batch with bad sub-requests: %d\n%s", rec.Code, body)
	}
}

func FuzzParseBatch(f *testing.F) {
	f.Add("multipart/mixed; boundary=b", batchBody("b", "DELETE /a/c/b HTTP/1.1\r\nx: y\r\n"))
	f.Add("multipart/mixed; boundary=b", "--b\r\nContent-Type: application/http\r\n\r\nPUT /a/c/b?comp=tier HTTP/1.1\r\n\r\n--b--")
	f.Add("multipart/mixed; boundary=\"q\"", "--q\r\n\r\n--q--")
	f.Fuzz(func(t *testing.T, ctype, body string) {
		parts, err := parseBatch(ctype, []byte(body))
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %v is not an Azure error", err)
			}
			return
		}
		if len(parts) == 0 || len(parts) > MaxBatchSubrequests {
			t.Fatalf("%d parts", len(parts))
		}
		for _, p := range parts {
			batchKind(p.req)
		}
	})
}
