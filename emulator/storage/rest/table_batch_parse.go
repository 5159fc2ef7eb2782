package rest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"strings"
)

// Limits of an entity group transaction.
const (
	maxBatchOps   = 100
	maxBatchBytes = 4 << 20
)

// batchRequest is one operation of a $batch body: the HTTP request it
// carries, as sent.
type batchRequest struct {
	method    string
	url       *url.URL
	header    textproto.MIMEHeader
	body      []byte
	contentID string
}

// parsedBatch is a $batch body: either one changeset of writes or one
// query outside any changeset.
type parsedBatch struct {
	changeset bool
	ops       []batchRequest
}

func errTableBatch(format string, args ...any) *Error {
	return errTableInput("$batch: "+format, args...)
}

// parseTableBatch reads a multipart/mixed $batch body. It checks the shape
// only; the operations' meaning is checked when they are applied.
func parseTableBatch(contentType string, body []byte) (*parsedBatch, error) {
	boundary, err := multipartBoundary(contentType)
	if err != nil {
		return nil, errTableBatch("Content-Type: %v", err)
	}
	if pb, ok := parseChangesetFast(boundary, body); ok {
		return pb, nil
	}
	return parseBatchParts(boundary, body)
}

// parseBatchParts is parseTableBatch through mime/multipart, for any body.
func parseBatchParts(boundary string, body []byte) (*parsedBatch, error) {
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	part, err := mr.NextPart()
	if err != nil {
		return nil, errTableBatch("no batch part: %v", err)
	}
	pb := &parsedBatch{}
	partType := part.Header.Get("Content-Type")
	if strings.HasPrefix(strings.ToLower(partType), "multipart/mixed") {
		pb.changeset = true
		inner, err := multipartBoundary(partType)
		if err != nil {
			return nil, errTableBatch("changeset Content-Type: %v", err)
		}
		cr := multipart.NewReader(part, inner)
		for {
			op, err := cr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, errTableBatch("changeset part %d: %v", len(pb.ops), err)
			}
			if len(pb.ops) == maxBatchOps {
				return nil, errTableBatch("more than %d operations in one changeset", maxBatchOps)
			}
			req, err := readBatchRequest(op)
			if err != nil {
				return nil, errTableBatch("operation %d: %v", len(pb.ops), err)
			}
			pb.ops = append(pb.ops, req)
		}
	} else {
		req, err := readBatchRequest(part)
		if err != nil {
			return nil, errTableBatch("query part: %v", err)
		}
		if req.method != "GET" {
			return nil, errTableBatch("a %s outside a changeset; only a query may stand alone", req.method)
		}
		pb.ops = append(pb.ops, req)
	}
	if _, err := mr.NextPart(); err != io.EOF {
		return nil, errTableBatch("a batch holds one changeset or one query; found a second part")
	}
	if len(pb.ops) == 0 {
		return nil, errTableBatch("the changeset holds no operations")
	}
	return pb, nil
}

func multipartBoundary(contentType string) (string, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", err
	}
	if mt != "multipart/mixed" || params["boundary"] == "" {
		return "", fmt.Errorf("%q is not multipart/mixed with a boundary", contentType)
	}
	return params["boundary"], nil
}

// readBatchRequest reads an application/http part: a request line,
// headers, a blank line and the body.
func readBatchRequest(part *multipart.Part) (batchRequest, error) {
	var br batchRequest
	if ct := strings.ToLower(part.Header.Get("Content-Type")); !strings.HasPrefix(ct, "application/http") {
		return br, fmt.Errorf("Content-Type %q, want application/http", ct)
	}
	raw, err := io.ReadAll(io.LimitReader(part, maxBatchBytes+1))
	if err != nil {
		return br, err
	}
	// A reader the part's size, not bufio's default 4 KiB for each of up
	// to 100 parts.
	tp := textproto.NewReader(bufio.NewReaderSize(bytes.NewReader(raw), len(raw)))
	line, err := tp.ReadLine()
	for err == nil && strings.TrimSpace(line) == "" {
		line, err = tp.ReadLine()
	}
	if err != nil {
		return br, fmt.Errorf("no request line")
	}
	fields := strings.Fields(line)
	if len(fields) != 3 || !strings.HasPrefix(fields[2], "HTTP/") {
		return br, fmt.Errorf("request line %q is not 'METHOD URL HTTP/1.1'", line)
	}
	br.method = strings.ToUpper(fields[0])
	if br.url, err = url.Parse(fields[1]); err != nil {
		return br, fmt.Errorf("request URL %q: %v", fields[1], err)
	}
	if br.header, err = tp.ReadMIMEHeader(); err != nil && err != io.EOF {
		return br, fmt.Errorf("headers: %v", err)
	}
	rest, _ := io.ReadAll(tp.R)
	br.body = bytes.TrimRight(rest, "\r\n")
	br.contentID = br.header.Get("Content-ID")
	return br, nil
}
