package rest

import (
	"encoding/hex"
	"strings"
)

// parseGUID reads a GUID in any form .NET's Guid.Parse takes for a lease
// id — 32 hex digits, with dashes, in braces or in parentheses — and
// returns it as Azure answers it: lower-case, with dashes.
func parseGUID(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 38 && (s[0] == '{' && s[37] == '}' || s[0] == '(' && s[37] == ')') {
		s = s[1:37]
	}
	switch len(s) {
	case 36:
		for _, i := range []int{8, 13, 18, 23} {
			if s[i] != '-' {
				return "", false
			}
		}
		s = s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	case 32:
	default:
		return "", false
	}
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 16 {
		return "", false
	}
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], true
}

// normalizeLeaseID is x-ms-lease-id in the form leases are stored in, so a
// lease acquired as {GUID} or as 32 digits matches the same id sent
// another way. A value that is not a GUID is passed on as sent and will
// not match any lease.
func normalizeLeaseID(s string) string {
	if id, ok := parseGUID(s); ok {
		return id
	}
	return strings.TrimSpace(s)
}
