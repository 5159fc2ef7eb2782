package emulator

import (
	"fmt"
	"regexp"
	"testing"
)

var guidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// NewGUID prints a version 4 GUID in canonical lower-case form, the same
// text fmt's %x of its groups gives, and no two alike.
func TestNewGUIDForm(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		g := NewGUID()
		if !guidRE.MatchString(g) {
			t.Fatalf("%q is not a canonical version 4 GUID", g)
		}
		if seen[g] {
			t.Fatalf("%q twice", g)
		}
		seen[g] = true
	}
	b := [16]byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10}
	if got, want := formatGUID(b), fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]); got != want {
		t.Errorf("formatGUID = %q, want %q", got, want)
	}
}
