package storage

import (
	"strings"
	"unicode/utf8"
)

// ValidBlobName checks Azure's blob naming rules: 1 to 1024 characters of
// valid UTF-8 without control characters, at most 254 path segments. A
// name breaking them could be stored but not listed, read or deleted by
// the name a listing shows. ("specifed" is Azure's spelling.)
func ValidBlobName(name string) error {
	if name == "" || utf8.RuneCountInString(name) > 1024 {
		return ErrInvalidBlobName.with("blob name must be 1 to 1024 characters")
	}
	if !utf8.ValidString(name) {
		return ErrInvalidBlobName.with("blob name %q is not valid UTF-8", name)
	}
	for _, c := range name {
		if c < 0x20 || c == 0x7F {
			return ErrInvalidBlobName.with("blob name %q holds control character %U", name, c)
		}
	}
	if n := strings.Count(name, "/") + 1; n > MaxBlobNameSegments {
		return ErrInvalidBlobName.with("blob name has %d path segments, at most %d", n, MaxBlobNameSegments)
	}
	return nil
}

// MaxBlobNameSegments is Azure's limit on the "/"-separated parts of a
// blob name.
const MaxBlobNameSegments = 254
