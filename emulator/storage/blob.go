package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"time"
)

// Size limits of the blob service.
const (
	MaxPutBlobSize     = 5000 << 20 // single Put Blob
	MaxBlockSize       = 4000 << 20 // one Put Block
	MaxAppendBlockSize = 100 << 20  // one Append Block
)

// PutBlobOptions are the settings of Put Blob and Put Block List.
type PutBlobOptions struct {
	Type       string // BlockBlob (default) or AppendBlob
	Headers    BlobHeaders
	Metadata   map[string]string
	Conditions Conditions
	// ContentMD5 is the transactional MD5 of the body (Content-MD5), checked
	// before anything is written.
	ContentMD5 []byte
	// ContentCRC64 is the transactional x-ms-content-crc64, checked likewise.
	ContentCRC64 *uint64
	// ParentInvocationID tags the blob with the invocation that wrote it.
	ParentInvocationID string
	// Tags (x-ms-tags) replace the blob's index tags; nil leaves none.
	Tags Tags
	// AccessTier (x-ms-access-tier) sets the tier; "" leaves it inferred.
	AccessTier string
	// PageBlobSize (x-ms-blob-content-length) and SequenceNumber
	// (x-ms-blob-sequence-number) create a page blob.
	PageBlobSize   int64
	SequenceNumber int64
}

const blobColumns = `b.id, c.account, c.name, b.name, b.snapshot, b.blob_type, b.size, b.etag, b.created, b.last_modified,
	b.content_type, b.content_encoding, b.content_language, b.content_disposition, b.cache_control, b.content_md5,
	b.metadata, b.lease_id, b.lease_state, b.lease_duration, b.lease_until, b.committed_blocks,
	b.copy_id, b.copy_source, b.copy_completed, b.parent_invocation,
	b.access_tier, b.tier_changed, b.sealed, b.sequence_number, (SELECT COUNT(*) FROM blob_tags t WHERE t.blob_id = b.id)`

type blobRow struct {
	id          int64
	containerID int64
	b           Blob
	lease       lease
}

func scanBlob(sc interface{ Scan(...any) error }, now time.Time) (blobRow, error) {
	var r blobRow
	var created, modified, copyDone, tierChanged int64
	var md string
	var copyID, copySource string
	b := &r.b
	err := sc.Scan(&r.id, &b.Account, &b.Container, &b.Name, &b.Snapshot, &b.Type, &b.Size, &b.ETag, &created, &modified,
		&b.Headers.ContentType, &b.Headers.ContentEncoding, &b.Headers.ContentLanguage, &b.Headers.ContentDisposition,
		&b.Headers.CacheControl, &b.Headers.ContentMD5, &md, &r.lease.id, &r.lease.state, &r.lease.duration, &r.lease.until,
		&b.CommittedBlocks, &copyID, &copySource, &copyDone, &b.ParentInvocationID,
		&b.AccessTier, &tierChanged, &b.Sealed, &b.SequenceNumber, &b.TagCount)
	if err != nil {
		return r, err
	}
	r.finish(created, modified, tierChanged, md, copyID, copySource, copyDone, now)
	return r, nil
}

// finish sets what scanBlob and scanListed derive from the stored
// columns; md "" (not read) leaves Metadata nil.
func (r *blobRow) finish(created, modified, tierChanged int64, md, copyID, copySource string, copyDone int64, now time.Time) {
	b := &r.b
	b.Created = time.Unix(0, created).UTC()
	b.LastModified = time.Unix(0, modified).UTC()
	if md != "" {
		b.Metadata = decodeMetadata(md)
	}
	b.AccessTierChanged = b.Created
	if tierChanged != 0 {
		b.AccessTierChanged = time.Unix(0, tierChanged).UTC()
	}
	if copyID != "" {
		b.Copy = &CopyInfo{ID: copyID, Source: copySource, Status: "success",
			Progress: fmt.Sprintf("%d/%d", b.Size, b.Size), Completed: time.Unix(0, copyDone).UTC()}
	}
	if b.Snapshot == "" {
		r.lease = r.lease.at(now)
	} else {
		r.lease = lease{state: LeaseAvailable} // snapshots cannot be leased
	}
	b.Lease = r.lease.info()
}

