package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
)

// Page blob limits.
const (
	PageSize        = 512
	MaxPageBlobSize = 8 << 40 // 8 TiB
	MaxPutPageSize  = 4 << 20
	// maxPageRow bounds how long one stored row of a page blob is (a
	// chunk), so the rows overlapping a range are found by an index range
	// starting this far before it.
	maxPageRow = 4 << 20
)

func validPageBlobSize(size, seq int64) error {
	if size < 0 || size%PageSize != 0 || size > MaxPageBlobSize {
		return ErrInvalidHeader.with("x-ms-blob-content-length %d must be a multiple of 512 up to 8 TiB", size)
	}
	if seq < 0 {
		return ErrInvalidHeader.with("x-ms-blob-sequence-number %d must be 0 or more", seq)
	}
	return nil
}

// SequenceConditions are the x-ms-if-sequence-number-* headers; nil means
// not given.
type SequenceConditions struct {
	LE, LT, EQ *int64
}

func (c SequenceConditions) check(seq int64) error {
	if (c.LE != nil && seq > *c.LE) || (c.LT != nil && seq >= *c.LT) || (c.EQ != nil && seq != *c.EQ) {
		return ErrSequenceConditionNotMet
	}
	return nil
}

// PageOptions are the settings of Put Page.
type PageOptions struct {
	Conditions   Conditions
	Sequence     SequenceConditions
	ContentMD5   []byte
	ContentCRC64 *uint64
}

// PageRange is an inclusive byte range of a page blob.
type PageRange struct{ Start, End int64 }

// checkPageRange checks 512-byte alignment of [start, end].
func checkPageRange(start, end int64) error {
	if start < 0 || start%PageSize != 0 || (end+1)%PageSize != 0 || end < start {
		return ErrInvalidPageRange.with("bytes=%d-%d must start and end on 512-byte page boundaries", start, end)
	}
	return nil
}

// pageWrite runs a Put Page (update or clear) on [start, end]: conditions,
// then the rows overlapping the range are cut and the new chunks (none
// for a clear) put in their place.
func (s *Store) pageWrite(ctx context.Context, account, container, name string, start, end int64, st *staged, opts PageOptions) (Blob, error) {
	return s.updateBlobWith(ctx, account, container, name, opts.Conditions, func(tx *sql.Tx, b blobRow) error {
		if b.b.Type != PageBlob {
			return ErrWrongBlobType
		}
		if err := opts.Sequence.check(b.b.SequenceNumber); err != nil {
			return err
		}
		if end >= b.b.Size {
			return ErrInvalidPageRange.with("bytes=%d-%d is beyond the blob's %d bytes", start, end, b.b.Size)
		}
		if err := cutPages(ctx, tx, b.id, start, end+1); err != nil {
			return err
		}
		if st == nil {
			return nil
		}
		chunks, err := st.link(ctx, tx)
		if err != nil {
			return err
		}
		off := start
		for _, ch := range chunks {
			if _, err := tx.ExecContext(ctx, `INSERT INTO blob_content (blob_id, seq, chunk_id, offset, length) VALUES (?, ?, ?, ?, ?)`,
				b.id, off/PageSize, ch.id, off, ch.length); err != nil {
				return fmt.Errorf("put page: %w", err)
			}
			off += ch.length
		}
		return nil
	})
}

