package rest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"testing"
)

// TestSignMatchesHMAC: pooled states, reused and beyond the pooled keys,
// sign as a fresh HMAC does.
func TestSignMatchesHMAC(t *testing.T) {
	for k := range maxPooledKeys + 3 {
		key := []byte(fmt.Sprintf("test-key-%d", k))
		for _, sts := range []string{"GET\n\n", "", "PUT\nx-ms-date:now\n/acct/q/messages", "GET\n\n"} {
			m := hmac.New(sha256.New, key)
			m.Write([]byte(sts))
			if got, want := sign(key, sts), m.Sum(nil); !bytes.Equal(got, want) {
				t.Fatalf("sign(key %d, %q) = %x, want %x", k, sts, got, want)
			}
		}
	}
}