// loadBlob reads a blob (snapshot "" = the base blob) in a container row.
func (s *Store) loadBlob(ctx context.Context, q blobQueryer, containerID int64, name, snapshot string) (blobRow, error) {
	row := q.QueryRowContext(ctx, `SELECT `+blobColumns+` FROM blobs b JOIN blob_containers c ON c.id = b.container_id
		WHERE b.container_id = ? AND b.name = ? AND b.snapshot = ?`, containerID, name, snapshot)
	r, err := scanBlob(row, s.clock.Now())
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrBlobNotFound
	}
	if err != nil {
		return r, fmt.Errorf("load blob %s: %w", name, err)
	}
	r.containerID = containerID
	return r, nil
}

// loadIn loads a blob (snapshot "" = the base blob) of a container,
// answering ContainerNotFound or BlobNotFound.
func (s *Store) loadIn(ctx context.Context, q blobQueryer, account, container, name, snapshot string) (containerRow, blobRow, error) {
	c, err := s.loadContainer(ctx, q, account, container)
	if err != nil {
		return c, blobRow{}, err
	}
	b, err := s.loadBlob(ctx, q, c.id, name, snapshot)
	return c, b, err
}

// checkModify evaluates what every write to an existing blob checks: its
// lease, the conditional headers and x-ms-if-tags.
func checkModify(ctx context.Context, q blobQueryer, b blobRow, cond Conditions) error {
	if err := b.lease.checkWrite(cond.LeaseID); err != nil {
		return err
	}
	if err := cond.checkWrite(b.b.ETag, b.b.LastModified, false); err != nil {
		return err
	}
	return checkIfTags(ctx, q, b, cond.IfTags)
}

// locate loads the container and, when it exists, the blob; missing is true
// when only the blob is absent.
func (s *Store) locate(ctx context.Context, q blobQueryer, account, container, name, snapshot string) (containerRow, blobRow, bool, error) {
	c, err := s.loadContainer(ctx, q, account, container)
	if err != nil {
		return c, blobRow{}, false, err
	}
	b, err := s.loadBlob(ctx, q, c.id, name, snapshot)
	if errors.Is(err, ErrBlobNotFound) {
		b.b.Name = name
		return c, b, true, nil
	}
	return c, b, false, err
}

func validBlobType(t string) (string, error) {
	switch t {
	case "", BlockBlob:
		return BlockBlob, nil
	case AppendBlob, PageBlob:
		return t, nil
	}
	return "", ErrInvalidHeader.with("x-ms-blob-type %q", t)
}

// checkCreate evaluates conditions and the lease for a write that creates
// or replaces a blob.
func checkCreate(ctx context.Context, q blobQueryer, cond Conditions, b blobRow, missing bool) error {
	if missing {
		return cond.checkMissing()
	}
	if err := b.lease.checkWrite(cond.LeaseID); err != nil {
		return err
	}
	if err := cond.checkWrite(b.b.ETag, b.b.LastModified, true); err != nil {
		return err
	}
	return checkIfTags(ctx, q, b, cond.IfTags)
}

