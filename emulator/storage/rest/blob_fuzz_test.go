package rest

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func FuzzParseBlockList(f *testing.F) {
	for _, seed := range []string{
		`<?xml version="1.0" encoding="UTF-8"?><BlockList><Latest>QUFB</Latest><Committed>QkJC</Committed><Uncommitted>Q0ND</Uncommitted></BlockList>`,
		`<BlockList></BlockList>`, `<BlockList><Latest>not base64</Latest></BlockList>`, `<Other/>`, `<BlockList><Foo>x</Foo>`, ``, `<`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		refs, err := ParseBlockList(body)
		if err != nil {
			if e, ok := toAPIError(err); !ok || e.Status != 400 {
				t.Fatalf("bad block list answered %v", err)
			}
			return
		}
		for _, r := range refs {
			if r.ID == "" || r.From == "" {
				t.Fatalf("accepted an empty ref %+v", r)
			}
		}
	})
}

func FuzzParseRange(f *testing.F) {
	for _, seed := range []string{"bytes=0-", "bytes=5-10", "bytes=10-5", "bytes=-5", "bytes=99999999999999999999-", "items=0-1", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		h := http.Header{}
		h.Set("x-ms-range", v)
		rg, err := parseRange(h)
		if err != nil {
			if e, ok := toAPIError(err); !ok || (e.Status != 400 && e.Status != 416) {
				t.Fatalf("bad range %q answered %v", v, err)
			}
			return
		}
		if rg != nil && (rg.Start < 0 || (rg.End >= 0 && rg.End < rg.Start)) {
			t.Fatalf("range %q parsed to %+v", v, rg)
		}
	})
}

func FuzzParseConditions(f *testing.F) {
	f.Add(`"0x1"`, "*", "Fri, 27 Nov 2026 02:40:17 GMT", "garbage", "lease")
	f.Fuzz(func(t *testing.T, ifMatch, ifNoneMatch, since, unmodified, leaseID string) {
		h := http.Header{}
		for k, v := range map[string]string{"If-Match": ifMatch, "If-None-Match": ifNoneMatch,
			"If-Modified-Since": since, "If-Unmodified-Since": unmodified, "x-ms-lease-id": leaseID} {
			h.Set(k, v)
		}
		if _, err := parseConditions(h); err != nil {
			if e, ok := toAPIError(err); !ok || e.Status != 400 || e.Code != "InvalidHeaderValue" {
				t.Fatalf("bad conditions answered %v", err)
			}
		}
		if _, err := leaseRequest(h); err != nil {
			if e, ok := toAPIError(err); !ok || e.Status != 400 {
				t.Fatalf("bad lease headers answered %v", err)
			}
		}
	})
}

