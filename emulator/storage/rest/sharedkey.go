package rest

import (
	"crypto/hmac"
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Signature rules changed with x-ms-version 2009-09-19: before it, the
// string to sign was short and the resource named only ?comp.
const sharedKey2009 = "2009-09-19"

// sharedKeyStrings returns the strings a SharedKey client may have signed.
// Every variant is a legitimate reading of the rules: the Date line with
// and without the Date header when x-ms-date is also set, and the two
// sort orders clients use for canonicalized headers.
func sharedKeyStrings(r *http.Request, account string) []string {
	version := r.Header.Get("x-ms-version")
	var out []string
	for _, date := range dateVariants(r) {
		for _, headers := range canonicalHeaderVariants(r.Header) {
			if version != "" && version < sharedKey2009 {
				out = append(out, liteStringToSign(r, date, headers, legacyCanonicalResource(r, account)))
				continue
			}
			out = append(out, strings.Join([]string{
				r.Method,
				r.Header.Get("Content-Encoding"),
				r.Header.Get("Content-Language"),
				contentLengthForSigning(r),
				r.Header.Get("Content-MD5"),
				r.Header.Get("Content-Type"),
				date,
				r.Header.Get("If-Modified-Since"),
				r.Header.Get("If-Match"),
				r.Header.Get("If-None-Match"),
				r.Header.Get("If-Unmodified-Since"),
				r.Header.Get("Range"),
			}, "\n")+"\n"+headers+canonicalResource(r, account))
		}
	}
	return dedupe(out)
}

// sharedKeyLiteStrings returns the strings a SharedKeyLite client may have
// signed (blob and queue rules, both resource formats).
func sharedKeyLiteStrings(r *http.Request, account string) []string {
	var out []string
	for _, date := range dateVariants(r) {
		for _, headers := range canonicalHeaderVariants(r.Header) {
			out = append(out, liteStringToSign(r, date, headers, legacyCanonicalResource(r, account)))
		}
	}
	return dedupe(out)
}

func liteStringToSign(r *http.Request, date, headers, resource string) string {
	return strings.Join([]string{
		r.Method,
		r.Header.Get("Content-MD5"),
		r.Header.Get("Content-Type"),
		date,
	}, "\n") + "\n" + headers + resource
}

// dateVariants: clients that send x-ms-date sign an empty Date line, but
// some sign the Date header they also send.
func dateVariants(r *http.Request) []string {
	d := r.Header.Get("Date")
	if r.Header.Get("x-ms-date") == "" || d == "" {
		return []string{d}
	}
	return []string{"", d}
}

// contentLengthForSigning is "" for an absent or zero length (version
// 2015-02-21 and later; older clients never send 0 for bodiless requests).
func contentLengthForSigning(r *http.Request) string {
	v := r.Header.Get("Content-Length")
	if v == "" && r.ContentLength > 0 {
		v = strconv.FormatInt(r.ContentLength, 10)
	}
	if v == "0" {
		return ""
	}
	return v
}

// canonicalHeaderVariants builds CanonicalizedHeaders: every x-ms- header,
// lower-cased, "name:value\n", sorted. The SDKs sort with a culture-aware
// comparer in which '-' and '_' weigh nothing at first; plain byte order
// agrees for ordinary names, so both orders are offered.
func canonicalHeaderVariants(h http.Header) []string {
	type kv struct{ name, value string }
	hs := make([]kv, 0, 8)
	for k, vs := range h {
		if len(k) < len("x-ms-") || !strings.EqualFold(k[:len("x-ms-")], "x-ms-") {
			continue
		}
		var value string
		if len(vs) == 1 {
			value = strings.TrimLeft(vs[0], " \t")
		} else {
			vals := make([]string, len(vs))
			for i, v := range vs {
				vals[i] = strings.TrimLeft(v, " \t")
			}
			value = strings.Join(vals, ",")
		}
		hs = append(hs, kv{strings.ToLower(k), value})
	}
	render := func() string {
		n := 0
		for _, e := range hs {
			n += len(e.name) + len(e.value) + 2
		}
		var b strings.Builder
		b.Grow(n)
		for _, e := range hs {
			b.WriteString(e.name)
			b.WriteByte(':')
			b.WriteString(e.value)
			b.WriteByte('\n')
		}
		return b.String()
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].name < hs[j].name })
	byteOrder := render()
	// Both orders are total, so byte order is also culture order when
	// every neighbour is: the usual case, with no second sort.
	inCultureOrder := true
	for i := 1; i < len(hs) && inCultureOrder; i++ {
		inCultureOrder = cultureLess(hs[i-1].name, hs[i].name)
	}
	if inCultureOrder {
		return []string{byteOrder}
	}
	sort.SliceStable(hs, func(i, j int) bool { return cultureLess(hs[i].name, hs[j].name) })
	return []string{byteOrder, render()}
}