// PutBlob creates or replaces a block blob with body, or creates an empty
// append blob. The body is streamed into chunks, never held whole.
func (s *Store) PutBlob(ctx context.Context, account, container, name string, body io.Reader, opts PutBlobOptions) (Blob, error) {
	typ, err := validBlobType(opts.Type)
	if err != nil {
		return Blob{}, err
	}
	if err := ValidBlobName(name); err != nil {
		return Blob{}, err
	}
	if err := opts.check(typ); err != nil {
		return Blob{}, err
	}
	md, err := encodeBlobMetadata(opts.Metadata)
	if err != nil {
		return Blob{}, err
	}
	st, err := s.stage(ctx, body, MaxPutBlobSize, sums{md5: opts.ContentMD5 != nil || opts.Headers.ContentMD5 == nil, crc64: opts.ContentCRC64 != nil})
	if err != nil {
		return Blob{}, err
	}
	if typ != BlockBlob && st.size > 0 {
		s.discard(st)
		return Blob{}, ErrInvalidHeader.with("Content-Length must be 0 to create an append or page blob")
	}
	if err := st.checkTransactional(opts.ContentMD5, opts.ContentCRC64); err != nil {
		s.discard(st)
		return Blob{}, err
	}
	headers := withDefaultContentType(opts.Headers)
	if headers.ContentMD5 == nil && typ == BlockBlob {
		headers.ContentMD5 = st.md5
	}
	var out Blob
	kind := BlobChangeChanged
	err = s.blobTx(ctx, func(tx *sql.Tx) error {
		c, b, missing, err := s.locate(ctx, tx, account, container, name, "")
		if err != nil {
			return err
		}
		if err := checkCreate(ctx, tx, opts.Conditions, b, missing); err != nil {
			return err
		}
		if missing {
			kind = BlobChangeCreated
		}
		id, err := s.writeBlobRow(ctx, tx, c.id, b, missing, typ, headers, md, opts.ParentInvocationID)
		if err != nil {
			return err
		}
		if err := setCreated(ctx, tx, id, opts, typ, s.clock.Now()); err != nil {
			return err
		}
		chunks, err := st.link(ctx, tx)
		if err != nil {
			return err
		}
		size, err := setContent(ctx, tx, id, chunks)
		if err != nil {
			return err
		}
		if err := dropBlocks(ctx, tx, c.id, name); err != nil {
			return err
		}
		if typ != PageBlob {
			if _, err := tx.ExecContext(ctx, `UPDATE blobs SET size = ? WHERE id = ?`, size, id); err != nil {
				return fmt.Errorf("put blob %s: %w", name, err)
			}
		}
		r, err := s.loadBlob(ctx, tx, c.id, name, "")
		out = r.b
		return err
	})
	if err != nil {
		s.discard(st)
		return Blob{}, err
	}
	s.publishBlob(ctx, out, kind, APIPutBlob)
	return out, nil
}

