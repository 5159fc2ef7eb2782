package storage

import (
	"context"
	"fmt"
	"strings"
)

// ListBlobsOptions select what List Blobs returns.
type ListBlobsOptions struct {
	ListOptions
	Delimiter   string
	Snapshots   bool // include=snapshots
	Uncommitted bool // include=uncommittedblobs
	Tags        bool // include=tags
}

// BlobListItem is either a blob or, with a delimiter, a virtual directory.
type BlobListItem struct {
	Prefix string // set for a BlobPrefix entry
	Blob   Blob
}

// BlobPage is one page of List Blobs.
type BlobPage struct {
	Items      []BlobListItem
	NextMarker string
}

// prefixEnd is an upper bound for names starting with prefix: no UTF-8
// byte is 0xff, and SQLite compares text byte by byte.
func prefixEnd(prefix string) string { return prefix + "\xff" }

// markerSep separates name and snapshot in a NextMarker.
const markerSep = "\n"

// ListBlobs lists a container's blobs in name order (a blob's snapshots
// after it), merging names under Delimiter into prefix entries; each entry
// counts toward MaxResults.
func (s *Store) ListBlobs(ctx context.Context, account, container string, opts ListBlobsOptions) (BlobPage, error) {
	c, err := s.loadContainer(ctx, s.db, account, container)
	if err != nil {
		return BlobPage{}, err
	}
	limit := opts.limit()
	name, snap, _ := strings.Cut(opts.Marker, markerSep)
	// Without a delimiter one batch of a page and one more row answers
	// it; with one, whole directories may be skipped, so batches stay
	// small.
	n := limit + 1
	if opts.Delimiter != "" {
		n = min(n, 256)
	}
	var page BlobPage
	lastPrefix := ""
	for {
		batch, err := s.listBatch(ctx, c.id, opts, name, snap, n)
		if err != nil {
			return BlobPage{}, err
		}
		if len(batch) == 0 {
			return page, nil
		}
		for _, b := range batch {
			item := BlobListItem{Blob: b}
			key := b.Name
			if b.Snapshot != "" {
				key += markerSep + b.Snapshot
			}
			if opts.Delimiter != "" {
				rest := b.Name[len(opts.Prefix):]
				if i := strings.Index(rest, opts.Delimiter); i >= 0 {
					p := opts.Prefix + rest[:i+len(opts.Delimiter)]
					if p == lastPrefix {
						continue
					}
					item, key = BlobListItem{Prefix: p}, p
				}
			}
			if len(page.Items) == limit {
				page.NextMarker = key
				return page, nil
			}
			page.Items = append(page.Items, item)
			if item.Prefix != "" {
				lastPrefix = item.Prefix
			}
		}
		if len(batch) < n {
			return page, nil // nothing after it in the window
		}
		last := batch[len(batch)-1]
		name, snap = last.Name, last.Snapshot+"\x00" // strictly after the last row
		if lastPrefix != "" && strings.HasPrefix(last.Name, lastPrefix) {
			name, snap = prefixEnd(lastPrefix), "" // skip the rest of the directory
		}
	}
}

// listBatch reads up to n blobs at or after (name, snap) in list order.
func (s *Store) listBatch(ctx context.Context, containerID int64, opts ListBlobsOptions, name, snap string, n int) ([]Blob, error) {
	from, fromSnap := name, snap
	if opts.Prefix > from {
		from, fromSnap = opts.Prefix, ""
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+blobColumns+` FROM blobs b JOIN blob_containers c ON c.id = b.container_id
		WHERE b.container_id = ? AND (b.name, b.snapshot) >= (?, ?) AND b.name < ? AND (? OR b.snapshot = '')
		ORDER BY b.name, b.snapshot LIMIT ?`,
		containerID, from, fromSnap, prefixEnd(opts.Prefix), opts.Snapshots, n)
	if err != nil {
		return nil, fmt.Errorf("list blobs: %w", err)
	}
	out := make([]Blob, 0, min(n, 256))
	var ids []int64
	now := s.clock.Now()
	for rows.Next() {
		r, err := scanBlob(rows, now)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("list blobs: %w", err)
		}
		out = append(out, r.b)
		ids = append(ids, r.id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list blobs: %w", err)
	}
	for i := range out {
		if opts.Tags && out[i].TagCount > 0 {
			if out[i].Tags, err = loadTags(ctx, s.db, ids[i]); err != nil {
				return nil, err
			}
		}
	}
	if !opts.Uncommitted {
		return out, nil
	}
	return s.mergeUncommitted(ctx, containerID, opts, from, fromSnap, n, out)
}

// mergeUncommitted adds, in order, the names that have only uncommitted
// blocks, cut to the same window as the committed batch.
func (s *Store) mergeUncommitted(ctx context.Context, containerID int64, opts ListBlobsOptions, from, fromSnap string, n int, committed []Blob) ([]Blob, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT bb.blob_name FROM blob_blocks bb
		WHERE bb.container_id = ? AND bb.state = 'U' AND (bb.blob_name, '') >= (?, ?) AND bb.blob_name < ?
		AND NOT EXISTS (SELECT 1 FROM blobs x WHERE x.container_id = bb.container_id AND x.name = bb.blob_name AND x.snapshot = '')
		ORDER BY bb.blob_name LIMIT ?`, containerID, from, fromSnap, prefixEnd(opts.Prefix), n)
	if err != nil {
		return nil, fmt.Errorf("list uncommitted blobs: %w", err)
	}
	defer rows.Close()
	var extra []Blob
	for rows.Next() {
		b := Blob{Type: BlockBlob, Uncommitted: true, Lease: lease{state: LeaseAvailable}.info()}
		if err := rows.Scan(&b.Name); err != nil {
			return nil, fmt.Errorf("list uncommitted blobs: %w", err)
		}
		extra = append(extra, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list uncommitted blobs: %w", err)
	}
	merged := make([]Blob, 0, len(committed)+len(extra))
	i, j := 0, 0
	for len(merged) < n && (i < len(committed) || j < len(extra)) {
		if j == len(extra) || (i < len(committed) && committed[i].Name <= extra[j].Name) {
			merged = append(merged, committed[i])
			i++
		} else {
			merged = append(merged, extra[j])
			j++
		}
	}
	return merged, nil
}
