package rest

import (
	"net/http"
	"strings"
	"testing"
)

// stripSeparators is cultureLess's first key written plainly.
func stripSeparators(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' {
			return -1
		}
		return r
	}, s)
}

func FuzzCompareIgnoringSeparators(f *testing.F) {
	f.Add("x-ms-blob-type", "x-ms-blobcontent")
	f.Add("a-", "a")
	f.Add("_", "")
	f.Add("x-ms-date", "x-ms-date")
	f.Fuzz(func(t *testing.T, a, b string) {
		want := strings.Compare(stripSeparators(a), stripSeparators(b))
		if !isASCII(a) || !isASCII(b) {
			return // header names are tokens: ASCII
		}
		if got := compareIgnoringSeparators(a, b); got != want {
			t.Fatalf("compareIgnoringSeparators(%q, %q) = %d, want %d", a, b, got, want)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func TestCanonicalHeaderVariantsOffersBothOrders(t *testing.T) {
	h := http.Header{}
	h.Set("X-Ms-Blob-Type", "BlockBlob")
	h.Set("X-Ms-Blobcontent", "x")
	h.Set("X-Ms-Date", "  Wed, 03 Dec 2026 05:00:00 GMT")
	h.Set("Content-Type", "text/plain")
	got := canonicalHeaderVariants(h)
	want := []string{
		"x-ms-blob-type:BlockBlob\nx-ms-blobcontent:x\nx-ms-date:Wed, 03 Dec 2026 05:00:00 GMT\n",
		"x-ms-blobcontent:x\nx-ms-blob-type:BlockBlob\nx-ms-date:Wed, 03 Dec 2026 05:00:00 GMT\n",
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("variants %q, want %q", got, want)
	}

	h.Del("X-Ms-Blobcontent")
	h.Add("X-Ms-Meta-A", "1")
	h.Add("X-Ms-Meta-A", " 2")
	got = canonicalHeaderVariants(h)
	one := "x-ms-blob-type:BlockBlob\nx-ms-date:Wed, 03 Dec 2026 05:00:00 GMT\nx-ms-meta-a:1,2\n"
	if len(got) != 1 || got[0] != one {
		t.Fatalf("variants %q, want only %q", got, one)
	}
}