// writeBlobRow inserts a new base blob row or resets an existing one for a
// full overwrite (keeping its creation time and lease), returning its id.
func (s *Store) writeBlobRow(ctx context.Context, tx *sql.Tx, containerID int64, b blobRow, missing bool, typ string, h BlobHeaders, md, parent string) (int64, error) {
	now := s.clock.Now()
	etag := s.etags.next(now)
	if missing {
		res, err := tx.ExecContext(ctx, `INSERT INTO blobs (container_id, name, blob_type, etag, created, last_modified,
			content_type, content_encoding, content_language, content_disposition, cache_control, content_md5, metadata, parent_invocation)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			containerID, b.b.Name, typ, etag, now.UnixNano(), now.UnixNano(),
			h.ContentType, h.ContentEncoding, h.ContentLanguage, h.ContentDisposition, h.CacheControl, h.ContentMD5, md, parent)
		if err != nil {
			return 0, fmt.Errorf("write blob row: %w", err)
		}
		return res.LastInsertId()
	}
	_, err := tx.ExecContext(ctx, `UPDATE blobs SET blob_type = ?, etag = ?, last_modified = ?, content_type = ?, content_encoding = ?,
		content_language = ?, content_disposition = ?, cache_control = ?, content_md5 = ?, metadata = ?, parent_invocation = ?,
		committed_blocks = 0, copy_id = '', copy_source = '', copy_completed = 0 WHERE id = ?`,
		typ, etag, now.UnixNano(), h.ContentType, h.ContentEncoding, h.ContentLanguage, h.ContentDisposition,
		h.CacheControl, h.ContentMD5, md, parent, b.id)
	if err != nil {
		return 0, fmt.Errorf("write blob row: %w", err)
	}
	return b.id, nil
}

// ReadOptions select what OpenBlob reads.
type ReadOptions struct {
	Snapshot   string
	Range      *ByteRange // nil = the whole blob
	Conditions Conditions
}

// checkBlobRead is what every read of a blob's content checks, in
// Azure's order: the lease, the conditional headers, x-ms-if-tags, and
// the archive tier, whose content cannot be read until rehydrated.
func (s *Store) checkBlobRead(ctx context.Context, b blobRow, c Conditions) error {
	if err := b.lease.checkRead(c.LeaseID); err != nil {
		return err
	}
	if err := c.checkRead(b.b.ETag, b.b.LastModified); err != nil {
		return err
	}
	if err := checkIfTags(ctx, s.db, b, c.IfTags); err != nil {
		return err
	}
	if b.b.AccessTier == TierArchive {
		return ErrBlobArchived
	}
	return nil
}

// ByteRange is an inclusive byte range; End < 0 means "to the end".
type ByteRange struct {
	Start, End int64
}

// OpenBlob starts reading a blob. Only the chunks the range touches are
// read, one at a time, as the caller reads.
func (s *Store) OpenBlob(ctx context.Context, account, container, name string, opts ReadOptions) (*BlobReader, error) {
	// The properties and the chunk list come from one statement (one
	// consistent snapshot, no write lock), and the chunks are pinned before
	// any garbage collection can run, so the reader streams exactly the
	// version it found even if the blob is overwritten meanwhile.
	pins := s.chunkPins()
	pins.mu.Lock()
	defer pins.mu.Unlock()
	b, chunks, err := s.loadBlobWithChunks(ctx, account, container, name, opts.Snapshot)
	if err != nil {
		return nil, err
	}
	if err := s.checkBlobRead(ctx, b, opts.Conditions); err != nil {
		return nil, err
	}
	r := &BlobReader{Blob: b.b, Length: b.b.Size, ctx: ctx, store: s}
	if rg := opts.Range; rg != nil {
		if rg.Start >= b.b.Size { // every range of an empty blob, as on Azure
			return nil, ErrRangeNotSatisfiable
		}
		end := rg.End
		if end < 0 || end >= b.b.Size {
			end = b.b.Size - 1
		}
		r.Offset, r.Length, r.Partial = rg.Start, max(end-rg.Start+1, 0), true
	}
	r.parts = planParts(chunks, r.Offset, r.Length)
	pins.pin(r.parts)
	r.pinned = r.parts
	return r, nil
}

// storedChunk is one entry of a blob's content list.
type storedChunk struct {
	id, offset, length int64
	from               int64 // where in the chunk the bytes start
	file               int64 // its chunk file, 0 when inline
}

// loadBlobWithChunks reads a blob's row and its whole chunk list in one
// statement.
func (s *Store) loadBlobWithChunks(ctx context.Context, account, container, name, snapshot string) (blobRow, []storedChunk, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+blobColumns+`, bc.chunk_id, bc.offset, bc.length, bc.chunk_from, f.file
		FROM blobs b JOIN blob_containers c ON c.id = b.container_id
		LEFT JOIN blob_content bc ON bc.blob_id = b.id
		LEFT JOIN blob_chunk_files f ON f.chunk_id = bc.chunk_id
		WHERE c.account = ? AND c.name = ? AND b.name = ? AND b.snapshot = ? ORDER BY bc.seq`,
		account, container, name, snapshot)
	if err != nil {
		return blobRow{}, nil, fmt.Errorf("open blob %s: %w", name, err)
	}
	defer rows.Close()
	var b blobRow
	var chunks []storedChunk
	found := false
	now := s.clock.Now()
	for rows.Next() {
		var id, off, n, from, file sql.NullInt64
		row, err := scanBlob(extraScanner{rows, []any{&id, &off, &n, &from, &file}}, now)
		if err != nil {
			return blobRow{}, nil, fmt.Errorf("open blob %s: %w", name, err)
		}
		if !found {
			b, found = row, true
		}
		if id.Valid {
			chunks = append(chunks, storedChunk{id: id.Int64, offset: off.Int64, length: n.Int64, from: from.Int64, file: file.Int64})
		}
	}
	if err := rows.Err(); err != nil {
		return blobRow{}, nil, fmt.Errorf("open blob %s: %w", name, err)
	}
	if !found {
		if _, err := s.loadContainer(ctx, s.db, account, container); err != nil {
			return blobRow{}, nil, err
		}
		return blobRow{}, nil, ErrBlobNotFound
	}
	return b, chunks, nil
}

// extraScanner scans a row whose leading columns scanBlob reads and whose
// trailing columns go to extra.
type extraScanner struct {
	rows  *sql.Rows
	extra []any
}

func (e extraScanner) Scan(dest ...any) error { return e.rows.Scan(append(dest, e.extra...)...) }

// planParts picks the parts of chunks that cover [offset, offset+length).
// Gaps between chunks (unwritten pages of a page blob) become zero parts
// (id 0), served without reading anything.
func planParts(chunks []storedChunk, offset, length int64) []chunkPart {
	if length == 0 {
		return nil
	}
	end := offset + length
	var parts []chunkPart
	pos := offset
	for _, c := range chunks {
		if c.offset >= end || c.offset+c.length <= offset {
			continue
		}
		if c.offset > pos {
			parts = append(parts, chunkPart{from: 0, to: c.offset - pos})
		}
		from, to := max(offset-c.offset, 0), min(end-c.offset, c.length)
		parts = append(parts, chunkPart{id: c.id, from: c.from + from, to: c.from + to, size: c.length,
			whole: c.from == 0 && from == 0 && to == c.length, file: c.file})
		pos = c.offset + to
	}
	if pos < end {
		parts = append(parts, chunkPart{from: 0, to: end - pos})
	}
	return parts
}

// ReadBlob reads a whole (small) blob into memory; for triggers and tests.
func (s *Store) ReadBlob(ctx context.Context, account, container, name string) ([]byte, Blob, error) {
	r, err := s.OpenBlob(ctx, account, container, name, ReadOptions{})
	if err != nil {
		return nil, Blob{}, err
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	return data, r.Blob, err
}

// GetBlobProperties returns a blob's (or snapshot's) properties.
func (s *Store) GetBlobProperties(ctx context.Context, account, container, name, snapshot string, cond Conditions) (Blob, error) {
	c, err := s.loadContainer(ctx, s.db, account, container)
	if err != nil {
		return Blob{}, err
	}
	b, err := s.loadBlob(ctx, s.db, c.id, name, snapshot)
	if err != nil {
		return Blob{}, err
	}
	if err := b.lease.checkRead(cond.LeaseID); err != nil {
		return Blob{}, err
	}
	if err := cond.checkRead(b.b.ETag, b.b.LastModified); err != nil {
		return Blob{}, err
	}
	if err := checkIfTags(ctx, s.db, b, cond.IfTags); err != nil {
		return Blob{}, err
	}
	return b.b, nil
}

// updateBlob runs a property write on an existing base blob: lease and
// conditions checked, ETag and Last-Modified renewed.
func (s *Store) updateBlob(ctx context.Context, account, container, name string, cond Conditions, set string, args ...any) (Blob, error) {
	return s.updateBlobChecked(ctx, account, container, name, cond, nil, set, args...)
}

// updateBlobChecked is updateBlob with check run on the blob first.
func (s *Store) updateBlobChecked(ctx context.Context, account, container, name string, cond Conditions, check func(blobRow) error, set string, args ...any) (Blob, error) {
	return s.updateBlobWith(ctx, account, container, name, cond, func(tx *sql.Tx, b blobRow) error {
		if check != nil {
			if err := check(b); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE blobs SET `+set+` WHERE id = ?`, append(args, b.id)...); err != nil {
			return fmt.Errorf("update blob %s: %w", name, err)
		}
		return nil
	})
}

