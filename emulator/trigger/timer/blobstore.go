package timer

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// StatusContainer is the container the host keeps timer statuses in.
const StatusContainer = "azure-webjobs-hosts"

// StatusBlobName is where the host keeps a function's timer status within
// StatusContainer: timers/{hostId}/Host.Functions.{Name}/status.
func StatusBlobName(hostID, function string) string {
	return "timers/" + hostID + "/Host.Functions." + function + "/status"
}

// HostID is the id a local host derives from the machine name and the app
// folder: the machine name's letters and digits, '-', the absolute value
// of the folder's stable hash; at most 32 characters, lower-cased, with no
// trailing '-'.
func HostID(machineName, appDir string) string {
	var b strings.Builder
	for _, r := range machineName {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	hash := stableHash(appDir)
	abs := int64(hash)
	if abs < 0 {
		abs = -abs
	}
	id := b.String() + "-" + strconv.FormatInt(abs, 10)
	if r := []rune(id); len(r) > 32 {
		id = string(r[:32])
	}
	return strings.TrimRight(strings.ToLower(id), "-")
}

// stableHash is the host's string hash: h = h*31 + c over UTF-16 code
// units from 23, wrapping at 32 bits.
func stableHash(s string) int32 {
	h := int32(23)
	for _, r := range s {
		if r >= 0x10000 { // a surrogate pair is two code units
			r -= 0x10000
			h = h*31 + int32(0xD800+(r>>10))
			h = h*31 + int32(0xDC00+(r&0x3FF))
			continue
		}
		h = h*31 + int32(r)
	}
	return h
}

// BlobMonitorStore keeps timer statuses where and as the host keeps them,
// in StatusContainer, through two functions over a blob store.
type BlobMonitorStore struct {
	HostID string
	// Get reads a blob; found is false when it does not exist.
	Get func(ctx context.Context, container, blob string) (data []byte, found bool, err error)
	// Put writes a blob, replacing it and creating the container as needed.
	Put func(ctx context.Context, container, blob string, data []byte) error
}

// Load reads the function's status blob.
func (s BlobMonitorStore) Load(ctx context.Context, function string) (Status, bool, error) {
	name := StatusBlobName(s.HostID, function)
	data, found, err := s.Get(ctx, StatusContainer, name)
	if err != nil || !found {
		return Status{}, false, err
	}
	var st Status
	if err := json.Unmarshal(data, &st); err != nil {
		return Status{}, false, fmt.Errorf("blob %s/%s: %w", StatusContainer, name, err)
	}
	return st, true, nil
}

// Save writes the function's status blob.
func (s BlobMonitorStore) Save(ctx context.Context, function string, st Status) error {
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("timer status of %s: %w", function, err)
	}
	return s.Put(ctx, StatusContainer, StatusBlobName(s.HostID, function), data)
}