func FuzzParseServiceProperties(f *testing.F) {
	f.Add([]byte(`<StorageServiceProperties><Cors><CorsRule><AllowedOrigins>*</AllowedOrigins><AllowedMethods>GET</AllowedMethods><AllowedHeaders>*</AllowedHeaders><ExposedHeaders></ExposedHeaders><MaxAgeInSeconds>5</MaxAgeInSeconds></CorsRule></Cors></StorageServiceProperties>`))
	f.Add([]byte(`<StorageServiceProperties><Cors><CorsRule><AllowedMethods>FETCH</AllowedMethods></CorsRule></Cors></StorageServiceProperties>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if _, err := parseServiceProperties(body); err != nil {
			if e, ok := toAPIError(err); !ok || e.Status != 400 {
				t.Fatalf("bad service properties answered %v", err)
			}
		}
	})
}

// TestBlobBadInput throws malformed requests at the raw server: each gets
// its Azure status and code, never a 500.
func TestBlobBadInput(t *testing.T) {
	t.Parallel()
	e := newBlobEnv(t, "memory")
	e.container(t, "bad")
	put := func(path, body string, hdr map[string]string) *http.Request {
		req := httptest.NewRequest(http.MethodPut, "/"+DevAccountName+path, strings.NewReader(body))
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		return req
	}
	get := func(path string, hdr map[string]string) *http.Request {
		req := httptest.NewRequest(http.MethodGet, "/"+DevAccountName+path, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		return req
	}
	seed := put("/bad/blob", "0123456789", map[string]string{"x-ms-blob-type": "BlockBlob"})
	cases := []struct {
		name   string
		req    *http.Request
		status int
		code   string
	}{
		{"malformed block list", put("/bad/blob?comp=blocklist", "<BlockList><Latest>", nil), 400, "InvalidXmlDocument"},
		{"wrong root element", put("/bad/blob?comp=blocklist", "<Blocks/>", nil), 400, "InvalidXmlDocument"},
		{"bad base64 in block list", put("/bad/blob?comp=blocklist", "<BlockList><Latest>@@</Latest></BlockList>", nil), 400, "InvalidBlockId"},
		{"bad base64 block id", put("/bad/blob?comp=block&blockid=%40%40", "x", nil), 400, "InvalidQueryParameterValue"},
		{"block id too long", put("/bad/blob?comp=block&blockid="+strings.Repeat("QUFB", 30), "x", nil), 400, "InvalidQueryParameterValue"},
		{"missing block id", put("/bad/blob?comp=block", "x", nil), 400, "MissingRequiredQueryParameter"},
		{"missing blob type", put("/bad/b2", "x", nil), 400, "MissingRequiredHeader"},
		{"unknown blob type", put("/bad/b2", "x", map[string]string{"x-ms-blob-type": "Weird"}), 400, "InvalidHeaderValue"},
		{"page blob without size", put("/bad/b2", "", map[string]string{"x-ms-blob-type": "PageBlob"}), 400, "MissingRequiredHeader"},
		{"put page without range", put("/bad/blob?comp=page", "", nil), 400, "MissingRequiredHeader"},
		{"bad content md5", put("/bad/b2", "x", map[string]string{"x-ms-blob-type": "BlockBlob", "Content-MD5": "nope"}), 400, "InvalidMd5"},
		{"md5 mismatch", put("/bad/b2", "x", map[string]string{"x-ms-blob-type": "BlockBlob", "Content-MD5": "AAAAAAAAAAAAAAAAAAAAAA=="}), 400, "Md5Mismatch"},
		{"bad metadata name", put("/bad/b2", "x", map[string]string{"x-ms-blob-type": "BlockBlob", "x-ms-meta-1x": "v"}), 400, "InvalidMetadata"},
		{"bad if-modified-since", get("/bad/blob", map[string]string{"If-Modified-Since": "yesterday"}), 400, "InvalidHeaderValue"},
		{"bad range", get("/bad/blob", map[string]string{"x-ms-range": "bytes=a-b"}), 400, "InvalidHeaderValue"},
		{"range past end", get("/bad/blob", map[string]string{"x-ms-range": "bytes=100-200"}), 416, "InvalidRange"},
		{"inverted range", get("/bad/blob", map[string]string{"x-ms-range": "bytes=5-2"}), 416, "InvalidRange"},
		{"lease without action", put("/bad/blob?comp=lease", "", nil), 400, "MissingRequiredHeader"},
		{"lease bad duration", put("/bad/blob?comp=lease", "", map[string]string{"x-ms-lease-action": "acquire", "x-ms-lease-duration": "5"}), 400, "InvalidHeaderValue"},
		{"lease bad proposed id", put("/bad/blob?comp=lease", "", map[string]string{"x-ms-lease-action": "acquire", "x-ms-lease-duration": "-1", "x-ms-proposed-lease-id": "x"}), 400, "InvalidHeaderValue"},
		{"bad maxresults", get("/bad?restype=container&comp=list&maxresults=0", nil), 400, "OutOfRangeQueryParameterValue"},
		{"bad include", get("/bad?restype=container&comp=list&include=everything", nil), 400, "InvalidQueryParameterValue"},
		{"bad acl xml", put("/bad?restype=container&comp=acl", "<SignedIdentifiers><", nil), 400, "InvalidXmlDocument"},
		{"bad public access", put("/new1?restype=container", "", map[string]string{"x-ms-blob-public-access": "world"}), 400, "InvalidHeaderValue"},
		{"bad container name", put("/A_B?restype=container", "", nil), 400, "InvalidResourceName"},
		{"bad service properties", put("/?restype=service&comp=properties", "<StorageServiceProperties><Cors><CorsRule><AllowedOrigins>*</AllowedOrigins><AllowedMethods>FETCH</AllowedMethods></CorsRule></Cors></StorageServiceProperties>", nil), 400, "InvalidXmlNodeValue"},
		{"bad copy source", put("/bad/c2", "", map[string]string{"x-ms-copy-source": "::"}), 400, "InvalidHeaderValue"},
		{"copy from missing", put("/bad/c2", "", map[string]string{"x-ms-copy-source": "http://example.com/" + DevAccountName + "/bad/none"}), 404, "CannotVerifyCopySource"},
		{"bad delete snapshots", httptest.NewRequest(http.MethodDelete, "/"+DevAccountName+"/bad/blob", nil), 0, ""},
		{"append to block blob", put("/bad/blob?comp=appendblock", "x", nil), 409, "InvalidBlobType"},
		{"bad appendpos", put("/bad/blob?comp=appendblock", "x", map[string]string{"x-ms-blob-condition-appendpos": "-1"}), 400, "InvalidHeaderValue"},
		{"container op without restype", get("/bad?comp=metadata", nil), 400, "InvalidQueryParameterValue"},
		{"unaligned page blob size", put("/bad/p", "", map[string]string{"x-ms-blob-type": "PageBlob", "x-ms-blob-content-length": "513"}), 400, "InvalidHeaderValue"},
		{"page blob with body", put("/bad/p", "x", map[string]string{"x-ms-blob-type": "PageBlob", "x-ms-blob-content-length": "512"}), 400, "InvalidHeaderValue"},
		{"put page on block blob", put("/bad/blob?comp=page", strings.Repeat("x", 512), map[string]string{"x-ms-page-write": "update", "x-ms-range": "bytes=0-511"}), 409, "InvalidBlobType"},
		{"unaligned put page", put("/bad/blob?comp=page", "x", map[string]string{"x-ms-page-write": "update", "x-ms-range": "bytes=0-0"}), 416, "InvalidPageRange"},
		{"bad page write", put("/bad/blob?comp=page", "", map[string]string{"x-ms-page-write": "erase", "x-ms-range": "bytes=0-511"}), 400, "InvalidHeaderValue"},
		{"page list of block blob", get("/bad/blob?comp=pagelist", nil), 409, "InvalidBlobType"},
		{"tags xml", put("/bad/blob?comp=tags", "<Tags><TagSet><Tag>", nil), 400, "InvalidXmlDocument"},
		{"duplicate tag", put("/bad/blob?comp=tags", "<Tags><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value>2</Value></Tag></TagSet></Tags>", nil), 400, "InvalidTag"},
		{"bad x-ms-tags", put("/bad/b3", "x", map[string]string{"x-ms-blob-type": "BlockBlob", "x-ms-tags": "a=%zz"}), 400, "InvalidTag"},
		{"bad if-tags", get("/bad/blob", map[string]string{"x-ms-if-tags": "a = "}), 400, "InvalidHeaderValue"},
		{"find without where", get("/?comp=blobs", nil), 400, "InvalidQueryParameterValue"},
		{"find in missing container", get("/nocontainer?restype=container&comp=blobs&where=a%3D'b'", nil), 404, "ContainerNotFound"},
		{"tier without header", put("/bad/blob?comp=tier", "", nil), 400, "MissingRequiredHeader"},
		{"bad rehydrate priority", put("/bad/blob?comp=tier", "", map[string]string{"x-ms-access-tier": "Hot", "x-ms-rehydrate-priority": "Now"}), 400, "InvalidHeaderValue"},
		{"seal block blob", put("/bad/blob?comp=seal", "", nil), 409, "InvalidBlobType"},
	}
	cases[28].req.Header.Set("x-ms-delete-snapshots", "sometimes")
	cases[28].status, cases[28].code = 400, "InvalidHeaderValue"
	srv := NewServer(NewBlobService(e.store), nil, e.clock, nil)
	sign := func(req *http.Request) {
		req.Header.Set("x-ms-date", time.Now().UTC().Format(http.TimeFormat))
		req.Header.Set("x-ms-version", "2026-12-06")
		signForTest(t, req, DevAccountName, DevAccountKey)
	}
	sign(seed)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, seed)
	if rec.Code != 201 {
		t.Fatalf("seed blob: %d %s", rec.Code, rec.Body)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sign(tc.req)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, tc.req)
			if rec.Code != tc.status || rec.Header().Get("x-ms-error-code") != tc.code {
				t.Fatalf("got %d %s, want %d %s: %s", rec.Code, rec.Header().Get("x-ms-error-code"), tc.status, tc.code, rec.Body)
			}
		})
	}
}

// signForTest signs req with SharedKey the way the server checks it.
func signForTest(t *testing.T, req *http.Request, account, key string) {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(key)
	if err != nil {
		t.Fatal(err)
	}
	sts := sharedKeyStrings(req, account)[0]
	req.Header.Set("Authorization", "SharedKey "+account+":"+base64.StdEncoding.EncodeToString(sign(raw, sts)))
}
