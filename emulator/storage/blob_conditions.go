package storage

import (
	"errors"
	"strings"
	"time"
)

// Conditions are the conditional request headers of a blob or container
// operation. Zero values mean "not given".
type Conditions struct {
	IfMatch           string // an ETag, a comma-separated list, or "*"
	IfNoneMatch       string
	IfModifiedSince   time.Time
	IfUnmodifiedSince time.Time
	LeaseID           string // x-ms-lease-id
	// IfTags (x-ms-if-tags) must hold on the blob's tags.
	IfTags *TagExpr
}

// etagMatches reports whether header (If-Match / If-None-Match value) names
// etag; quotes are optional on both sides.
func etagMatches(header, etag string) bool {
	want := strings.Trim(etag, `"`)
	for _, part := range strings.Split(header, ",") {
		part = strings.TrimSpace(part)
		part = strings.TrimPrefix(part, "W/")
		if part == "*" || strings.Trim(part, `"`) == want {
			return true
		}
	}
	return false
}

// checkRead evaluates conditions for a GET/HEAD of an existing resource:
// failed If-Match / If-Unmodified-Since -> ErrConditionNotMet, matching
// If-None-Match or an unmet If-Modified-Since -> ErrNotModified. Times compare at second precision, as in
// Last-Modified.
func (c Conditions) checkRead(etag string, modified time.Time) error {
	if c.IfMatch != "" && !etagMatches(c.IfMatch, etag) {
		return ErrConditionNotMet
	}
	mod := modified.Truncate(time.Second)
	if !c.IfUnmodifiedSince.IsZero() && mod.After(c.IfUnmodifiedSince) {
		return ErrConditionNotMet
	}
	if c.IfNoneMatch != "" && etagMatches(c.IfNoneMatch, etag) {
		return ErrNotModified
	}
	if !c.IfModifiedSince.IsZero() && !mod.After(c.IfModifiedSince) {
		return ErrNotModified
	}
	return nil
}

// checkWrite evaluates conditions for a write to an existing resource: every
// failure is ErrConditionNotMet, except that creating writes (Put Blob, Put
// Block List, Copy) with If-None-Match: * get ErrBlobAlreadyExists.
func (c Conditions) checkWrite(etag string, modified time.Time, creating bool) error {
	if creating && strings.TrimSpace(c.IfNoneMatch) == "*" {
		return ErrBlobAlreadyExists
	}
	err := c.checkRead(etag, modified)
	if errors.Is(err, ErrNotModified) {
		return ErrConditionNotMet
	}
	return err
}

// checkMissing evaluates conditions for a write to a resource that does not
// exist yet: only If-Match can fail, since there is no ETag to match.
func (c Conditions) checkMissing() error {
	if c.IfMatch != "" || (c.IfTags != nil && !c.IfTags.Matches(nil)) {
		return ErrConditionNotMet
	}
	if c.LeaseID != "" {
		return ErrBlobLeaseNotPresent
	}
	return nil
}
