package rest

import (
	"bytes"
	"net/textproto"
	"net/url"
	"strings"
)

// parseChangesetFast reads the $batch body SDKs send — one changeset,
// CRLF line ends, no preamble, no folded or unusual headers — straight
// from the bytes, without mime/multipart and textproto readers (a map, a
// reader and a buffer per part were most of the cost of parsing a
// 100-operation batch). It returns false for anything else, valid or
// not, and parseTableBatch then reads the body as before and names any
// fault; when it returns true the result is what that reading gives
// (FuzzTableBatchFastMatches holds it to that).
func parseChangesetFast(boundary string, body []byte) (*parsedBatch, bool) {
	rest, ok := bytes.CutPrefix(body, []byte("--"+boundary+"\r\n"))
	if !ok {
		return nil, false
	}
	hdr, rest, ok := cutPartHeader(rest)
	if !ok || !strings.HasPrefix(strings.ToLower(hdr.Get("Content-Type")), "multipart/mixed") {
		return nil, false
	}
	inner, err := multipartBoundary(hdr.Get("Content-Type"))
	if err != nil {
		return nil, false
	}
	// The changeset runs to the batch's closing delimiter, the body's end.
	end := bytes.Index(rest, []byte("\r\n--"+boundary))
	if end < 0 {
		return nil, false
	}
	if tail := rest[end+4+len(boundary):]; string(tail) != "--" && string(tail) != "--\r\n" {
		return nil, false
	}
	cs, ok := bytes.CutPrefix(rest[:end], []byte("--"+inner+"\r\n"))
	if !ok {
		return nil, false
	}
	delim := []byte("\r\n--" + inner)
	pb := &parsedBatch{changeset: true}
	for {
		i := bytes.Index(cs, delim)
		if i < 0 || len(pb.ops) == maxBatchOps {
			return nil, false
		}
		part, after := cs[:i], cs[i+len(delim):]
		ph, content, ok := cutPartHeader(part)
		if !ok || !strings.HasPrefix(strings.ToLower(ph.Get("Content-Type")), "application/http") {
			return nil, false
		}
		br, ok := readBatchRequestFast(content)
		if !ok {
			return nil, false
		}
		pb.ops = append(pb.ops, br)
		switch {
		case string(after) == "--" || string(after) == "--\r\n":
			return pb, true
		case bytes.HasPrefix(after, []byte("\r\n")):
			cs = after[2:]
		default:
			return nil, false
		}
	}
}

// cutPartHeader reads header lines up to the blank line and returns them
// with what follows.
func cutPartHeader(b []byte) (textproto.MIMEHeader, []byte, bool) {
	h := make(textproto.MIMEHeader, 4)
	for {
		line, rest, ok := bytes.Cut(b, []byte("\r\n"))
		if !ok {
			return nil, nil, false
		}
		b = rest
		if len(line) == 0 {
			return h, b, true
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 || !plainHeaderKey(line[:colon]) {
			return nil, nil, false
		}
		value := line[colon+1:]
		for _, c := range value {
			if c < 0x20 && c != '\t' || c == 0x7f {
				return nil, nil, false
			}
		}
		key := textproto.CanonicalMIMEHeaderKey(string(line[:colon]))
		h[key] = append(h[key], string(bytes.Trim(value, " \t")))
	}
}

// plainHeaderKey reports whether k is made of letters, digits and dashes,
// which textproto takes as they are.
func plainHeaderKey(k []byte) bool {
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// readBatchRequestFast is readBatchRequest for a part whose request line
// comes first.
func readBatchRequestFast(content []byte) (batchRequest, bool) {
	var br batchRequest
	line, rest, ok := bytes.Cut(content, []byte("\r\n"))
	if !ok || bytes.IndexByte(line, '\n') >= 0 {
		return br, false
	}
	fields := strings.Fields(string(line))
	if len(fields) != 3 || !strings.HasPrefix(fields[2], "HTTP/") || fields[0] == "" {
		return br, false
	}
	u, err := url.Parse(fields[1])
	if err != nil {
		return br, false
	}
	h, body, ok := cutPartHeader(rest)
	if !ok {
		return br, false
	}
	br.method, br.url, br.header = strings.ToUpper(fields[0]), u, h
	br.body = bytes.TrimRight(body, "\r\n")
	br.contentID = h.Get("Content-ID")
	return br, true
}