// cultureLess orders names ignoring '-' and '_' first, then by byte order,
// approximating the invariant-culture comparer the service uses.
func cultureLess(a, b string) bool {
	if c := compareIgnoringSeparators(a, b); c != 0 {
		return c < 0
	}
	return a < b
}

// compareIgnoringSeparators compares a and b as if every '-' and '_' were
// removed from them. Those are ASCII, so skipping their bytes never
// splits a UTF-8 sequence, and byte order is code point order.
func compareIgnoringSeparators(a, b string) int {
	i, j := 0, 0
	for {
		for i < len(a) && (a[i] == '-' || a[i] == '_') {
			i++
		}
		for j < len(b) && (b[j] == '-' || b[j] == '_') {
			j++
		}
		switch {
		case i == len(a) && j == len(b):
			return 0
		case i == len(a):
			return -1
		case j == len(b):
			return 1
		case a[i] != b[j]:
			if a[i] < b[j] {
				return -1
			}
			return 1
		}
		i++
		j++
	}
}

// rawPath is the request path exactly as the client sent it.
func rawPath(r *http.Request) string {
	p := r.RequestURI
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
		if u, err := url.Parse(p); err == nil {
			p = u.EscapedPath()
		}
	}
	if p == "" {
		p = r.URL.EscapedPath()
	}
	return p
}

// canonicalResource is the 2009-09-19 CanonicalizedResource:
// /account/raw/path then "\nname:v1,v2" per query parameter, names
// lower-cased and sorted, values decoded and sorted.
func canonicalResource(r *http.Request, account string) string {
	var b strings.Builder
	b.WriteString("/")
	b.WriteString(account)
	b.WriteString(rawPath(r))
	if r.URL.RawQuery == "" {
		return b.String()
	}
	q, _ := url.ParseQuery(r.URL.RawQuery) // a bad query was refused before auth
	merged := map[string][]string{}
	for k, vs := range q {
		lk := strings.ToLower(k)
		merged[lk] = append(merged[lk], vs...)
	}
	names := make([]string, 0, len(merged))
	for k := range merged {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		vs := merged[k]
		sort.Strings(vs)
		b.WriteString("\n")
		b.WriteString(k)
		b.WriteString(":")
		b.WriteString(strings.Join(vs, ","))
	}
	return b.String()
}

// legacyCanonicalResource is the SharedKeyLite and pre-2009-09-19 form:
// /account/raw/path plus "?comp=value" when comp is present.
func legacyCanonicalResource(r *http.Request, account string) string {
	res := "/" + account + rawPath(r)
	q, _ := url.ParseQuery(r.URL.RawQuery)
	if v, ok := queryValue(q, "comp"); ok {
		res += "?comp=" + v
	}
	return res
}

// signatureMatches compares base64(HMAC-SHA256(key, sts)) with sig in
// constant time.
func signatureMatches(key []byte, sts, sig string) bool {
	got, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return false
	}
	return hmac.Equal(got, sign(key, sts))
}

func dedupe(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	out := ss[:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
