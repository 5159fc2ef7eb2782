package rest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// Blob batch limits, as Azure sets them.
const (
	MaxBatchSubrequests = 256
	maxBatchBody        = 4 << 20
)

// batchPerms lets any SAS permission submit a batch: what counts is the
// permission of each sub-request.
const batchPerms = "rwdxylacuptfmei"

func errBatch(format string, args ...any) *Error {
	return errorf(http.StatusBadRequest, "InvalidInput", "One of the request inputs is not valid. ("+format+")", args...)
}

// batchPart is one sub-request of a batch body.
type batchPart struct {
	contentID string
	req       *http.Request
}

// parseBatch reads a multipart/mixed batch body into sub-requests: each
// part is an application/http request without a body (Delete Blob and Set
// Blob Tier have none).
func parseBatch(contentType string, body []byte) ([]batchPart, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.EqualFold(mt, "multipart/mixed") || params["boundary"] == "" {
		return nil, errInvalidHeader("Content-Type", contentType, "a batch needs multipart/mixed; boundary=...")
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var parts []batchPart
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, errBatch("the batch body is not valid multipart: %v", err)
		}
		if len(parts) == MaxBatchSubrequests {
			return nil, errBatch("a batch holds at most %d sub-requests", MaxBatchSubrequests)
		}
		if ct := p.Header.Get("Content-Type"); !strings.EqualFold(strings.TrimSpace(ct), "application/http") {
			return nil, errBatch("sub-request %d has Content-Type %q, want application/http", len(parts), ct)
		}
		raw, err := io.ReadAll(p)
		if err != nil {
			return nil, errBatch("the batch body is not valid multipart: %v", err)
		}
		// The CRLF before a boundary belongs to the boundary, so a
		// sub-request written without a trailing blank line loses the end
		// of its header block; give it back.
		if !bytes.HasSuffix(raw, []byte("\r\n\r\n")) {
			raw = append(raw, "\r\n\r\n"...)
		}
		req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
		if err != nil {
			return nil, errBatch("sub-request %d is not an HTTP request: %v", len(parts), err)
		}
		if req.ContentLength > 0 {
			return nil, errBatch("sub-request %d has a body; batches carry only Delete Blob and Set Blob Tier", len(parts))
		}
		parts = append(parts, batchPart{contentID: p.Header.Get("Content-ID"), req: req})
	}
	if len(parts) == 0 {
		return nil, errBatch("the batch has no sub-requests")
	}
	return parts, nil
}

// batchKind names a sub-request's operation: Azure takes Delete Blob and
// Set Blob Tier, one kind per batch.
func batchKind(req *http.Request) string {
	comp := strings.ToLower(req.URL.Query().Get("comp"))
	switch {
	case req.Method == http.MethodDelete && comp == "":
		return "delete"
	case req.Method == http.MethodPut && comp == "tier":
		return "tier"
	}
	return ""
}

// submitBatch is Blob Batch at account or (r.Resource set) container
// level. The whole body is checked before any sub-request runs; each
// sub-request then runs through the service as its own request, with its
// own authorization, and gets its own sub-response.
func (b *BlobService) submitBatch(w http.ResponseWriter, r *Request) error {
	body, err := readBody(r, maxBatchBody)
	if err != nil {
		return err
	}
	parts, err := parseBatch(r.Header().Get("Content-Type"), body)
	if err != nil {
		return err
	}
	kind := ""
	for i, p := range parts {
		k := batchKind(p.req)
		if k == "" {
			return errBatch("sub-request %d is %s %s; a batch carries only Delete Blob and Set Blob Tier", i, p.req.Method, p.req.URL.RequestURI())
		}
		if kind != "" && k != kind {
			return errBatch("all sub-requests of a batch must be the same operation")
		}
		kind = k
	}
	accounts := &Accounts{byName: map[string]*Account{r.Account.Name: r.Account}}
	sub := NewServer(b, accounts, fixedClock(r.Now), nil)
	if r.Bearer != nil { // the batch's own token passed, so --oauth is on
		sub.EnableOAuth()
	}
	boundary := "batchresponse_" + emulator.NewGUID()
	var out bytes.Buffer
	for _, p := range parts {
		p.req.Host = r.HTTP.Host
		p.req.RemoteAddr = r.HTTP.RemoteAddr
		p.req.TLS = r.HTTP.TLS
		p.req.RequestURI = ""
		p.req = p.req.WithContext(r.Context())
		rec := &subResponse{header: http.Header{}}
		if err := b.checkBatchTarget(r, p.req); err != nil {
			e, _ := toAPIError(err)
			rec.header.Set("x-ms-request-id", emulator.NewGUID())
			writeError(rec, p.req, rec.header.Get("x-ms-request-id"), r.Now, e)
		} else {
			sub.ServeHTTP(rec, p.req)
		}
		rec.writePart(&out, boundary, p.contentID)
	}
	fmt.Fprintf(&out, "--%s--\r\n", boundary)
	h := w.Header()
	h.Set("Content-Type", "multipart/mixed; boundary="+boundary)
	h.Set("Content-Length", strconv.Itoa(out.Len()))
	w.WriteHeader(http.StatusAccepted)
	_, err = w.Write(out.Bytes())
	return err
}

// checkBatchTarget refuses sub-requests for another account, and for
// another container in a container-level batch.
func (b *BlobService) checkBatchTarget(r *Request, sub *http.Request) error {
	var p parsedPath
	if acct := hostAccount(sub.Host); acct == r.Account.Name {
		p = parseHostStylePath(sub.URL, acct)
	} else {
		var err error
		if p, err = parsePath(sub.URL); err != nil {
			return err
		}
	}
	if p.account != r.Account.Name {
		return errBatch("the sub-request is for account %q, the batch for %q", p.account, r.Account.Name)
	}
	if p.resource == "" || p.name == "" {
		return errBatch("the sub-request %s does not name a blob", sub.URL.Path)
	}
	if r.Resource != "" && p.resource != r.Resource {
		return errBatch("the sub-request is for container %q, the batch for %q", p.resource, r.Resource)
	}
	return nil
}

// subResponse records one sub-request's answer.
type subResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (s *subResponse) Header() http.Header { return s.header }
func (s *subResponse) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
}
func (s *subResponse) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.body.Write(p)
}

func (s *subResponse) writePart(out *bytes.Buffer, boundary, contentID string) {
	fmt.Fprintf(out, "--%s\r\nContent-Type: application/http\r\n", boundary)
	if contentID != "" {
		fmt.Fprintf(out, "Content-ID: %s\r\n", contentID)
	}
	fmt.Fprintf(out, "\r\nHTTP/1.1 %d %s\r\n", s.status, http.StatusText(s.status))
	s.header.Del("Date")
	if s.body.Len() > 0 {
		s.header.Set("Content-Length", strconv.Itoa(s.body.Len()))
	}
	_ = s.header.Write(out)
	out.WriteString("\r\n")
	out.Write(s.body.Bytes())
	if s.body.Len() > 0 {
		out.WriteString("\r\n")
	}
}

// fixedClock answers one instant: sub-requests of a batch share the
// batch's time.
type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }
func (c fixedClock) AfterFunc(d time.Duration, f func()) emulator.Timer {
	return emulator.SystemClock{}.AfterFunc(d, f)
}
