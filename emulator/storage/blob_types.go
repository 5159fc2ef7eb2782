package storage

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Blob types.
const (
	BlockBlob  = "BlockBlob"
	AppendBlob = "AppendBlob"
	PageBlob   = "PageBlob"
)

// Public access levels of a container.
const (
	PublicNone      = ""
	PublicBlob      = "blob"
	PublicContainer = "container"
)

// Container is a blob container.
type Container struct {
	Account      string
	Name         string
	ETag         string // quoted
	LastModified time.Time
	Metadata     map[string]string
	PublicAccess string
	Lease        LeaseInfo
	// AccessPolicies are the stored access policies (Set Container ACL).
	AccessPolicies []SignedIdentifier
}

// SignedIdentifier is a stored access policy, referenced by a SAS's si=.
// Empty Start/Expiry/Permission mean "taken from the SAS".
type SignedIdentifier struct {
	ID         string `json:"id"`
	Start      string `json:"start,omitempty"`
	Expiry     string `json:"expiry,omitempty"`
	Permission string `json:"permission,omitempty"`
}

// BlobHeaders are the standard HTTP properties stored with a blob.
type BlobHeaders struct {
	ContentType        string
	ContentEncoding    string
	ContentLanguage    string
	ContentDisposition string
	CacheControl       string
	ContentMD5         []byte
}

// Blob is a blob's properties (or a snapshot's, when Snapshot is set).
type Blob struct {
	Account      string
	Container    string
	Name         string
	Snapshot     string // "" for the base blob
	Type         string // BlockBlob or AppendBlob
	Size         int64
	ETag         string // quoted
	Created      time.Time
	LastModified time.Time
	Headers      BlobHeaders
	Metadata     map[string]string
	Lease        LeaseInfo
	// CommittedBlocks counts committed blocks of an append blob.
	CommittedBlocks int
	Copy            *CopyInfo
	// ParentInvocationID is the invocation that wrote the blob through an
	// output binding; internal, never served over REST.
	ParentInvocationID string
	// Uncommitted marks a listing entry for a blob that has only
	// uncommitted blocks (include=uncommittedblobs).
	Uncommitted bool
	// AccessTier is the tier set on the blob; "" means inferred (Hot).
	AccessTier string
	// AccessTierChanged is when the tier was last set (Created when never).
	AccessTierChanged time.Time
	// Sealed marks a sealed append blob.
	Sealed bool
	// SequenceNumber is a page blob's sequence number.
	SequenceNumber int64
	// TagCount is how many index tags the blob has.
	TagCount int
	// Tags are filled only by listings that ask for them.
	Tags Tags
}

// CopyInfo describes the copy that created a blob.
type CopyInfo struct {
	ID        string
	Source    string
	Status    string // always "success": copies are synchronous
	Progress  string // "n/n"
	Completed time.Time
}

// snapshotLayout is Azure's snapshot id: UTC with seven fractional digits.
const snapshotLayout = "2006-01-02T15:04:05.0000000Z"

// SnapshotID formats t as a snapshot id.
func SnapshotID(t time.Time) string { return t.UTC().Format(snapshotLayout) }

// etags makes ETags that change on every write, also for writes within one
// clock tick: FILETIME-like hex of the write time, bumped to stay unique.
type etags struct {
	mu   sync.Mutex
	last uint64
}

func (e *etags) next(now time.Time) string {
	v := uint64(now.UnixNano()/100) + 116444736000000000 // 100 ns since 1601, like FILETIME
	e.mu.Lock()
	if v <= e.last {
		v = e.last + 1
	}
	e.last = v
	e.mu.Unlock()
	return fmt.Sprintf(`"0x%X"`, v)
}

// encodeBlobMetadata validates names with the blob service's error code
// and encodes like queue metadata.
func encodeBlobMetadata(md map[string]string) (string, error) {
	for k := range md {
		if err := validMetadataName(k); err != nil {
			return "", err
		}
	}
	return encodeMetadata(md)
}

// validMetadataName checks Azure's rule: metadata names are C# identifiers.
func validMetadataName(k string) error {
	ok := k != ""
	for i, r := range k {
		letter := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !letter && (i == 0 || r < '0' || r > '9') {
			ok = false
		}
	}
	if !ok {
		return ErrInvalidMetadata.with("x-ms-meta-%s", k)
	}
	return nil
}

// ValidContainerName checks Azure's container naming rules: 3-63
// lowercase letters, digits and single hyphens, starting and ending with a
// letter or digit; "$root", "$logs" and "$web" are allowed.
func ValidContainerName(name string) error {
	switch name {
	case "$root", "$logs", "$web":
		return nil
	}
	bad := len(name) < 3 || len(name) > 63 || strings.Contains(name, "--") ||
		strings.HasPrefix(name, "-") || strings.HasSuffix(name, "-")
	for _, r := range name {
		if !(r >= 'a' && r <= 'z') && !(r >= '0' && r <= '9') && r != '-' {
			bad = true
		}
	}
	if bad {
		return ErrInvalidBlobName.with("container %q", name)
	}
	return nil
}
