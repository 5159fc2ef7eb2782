package bindexpr

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// GUID is a 16-byte identifier printed like .NET's Guid.
type GUID [16]byte

// NewGUID returns a random (version 4) GUID.
func NewGUID() GUID { return GUID(emulator.RandomGUID()) }

// String is the "D" form: 8-4-4-4-12 lower-case hex digits.
func (g GUID) String() string {
	s, _ := g.Format("D")
	return s
}

// Format writes g in one of .NET's Guid formats: N (32 digits), D (with
// hyphens, the default), B ({D}), P ((D)) or X (hex structure).
func (g GUID) Format(format string) (string, error) {
	h := hex.EncodeToString(g[:])
	d := h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	switch format {
	case "", "D", "d":
		return d, nil
	case "N", "n":
		return h, nil
	case "B", "b":
		return "{" + d + "}", nil
	case "P", "p":
		return "(" + d + ")", nil
	case "X", "x":
		var b strings.Builder
		fmt.Fprintf(&b, "{0x%s,0x%s,0x%s,{", h[0:8], h[8:12], h[12:16])
		for i := 8; i < 16; i++ {
			if i > 8 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "0x%02x", g[i])
		}
		b.WriteString("}}")
		return b.String(), nil
	}
	return "", fmt.Errorf("guid format %q is not one of N, D, B, P or X", format)
}
