package rest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator/storage"
)

// FuzzBlobParityRequests sends signed requests with arbitrary headers and
// query values to the tag, tier, seal, page and batch operations of a
// store holding one blob of each type: whatever arrives, the answer is
// never a 500.
func FuzzBlobParityRequests(f *testing.F) {
	f.Add(uint8(0), "comp=tags", "x-ms-if-tags", `"a" = 'b'`, "<Tags><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tags>")
	f.Add(uint8(1), "comp=page", "x-ms-range", "bytes=0-511", strings.Repeat("p", 512))
	f.Add(uint8(1), "comp=tier", "x-ms-access-tier", "Archive", "")
	f.Add(uint8(2), "comp=pagelist&prevsnapshot=x", "x-ms-range", "bytes=0-", "")
	f.Add(uint8(3), "comp=batch", "Content-Type", "multipart/mixed; boundary=b", "--b\r\n\r\nDELETE /x HTTP/1.1\r\n\r\n--b--")
	f.Add(uint8(0), "comp=seal", "x-ms-blob-condition-appendpos", "0", "")
	f.Add(uint8(2), "comp=blobs&where=a%3D'b'", "x-ms-page-write", "clear", "")
	e := newBlobEnv(f, "memory")
	ctx := context.Background()
	if _, err := e.store.CreateContainer(ctx, DevAccountName, "fzz", storage.ContainerOptions{}); err != nil {
		f.Fatal(err)
	}
	for name, opts := range map[string]storage.PutBlobOptions{
		"block":  {Tags: storage.Tags{"a": "b"}},
		"append": {Type: storage.AppendBlob},
		"page":   {Type: storage.PageBlob, PageBlobSize: 4096},
	} {
		if _, err := e.store.PutBlob(ctx, DevAccountName, "fzz", name, strings.NewReader(""), opts); err != nil {
			f.Fatal(err)
		}
	}
	srv := NewServer(NewBlobService(e.store), nil, e.clock, nil)
	methods := []string{http.MethodPut, http.MethodGet, http.MethodHead, http.MethodPost, http.MethodDelete}
	paths := []string{"/fzz/block", "/fzz/append", "/fzz/page", "/fzz", "/"}
	f.Fuzz(func(t *testing.T, pick uint8, query, header, value, body string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		path := paths[int(pick)%len(paths)]
		if path == "/fzz" {
			q.Set("restype", "container")
		}
		req := httptest.NewRequest(methods[int(pick/8)%len(methods)], "/"+DevAccountName+path, strings.NewReader(body))
		req.URL.RawQuery = q.Encode()
		if !validHeaderName(header) || strings.ContainsAny(value, "\r\n\x00") {
			return
		}
		req.Header.Set(header, value)
		req.Header.Set("x-ms-date", time.Now().UTC().Format(http.TimeFormat)) // SharedKey dates follow the machine clock
		signForTest(t, req, DevAccountName, DevAccountKey)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code >= 500 && rec.Code != http.StatusNotImplemented {
			t.Fatalf("%s %s?%s %s=%q: %d %s", req.Method, path, req.URL.RawQuery, header, value, rec.Code, rec.Body)
		}
	})
}
