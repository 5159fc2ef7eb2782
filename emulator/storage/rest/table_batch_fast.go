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
	ct, rest, ok := cutPartContentType(rest)
	if !ok || !strings.HasPrefix(strings.ToLower(ct), "multipart/mixed") {
		return nil, false
	}
	inner, err := multipartBoundary(ct)
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
		pct, content, ok := cutPartContentType(part)
		if !ok || !strings.HasPrefix(strings.ToLower(pct), "application/http") {
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
	block, rest, ok := cutHeaderBlock(b)
	if !ok {
		return nil, nil, false
	}
	lines := strings.Count(block, "\r\n") + 1
	h := make(textproto.MIMEHeader, lines)
	values := make([]string, lines)
	for i := 0; block != ""; i++ {
		var key string
		if key, values[i], block, ok = nextHeaderLine(block); !ok {
			return nil, nil, false
		}
		if !canonicalHeaderKey(key) {
			key = textproto.CanonicalMIMEHeaderKey(key)
		}
		if prev, ok := h[key]; ok {
			h[key] = append(prev, values[i])
		} else {
			h[key] = values[i : i+1 : i+1]
		}
	}
	return h, rest, true
}

// cutPartContentType is cutPartHeader for a MIME part's own header, of
// which only the Content-Type is read: no map for it.
func cutPartContentType(b []byte) (string, []byte, bool) {
	block, rest, ok := cutHeaderBlock(b)
	if !ok {
		return "", nil, false
	}
	var ct string
	found := false
	for block != "" {
		var key, value string
		if key, value, block, ok = nextHeaderLine(block); !ok {
			return "", nil, false
		}
		// The key is letters, digits and dashes, so it is Content-Type
		// once canonical exactly when it is so ignoring case.
		if !found && strings.EqualFold(key, "Content-Type") {
			ct, found = value, true
		}
	}
	return ct, rest, true
}

// cutHeaderBlock splits a part at its blank line: the header lines
// (without their last line end) and what follows.
func cutHeaderBlock(b []byte) (string, []byte, bool) {
	if bytes.HasPrefix(b, []byte("\r\n")) {
		return "", b[2:], true
	}
	end := bytes.Index(b, []byte("\r\n\r\n"))
	if end < 0 {
		return "", nil, false
	}
	return string(b[:end]), b[end+4:], true
}

// nextHeaderLine reads the first line of a header block: its key as
// written, its value trimmed, and the lines after it. Keys other than
// letters, digits and dashes, and control characters in a value, are
// refused (textproto reads those differently).
func nextHeaderLine(block string) (key, value, rest string, ok bool) {
	line, rest, _ := strings.Cut(block, "\r\n")
	colon := strings.IndexByte(line, ':')
	if colon <= 0 || !plainHeaderKey(line[:colon]) {
		return "", "", "", false
	}
	value = line[colon+1:]
	for j := 0; j < len(value); j++ {
		if controlByte[value[j]] {
			return "", "", "", false
		}
	}
	return line[:colon], strings.Trim(value, " \t"), rest, true
}

// canonicalHeaderKey reports whether a plain key (plainHeaderKey) is
// already in textproto's canonical form, as SDKs send them: a capital
// first and after each dash, small letters elsewhere. Checking costs less
// than CanonicalMIMEHeaderKey's own check and lookup of common keys.
func canonicalHeaderKey(k string) bool {
	upper := true
	for i := 0; i < len(k); i++ {
		c := k[i]
		if upper && c >= 'a' && c <= 'z' || !upper && c >= 'A' && c <= 'Z' {
			return false
		}
		upper = c == '-'
	}
	return k != ""
}

// controlByte marks the control characters a header value may not hold
// (all but the tab).
var controlByte = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = c != '\t'
	}
	t[0x7f] = true
	return t
}()

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
	method, target, proto, ok := requestLineFields(string(line))
	if !ok || !strings.HasPrefix(proto, "HTTP/") {
		return br, false
	}
	u, err := url.Parse(target)
	if err != nil {
		return br, false
	}
	h, body, ok := cutPartHeader(rest)
	if !ok {
		return br, false
	}
	br.method, br.url, br.header = strings.ToUpper(method), u, h
	br.body = bytes.TrimRight(body, "\r\n")
	br.contentID = h.Get("Content-Id") // canonical: no key made
	return br, true
}

// requestLineFields splits a request line into its three fields as
// strings.Fields would, without its slice: the line SDKs send, ASCII
// with its fields between single spaces, is cut at the two spaces;
// anything else goes through Fields.
func requestLineFields(line string) (method, target, proto string, ok bool) {
	spaces, plain := 0, true
	for i := 0; i < len(line); i++ {
		if !lineSpecial[line[i]] {
			continue
		}
		if line[i] != ' ' || i == 0 || line[i-1] == ' ' || i == len(line)-1 {
			plain = false
			break
		}
		spaces++
	}
	if plain && spaces == 2 {
		method, rest, _ := strings.Cut(line, " ")
		target, proto, _ := strings.Cut(rest, " ")
		return method, target, proto, true
	}
	fields := strings.Fields(line)
	if len(fields) != 3 {
		return "", "", "", false
	}
	return fields[0], fields[1], fields[2], true
}

// lineSpecial marks the bytes requestLineFields looks at: the space, the
// other ASCII spaces Fields splits at, and every non-ASCII byte (which
// may start a Unicode space).
var lineSpecial = func() (t [256]bool) {
	for _, c := range " \t\n\v\f\r" {
		t[c] = true
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = true
	}
	return t
}()