// updateBlobWith runs write on an existing base blob after the lease,
// conditions and tier are checked, then renews ETag and Last-Modified. An
// archived blob refuses property writes.
func (s *Store) updateBlobWith(ctx context.Context, account, container, name string, cond Conditions, write func(*sql.Tx, blobRow) error) (Blob, error) {
	var out Blob
	err := s.blobTx(ctx, func(tx *sql.Tx) error {
		c, b, err := s.loadIn(ctx, tx, account, container, name, "")
		if err != nil {
			return err
		}
		if err := checkModify(ctx, tx, b, cond); err != nil {
			return err
		}
		if b.b.AccessTier == TierArchive {
			return ErrBlobArchived
		}
		if err := write(tx, b); err != nil {
			return err
		}
		now := s.clock.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE blobs SET etag = ?, last_modified = ? WHERE id = ?`, s.etags.next(now), now.UnixNano(), b.id); err != nil {
			return fmt.Errorf("update blob %s: %w", name, err)
		}
		r, err := s.loadBlob(ctx, tx, c.id, name, "")
		out = r.b
		return err
	})
	if err == nil {
		s.publishBlob(ctx, out, BlobChangeChanged, "")
	}
	return out, err
}

// SetBlobHeaders replaces a blob's standard HTTP properties.
func (s *Store) SetBlobHeaders(ctx context.Context, account, container, name string, h BlobHeaders, cond Conditions) (Blob, error) {
	return s.updateBlob(ctx, account, container, name, cond,
		`content_type = ?, content_encoding = ?, content_language = ?, content_disposition = ?, cache_control = ?, content_md5 = ?`,
		h.ContentType, h.ContentEncoding, h.ContentLanguage, h.ContentDisposition, h.CacheControl, h.ContentMD5)
}

// SetBlobMetadata replaces a blob's metadata.
func (s *Store) SetBlobMetadata(ctx context.Context, account, container, name string, md map[string]string, cond Conditions) (Blob, error) {
	enc, err := encodeBlobMetadata(md)
	if err != nil {
		return Blob{}, err
	}
	return s.updateBlob(ctx, account, container, name, cond, `metadata = ?`, enc)
}

// LeaseBlob runs a lease operation on a blob. Lease operations keep the
// ETag and Last-Modified.
func (s *Store) LeaseBlob(ctx context.Context, account, container, name string, req LeaseRequest, cond Conditions) (LeaseResult, error) {
	var out LeaseResult
	err := s.blobTx(ctx, func(tx *sql.Tx) error {
		c, err := s.loadContainer(ctx, tx, account, container)
		if err != nil {
			return err
		}
		b, err := s.loadBlob(ctx, tx, c.id, name, "")
		if err != nil {
			return err
		}
		if err := (Conditions{IfMatch: cond.IfMatch, IfNoneMatch: cond.IfNoneMatch, IfModifiedSince: cond.IfModifiedSince,
			IfUnmodifiedSince: cond.IfUnmodifiedSince}).checkWrite(b.b.ETag, b.b.LastModified, false); err != nil {
			return err
		}
		if err := checkIfTags(ctx, tx, b, cond.IfTags); err != nil {
			return err
		}
		next, left, err := b.lease.apply(req, s.clock.Now())
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE blobs SET lease_id = ?, lease_state = ?, lease_duration = ?, lease_until = ? WHERE id = ?`,
			next.id, next.state, next.duration, next.until, b.id); err != nil {
			return fmt.Errorf("lease blob %s: %w", name, err)
		}
		out = LeaseResult{ID: next.id, TimeLeft: left, ETag: b.b.ETag, LastModified: b.b.LastModified}
		if req.Action == LeaseRelease || req.Action == LeaseBreak {
			out.ID = ""
		}
		return nil
	})
	return out, err
}
