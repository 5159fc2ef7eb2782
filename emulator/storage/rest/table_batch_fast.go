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
// with what follows. The block is copied into one string that the keys
// and values share, and the values into one slice: a string, a slice and
// a map growth per header line were most of the allocations of parsing a
// batch.
func cutPartHeader(b []byte) (textproto.MIMEHeader, []byte, bool) {
	if bytes.HasPrefix(b, []byte("\r\n")) {
		return textproto.MIMEHeader{}, b[2:], true
	}
	end := bytes.Index(b, []byte("\r\n\r\n"))
	if end < 0 {
		return nil, nil, false
	}
	block, rest := string(b[:end]), b[end+4:]
	lines := strings.Count(block, "\r\n") + 1
	h := make(textproto.MIMEHeader, lines)
	values := make([]string, lines)
	for i := 0; block != ""; i++ {
		line, more, _ := strings.Cut(block, "\r\n")
		block = more
		colon := strings.IndexByte(line, ':')
		if colon <= 0 || !plainHeaderKey(line[:colon]) {
			return nil, nil, false
		}
		value := line[colon+1:]
		for j := 0; j < len(value); j++ {
			if c := value[j]; c < 0x20 && c != '\t' || c == 0x7f {
				return nil, nil, false
			}
		}
		key := textproto.CanonicalMIMEHeaderKey(line[:colon])
		values[i] = strings.Trim(value, " \t")
		if prev, ok := h[key]; ok {
			h[key] = append(prev, values[i])
		} else {
			h[key] = values[i : i+1 : i+1]
		}
	}
	return h, rest, true
}

// plainHeaderKey reports whether k is made of letters, digits and dashes,
// which textproto takes as they are.
func plainHeaderKey(k string) bool {
	for i := 0; i < len(k); i++ {
		if c := k[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
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
