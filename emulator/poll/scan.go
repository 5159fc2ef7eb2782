package poll

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// ScanInterval is how often the host lists a watched container when it
// cannot be told about writes (no Watch channel, no Event Grid).
const ScanInterval = 10 * time.Second

// HostsContainer is where the host keeps its bookkeeping blobs: scan
// cursors, blob receipts, timer statuses, locks.
const HostsContainer = "azure-webjobs-hosts"

// ScanInfoPath is the blob in HostsContainer holding a container's scan
// cursor, as {"LatestScan":"<ISO 8601>"}.
func ScanInfoPath(hostID, account, container string) string {
	return fmt.Sprintf("blobscaninfo/%s/%s/%s/scanInfo", hostID, account, container)
}

// FunctionID is the id the host gives a function of a script app, used in
// receipt paths and blob trigger messages.
func FunctionID(function string) string { return "Host.Functions." + function }

// ReceiptPath is the blob in HostsContainer that records that functionID
// processed the blob version etag (quoted, as in the ETag header).
func ReceiptPath(hostID, functionID, etag, container, blob string) string {
	return fmt.Sprintf("blobreceipts/%s/%s/%s/%s/%s", hostID, functionID, etag, container, blob)
}

// ContainerScan is one container's periodic scan, as the host's
// LogsAndContainerScan strategy does it without storage analytics logs:
// list the container, keep the blobs modified at or after the cursor
// (at, not after: timestamps have one-second precision), then move the
// cursor to the newest modification time of the listing and save it in
// HostsContainer, so a restarted host (or `func start` on the same account
// and host id) does not start over. With no saved cursor every blob is a
// candidate; blob receipts keep them from running twice.
//
// The host lists at most 10,000 blobs per poll and resumes with a
// continuation token; BlobStore.ListBlobs returns the whole listing, so one
// Scan is one complete sweep.
type ContainerScan struct {
	Blobs     emulator.BlobStore // the watched account
	Hosts     emulator.BlobStore // the host's account (AzureWebJobsStorage)
	HostID    string
	Account   string // the watched account's name, part of the cursor's path
	Container string

	cursor time.Time
	loaded bool
}

// Cursor is the modification time from which blobs are candidates.
func (c *ContainerScan) Cursor() time.Time { return c.cursor }

// Scan lists the container once and returns the candidate blobs in name
// order.
func (c *ContainerScan) Scan(ctx context.Context) ([]*emulator.BlobInfo, error) {
	if !c.loaded {
		cursor, err := c.load(ctx)
		if err != nil {
			return nil, err
		}
		c.cursor, c.loaded = cursor, true
	}
	blobs, err := c.Blobs.ListBlobs(ctx, c.Container, "")
	if err != nil {
		return nil, fmt.Errorf("scan container %s: %w", c.Container, err)
	}
	var candidates []*emulator.BlobInfo
	newest := c.cursor
	for _, b := range blobs {
		if !b.LastModified.Before(c.cursor) {
			candidates = append(candidates, b)
		}
		if b.LastModified.After(newest) {
			newest = b.LastModified
		}
	}
	if newest.After(c.cursor) {
		if err := c.save(ctx, newest); err != nil {
			return candidates, err
		}
		c.cursor = newest
	}
	return candidates, nil
}

func (c *ContainerScan) path() string { return ScanInfoPath(c.HostID, c.Account, c.Container) }

func (c *ContainerScan) load(ctx context.Context) (time.Time, error) {
	r, _, err := c.Hosts.ReadBlob(ctx, HostsContainer, c.path())
	if emulator.ErrorCode(err) == emulator.ENOTFOUND {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("read scan cursor %s/%s: %w", HostsContainer, c.path(), err)
	}
	defer r.Close()
	body, err := io.ReadAll(io.LimitReader(r, 64<<10))
	if err != nil {
		return time.Time{}, fmt.Errorf("read scan cursor %s/%s: %w", HostsContainer, c.path(), err)
	}
	t, err := ParseScanInfo(body)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s/%s: %w", HostsContainer, c.path(), err)
	}
	return t, nil
}

// save stores the cursor one millisecond early, as the host does.
func (c *ContainerScan) save(ctx context.Context, cursor time.Time) error {
	body := MarshalScanInfo(cursor.Add(-time.Millisecond))
	write := func() error {
		_, err := c.Hosts.WriteBlob(ctx, HostsContainer, c.path(), bytes.NewReader(body),
			emulator.WriteBlob{ContentType: "application/json"})
		return err
	}
	err := write()
	if emulator.ErrorCode(err) == emulator.ENOTFOUND {
		if err = c.Hosts.CreateContainer(ctx, HostsContainer); err == nil {
			err = write()
		}
	}
	if err != nil {
		return fmt.Errorf("save scan cursor %s/%s: %w", HostsContainer, c.path(), err)
	}
	return nil
}

// MarshalScanInfo renders a scan cursor blob.
func MarshalScanInfo(latest time.Time) []byte {
	b, _ := json.Marshal(struct{ LatestScan string }{latest.UTC().Format(time.RFC3339Nano)})
	return b
}

// ParseScanInfo reads a scan cursor blob written by funcemu or the host
// (.NET writes seven fraction digits and may omit the zone: UTC then).
func ParseScanInfo(body []byte) (time.Time, error) {
	var info struct{ LatestScan *string }
	if err := json.Unmarshal(body, &info); err != nil {
		return time.Time{}, fmt.Errorf("scan cursor: %w", err)
	}
	if info.LatestScan == nil {
		return time.Time{}, fmt.Errorf("scan cursor: no LatestScan")
	}
	s := strings.TrimSpace(*info.LatestScan)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("scan cursor: LatestScan %q is not an ISO 8601 time", s)
}
