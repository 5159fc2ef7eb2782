package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
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

// listedScanner reads rows of listedColumns into one set of destinations
// reused row after row: Scan's arguments escape, so fresh ones would cost
// a dozen allocations a row. Integers go into intCol, which database/sql
// hands the driver's int64 as it is, where an *int64 or *int costs it
// reflection (and a round trip through a string for *int).
type listedScanner struct {
	r                                      blobRow
	id, size, created, modified, copyDone  intCol
	leaseDuration, leaseUntil, tierChanged intCol
	sealed, sequenceNumber, tagCount       intCol
	md, copyID, copySource                 string
	dest                                   []any
}

func newListedScanner() *listedScanner {
	s := &listedScanner{}
	b := &s.r.b
	s.dest = []any{&s.id, &b.Name, &b.Snapshot, &b.Type, &s.size, &b.ETag, &s.created, &s.modified,
		&b.Headers.ContentType, &b.Headers.ContentEncoding, &b.Headers.ContentLanguage, &b.Headers.ContentDisposition,
		&b.Headers.CacheControl, &b.Headers.ContentMD5, &s.md, &s.r.lease.state, &s.leaseDuration, &s.leaseUntil,
		&s.copyID, &s.copySource, &s.copyDone, &b.AccessTier, &s.tierChanged, &s.sealed, &s.sequenceNumber, &s.tagCount}
	return s
}

// scan reads the current row of rows.
func (s *listedScanner) scan(rows *sql.Rows, now time.Time) (blobRow, error) {
	s.r = blobRow{} // finish sets some fields only for some rows
	if err := rows.Scan(s.dest...); err != nil {
		return blobRow{}, err
	}
	r, b := &s.r, &s.r.b
	r.id, b.Size, b.SequenceNumber = int64(s.id), int64(s.size), int64(s.sequenceNumber)
	r.lease.duration, r.lease.until = int(s.leaseDuration), int64(s.leaseUntil)
	b.Sealed, b.TagCount = s.sealed != 0, int(s.tagCount)
	r.finish(int64(s.created), int64(s.modified), int64(s.tierChanged), s.md, s.copyID, s.copySource, int64(s.copyDone), now)
	return s.r, nil
}

// intCol is an INTEGER column's value.
type intCol int64

func (c *intCol) Scan(v any) error {
	i, ok := v.(int64)
	if !ok {
		return fmt.Errorf("integer column holds %T", v)
	}
	*c = intCol(i)
	return nil
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
	var page BlobPage
	next, err := s.ListBlobsFunc(ctx, account, container, opts, func(it *BlobListItem) error {
		page.Items = append(page.Items, *it)
		return nil
	})
	if err != nil {
		return BlobPage{}, err
	}
	page.NextMarker = next
	return page, nil
}

// ListBlobsFunc is ListBlobs handing the page's entries to yield in order
// instead of collecting them, and returning its NextMarker: a listing
// written out as it is read holds no page of Blobs. The item yield gets
// is reused once yield returns; an error from yield ends the listing.
func (s *Store) ListBlobsFunc(ctx context.Context, account, container string, opts ListBlobsOptions, yield func(*BlobListItem) error) (string, error) {
	c, err := s.loadContainer(ctx, s.db, account, container)
	if err != nil {
		return "", err
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
	sc := listScratches.Get().(*listScratch)
	defer sc.release()
	var item BlobListItem
	listed := 0
	lastPrefix := ""
	for {
		if err := s.listBatch(ctx, c.id, opts, name, snap, n, sc); err != nil {
			return "", err
		}
		batch := sc.blobs
		if len(batch) == 0 {
			return "", nil
		}
		for i := range batch {
			b := &batch[i]
			prefix := ""
			if opts.Delimiter != "" {
				rest := b.Name[len(opts.Prefix):]
				if j := strings.Index(rest, opts.Delimiter); j >= 0 {
					prefix = opts.Prefix + rest[:j+len(opts.Delimiter)]
					if prefix == lastPrefix {
						continue
					}
				}
			}
			if listed == limit {
				if prefix != "" {
					return prefix, nil
				}
				if b.Snapshot != "" {
					return b.Name + markerSep + b.Snapshot, nil
				}
				return b.Name, nil
			}
			listed++
			if prefix != "" {
				lastPrefix = prefix
				item = BlobListItem{Prefix: prefix}
			} else {
				item = BlobListItem{Blob: *b}
			}
			if err := yield(&item); err != nil {
				return "", err
			}
		}
		if len(batch) < n {
			return "", nil // nothing after it in the window
		}
		last := batch[len(batch)-1]
		name, snap = last.Name, last.Snapshot+"\x00" // strictly after the last row
		if lastPrefix != "" && strings.HasPrefix(last.Name, lastPrefix) {
			name, snap = prefixEnd(lastPrefix), "" // skip the rest of the directory
		}
	}
}

// listScratch holds a listing's batch of blobs and their row ids, kept
// for the next listing: a page of 5,000 Blobs is over 2 MB.
type listScratch struct {
	blobs  []Blob
	ids    []int64
	listed *listedScanner
}

var listScratches = sync.Pool{New: func() any { return new(listScratch) }}

// release empties sc, so a pooled batch keeps no listed blob alive (a
// batch leaves zero what it does not fill), and pools it unless a page
// larger than any List Blobs answer grew it.
func (sc *listScratch) release() {
	clear(sc.blobs)
	sc.blobs, sc.ids = sc.blobs[:0], sc.ids[:0]
	if cap(sc.blobs) <= 5001 {
		listScratches.Put(sc)
	}
}

// listBatch reads into sc up to n blobs at or after (name, snap) in list
// order.
func (s *Store) listBatch(ctx context.Context, containerID int64, opts ListBlobsOptions, name, snap string, n int, sc *listScratch) error {
	from, fromSnap := name, snap
	if opts.Prefix > from {
		from, fromSnap = opts.Prefix, ""
	}
	query, scan := listFullSQL, func(rows *sql.Rows, now time.Time) (blobRow, error) { return scanBlob(rows, now) }
	if opts.ListedOnly {
		if sc.listed == nil {
			sc.listed = newListedScanner()
		}
		query, scan = listedSQL, sc.listed.scan
		if opts.Metadata {
			query = listedWithMetaSQL
		}
	}
	rows, err := s.db.QueryContext(ctx, query, containerID, from, fromSnap, prefixEnd(opts.Prefix), opts.Snapshots, n)
	if err != nil {
		return fmt.Errorf("list blobs: %w", err)
	}
	clear(sc.blobs) // what this batch does not overwrite stays zero
	out, ids := sc.blobs[:0], sc.ids[:0]
	now := s.clock.Now()
	for rows.Next() {
		r, err := scan(rows, now)
		if err != nil {
			rows.Close()
			return fmt.Errorf("list blobs: %w", err)
		}
		out = append(out, r.b)
		ids = append(ids, r.id)
	}
	sc.blobs, sc.ids = out, ids
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list blobs: %w", err)
	}
	for i := range out {
		if opts.Tags && out[i].TagCount > 0 {
			if out[i].Tags, err = loadTags(ctx, s.db, ids[i]); err != nil {
				return err
			}
		}
	}
	if !opts.Uncommitted {
		return nil
	}
	sc.blobs, err = s.mergeUncommitted(ctx, containerID, opts, from, fromSnap, n, out)
	return err
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
