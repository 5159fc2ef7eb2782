package storage

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// ListBlobsOptions select what List Blobs returns.
type ListBlobsOptions struct {
	ListOptions
	Delimiter   string
	Snapshots   bool // include=snapshots
	Uncommitted bool // include=uncommittedblobs
	Tags        bool // include=tags
	// ListedOnly reads only what a List Blobs answer shows, which halves
	// the cost of each listed blob: Account, Container, CommittedBlocks,
	// ParentInvocationID and the lease ID stay empty, and Metadata is
	// read only with Metadata (include=metadata).
	ListedOnly bool
	Metadata   bool
}

// listedColumns are the columns scanListed reads; %s is the metadata
// column, or ” when it is not asked for.
const listedColumns = `b.id, b.name, b.snapshot, b.blob_type, b.size, b.etag, b.created, b.last_modified,
	b.content_type, b.content_encoding, b.content_language, b.content_disposition, b.cache_control, b.content_md5,
	%s, b.lease_state, b.lease_duration, b.lease_until, b.copy_id, b.copy_source, b.copy_completed,
	b.access_tier, b.tier_changed, b.sealed, b.sequence_number, (SELECT COUNT(*) FROM blob_tags t WHERE t.blob_id = b.id)`

var (
	listedSQL         = listBatchSQL(fmt.Sprintf(listedColumns, "''"), "")
	listedWithMetaSQL = listBatchSQL(fmt.Sprintf(listedColumns, "b.metadata"), "")
	listFullSQL       = listBatchSQL(blobColumns, "JOIN blob_containers c ON c.id = b.container_id")
)

// listBatchSQL is listBatch's statement reading columns.
func listBatchSQL(columns, join string) string {
	return `SELECT ` + columns + ` FROM blobs b ` + join + `
		WHERE b.container_id = ? AND (b.name, b.snapshot) >= (?, ?) AND b.name < ? AND (? OR b.snapshot = '')
		ORDER BY b.name, b.snapshot LIMIT ?`
}

// scanListed reads a row of listedColumns.
func scanListed(sc interface{ Scan(...any) error }, now time.Time) (blobRow, error) {
	var r blobRow
	var created, modified, copyDone, tierChanged int64
	var md, copyID, copySource string
	b := &r.b
	err := sc.Scan(&r.id, &b.Name, &b.Snapshot, &b.Type, &b.Size, &b.ETag, &created, &modified,
		&b.Headers.ContentType, &b.Headers.ContentEncoding, &b.Headers.ContentLanguage, &b.Headers.ContentDisposition,
		&b.Headers.CacheControl, &b.Headers.ContentMD5, &md, &r.lease.state, &r.lease.duration, &r.lease.until,
		&copyID, &copySource, &copyDone, &b.AccessTier, &tierChanged, &b.Sealed, &b.SequenceNumber, &b.TagCount)
	if err != nil {
		return r, err
	}
	r.finish(created, modified, tierChanged, md, copyID, copySource, copyDone, now)
	return r, nil
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
	query, scan := listFullSQL, scanBlob
	if opts.ListedOnly {
		query, scan = listedSQL, scanListed
		if opts.Metadata {
			query = listedWithMetaSQL
		}
	}
	rows, err := s.db.QueryContext(ctx, query, containerID, from, fromSnap, prefixEnd(opts.Prefix), opts.Snapshots, n)
	if err != nil {
		return nil, fmt.Errorf("list blobs: %w", err)
	}
	out := make([]Blob, 0, min(n, 256))
	var ids []int64
	now := s.clock.Now()
	for rows.Next() {
		r, err := scan(rows, now)
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