// cutPages removes [from, to) from a page blob's rows. A row reaching past
// either end keeps that part: the right part is inserted before the row is
// shortened or deleted, so its chunk never loses its last reference.
func cutPages(ctx context.Context, tx *sql.Tx, blobID, from, to int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT seq, chunk_id, offset, length, chunk_from FROM blob_content
		WHERE blob_id = ? AND seq >= ? AND seq < ? AND offset + length > ?`,
		blobID, max(from-maxPageRow, 0)/PageSize, (to+PageSize-1)/PageSize, from)
	if err != nil {
		return fmt.Errorf("cut pages: %w", err)
	}
	type row struct{ seq, chunk, off, n, cfrom int64 }
	var hit []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.seq, &r.chunk, &r.off, &r.n, &r.cfrom); err != nil {
			rows.Close()
			return fmt.Errorf("cut pages: %w", err)
		}
		hit = append(hit, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cut pages: %w", err)
	}
	for _, r := range hit {
		if rowEnd := r.off + r.n; rowEnd > to {
			if _, err := tx.ExecContext(ctx, `INSERT INTO blob_content (blob_id, seq, chunk_id, offset, length, chunk_from) VALUES (?, ?, ?, ?, ?, ?)`,
				blobID, to/PageSize, r.chunk, to, rowEnd-to, r.cfrom+(to-r.off)); err != nil {
				return fmt.Errorf("cut pages: %w", err)
			}
		}
		if r.off < from {
			_, err = tx.ExecContext(ctx, `UPDATE blob_content SET length = ? WHERE blob_id = ? AND seq = ?`, from-r.off, blobID, r.seq)
		} else {
			_, err = tx.ExecContext(ctx, `DELETE FROM blob_content WHERE blob_id = ? AND seq = ?`, blobID, r.seq)
		}
		if err != nil {
			return fmt.Errorf("cut pages: %w", err)
		}
	}
	return nil
}

// PutPages writes body to [start, end] of a page blob. The body is
// streamed into chunks; only written pages take space.
func (s *Store) PutPages(ctx context.Context, account, container, name string, start, end int64, body io.Reader, opts PageOptions) (Blob, error) {
	if err := checkPageRange(start, end); err != nil {
		return Blob{}, err
	}
	if end-start+1 > MaxPutPageSize {
		return Blob{}, ErrInvalidPageRange.with("bytes=%d-%d is more than 4 MiB", start, end)
	}
	if _, err := s.loadContainer(ctx, s.db, account, container); err != nil {
		return Blob{}, err
	}
	st, err := s.stage(ctx, body, end-start+1, sums{md5: opts.ContentMD5 != nil, crc64: opts.ContentCRC64 != nil})
	if err != nil {
		return Blob{}, err
	}
	if st.size != end-start+1 {
		s.discard(st)
		return Blob{}, ErrInvalidHeader.with("Content-Length %d must equal the range's %d bytes", st.size, end-start+1)
	}
	if err := st.checkTransactional(opts.ContentMD5, opts.ContentCRC64); err != nil {
		s.discard(st)
		return Blob{}, err
	}
	out, err := s.pageWrite(ctx, account, container, name, start, end, st, opts)
	if err != nil {
		s.discard(st)
	}
	return out, err
}

// ClearPages frees [start, end] of a page blob; it reads as zeros after.
func (s *Store) ClearPages(ctx context.Context, account, container, name string, start, end int64, opts PageOptions) (Blob, error) {
	if err := checkPageRange(start, end); err != nil {
		return Blob{}, err
	}
	return s.pageWrite(ctx, account, container, name, start, end, nil, opts)
}

// pageRow is one stored run of a page blob: blob bytes [off, off+n) are
// chunk bytes [cfrom, cfrom+n).
type pageRow struct{ off, n, chunk, cfrom int64 }

func loadPageRows(ctx context.Context, q blobQueryer, blobID int64) ([]pageRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT offset, length, chunk_id, chunk_from FROM blob_content WHERE blob_id = ? ORDER BY seq`, blobID)
	if err != nil {
		return nil, fmt.Errorf("page ranges: %w", err)
	}
	defer rows.Close()
	var out []pageRow
	for rows.Next() {
		var r pageRow
		if err := rows.Scan(&r.off, &r.n, &r.chunk, &r.cfrom); err != nil {
			return nil, fmt.Errorf("page ranges: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// PageRanges is the answer of Get Page Ranges.
type PageRanges struct {
	Blob    Blob
	Ranges  []PageRange
	Cleared []PageRange // with a previous snapshot: pages cleared since
}

// GetPageRanges lists the written pages of a page blob (or snapshot),
// within rg when given. With prevSnapshot it lists the pages changed and
// cleared since that snapshot instead.
func (s *Store) GetPageRanges(ctx context.Context, account, container, name, snapshot, prevSnapshot string, rg *ByteRange, cond Conditions) (PageRanges, error) {
	c, b, err := s.loadIn(ctx, s.db, account, container, name, snapshot)
	if err != nil {
		return PageRanges{}, err
	}
	if b.b.Type != PageBlob {
		return PageRanges{}, ErrWrongBlobType
	}
	if err := b.lease.checkRead(cond.LeaseID); err != nil {
		return PageRanges{}, err
	}
	if err := cond.checkRead(b.b.ETag, b.b.LastModified); err != nil {
		return PageRanges{}, err
	}
	if err := checkIfTags(ctx, s.db, b, cond.IfTags); err != nil {
		return PageRanges{}, err
	}
	from, to := int64(0), b.b.Size
	if rg != nil {
		from = rg.Start
		if rg.End >= 0 && rg.End+1 < to {
			to = rg.End + 1
		}
	}
	cur, err := loadPageRows(ctx, s.db, b.id)
	if err != nil {
		return PageRanges{}, err
	}
	out := PageRanges{Blob: b.b}
	if prevSnapshot == "" {
		for _, r := range cur {
			out.Ranges = addRange(out.Ranges, max(r.off, from), min(r.off+r.n, to))
		}
		return out, nil
	}
	pb, err := s.loadBlob(ctx, s.db, c.id, name, prevSnapshot)
	if errors.Is(err, ErrBlobNotFound) {
		return PageRanges{}, ErrPreviousSnapshotNotFound
	}
	if err != nil {
		return PageRanges{}, err
	}
	prev, err := loadPageRows(ctx, s.db, pb.id)
	if err != nil {
		return PageRanges{}, err
	}
	out.Ranges, out.Cleared = diffPages(cur, prev, from, to)
	return out, nil
}

// addRange appends [start, end) to ranges (inclusive ends), merging with
// the last one when they touch.
func addRange(ranges []PageRange, start, end int64) []PageRange {
	if start >= end {
		return ranges
	}
	if n := len(ranges); n > 0 && ranges[n-1].End+1 == start {
		ranges[n-1].End = end - 1
		return ranges
	}
	return append(ranges, PageRange{Start: start, End: end - 1})
}

// diffPages compares two sorted row lists over [from, to): pages whose
// bytes come from a different chunk (or exist only now) changed; pages
// that exist only in prev were cleared. Rows shared by a snapshot keep the
// same chunk, so unchanged pages compare equal without reading content.
func diffPages(cur, prev []pageRow, from, to int64) (changed, cleared []PageRange) {
	i, j := 0, 0
	pos := from
	for pos < to {
		for i < len(cur) && cur[i].off+cur[i].n <= pos {
			i++
		}
		for j < len(prev) && prev[j].off+prev[j].n <= pos {
			j++
		}
		next := to
		var c, p *pageRow
		if i < len(cur) {
			if cur[i].off <= pos {
				c = &cur[i]
				next = min(next, c.off+c.n)
			} else {
				next = min(next, cur[i].off)
			}
		}
		if j < len(prev) {
			if prev[j].off <= pos {
				p = &prev[j]
				next = min(next, p.off+p.n)
			} else {
				next = min(next, prev[j].off)
			}
		}
		switch {
		case c != nil && (p == nil || c.chunk != p.chunk || c.cfrom-c.off != p.cfrom-p.off):
			changed = addRange(changed, pos, next)
		case c == nil && p != nil:
			cleared = addRange(cleared, pos, next)
		}
		pos = next
	}
	return changed, cleared
}

// PageBlobProperties are the page-blob parts of Set Blob Properties.
type PageBlobProperties struct {
	// Resize (x-ms-blob-content-length) changes the size; pages past a
	// smaller size are dropped.
	Resize *int64
	// SequenceAction is max, update or increment; "" leaves the number.
	SequenceAction string
	SequenceNumber *int64
}

// SetPageBlobProperties sets a page blob's standard properties together
// with its size and sequence number, in one write.
// A nil h keeps the standard properties.
func (s *Store) SetPageBlobProperties(ctx context.Context, account, container, name string, h *BlobHeaders, p PageBlobProperties, cond Conditions) (Blob, error) {
	if p.Resize != nil {
		if err := validPageBlobSize(*p.Resize, 0); err != nil {
			return Blob{}, err
		}
	}
	switch p.SequenceAction {
	case "":
	case "max", "update":
		if p.SequenceNumber == nil {
			return Blob{}, ErrMissingHeader.with("x-ms-blob-sequence-number")
		}
		if err := validPageBlobSize(0, *p.SequenceNumber); err != nil {
			return Blob{}, err
		}
	case "increment":
		if p.SequenceNumber != nil {
			return Blob{}, ErrInvalidHeader.with("x-ms-blob-sequence-number must not be sent with x-ms-sequence-number-action: increment")
		}
	default:
		return Blob{}, ErrInvalidHeader.with("x-ms-sequence-number-action %q (max, update or increment)", p.SequenceAction)
	}
	return s.updateBlobWith(ctx, account, container, name, cond, func(tx *sql.Tx, b blobRow) error {
		if b.b.Type != PageBlob {
			return ErrInvalidHeader.with("x-ms-blob-content-length and x-ms-sequence-number-action apply to page blobs")
		}
		size, seq := b.b.Size, b.b.SequenceNumber
		if p.Resize != nil {
			if *p.Resize < size {
				if err := cutPages(ctx, tx, b.id, *p.Resize, size); err != nil {
					return err
				}
			}
			size = *p.Resize
		}
		switch p.SequenceAction {
		case "max":
			seq = max(seq, *p.SequenceNumber)
		case "update":
			seq = *p.SequenceNumber
		case "increment":
			seq++
		}
		if h == nil {
			h = &b.b.Headers
		}
		_, err := tx.ExecContext(ctx, `UPDATE blobs SET size = ?, sequence_number = ?, content_type = ?, content_encoding = ?,
			content_language = ?, content_disposition = ?, cache_control = ?, content_md5 = ? WHERE id = ?`,
			size, seq, h.ContentType, h.ContentEncoding, h.ContentLanguage, h.ContentDisposition, h.CacheControl, h.ContentMD5, b.id)
		if err != nil {
			return fmt.Errorf("set page blob properties: %w", err)
		}
		return nil
	})
}
