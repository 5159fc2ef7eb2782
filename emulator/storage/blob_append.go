package storage

import (
	"context"
	"database/sql"
	"fmt"
	"io"
)

// MaxAppendBlocks is the most blocks an append blob can take.
const MaxAppendBlocks = 50000

// AppendOptions are the conditions of Append Block.
type AppendOptions struct {
	Conditions Conditions
	// AppendPosition (x-ms-blob-condition-appendpos): the blob's size must
	// equal it; nil = any.
	AppendPosition *int64
	// MaxSize (x-ms-blob-condition-maxsize): the blob must not grow past it.
	MaxSize      *int64
	ContentMD5   []byte
	ContentCRC64 *uint64
}

// Appended is the outcome of Append Block.
type Appended struct {
	Blob   Blob
	Offset int64 // where the block was written (x-ms-blob-append-offset)
	CRC64  uint64
	MD5    []byte
}

// AppendBlock appends body to an append blob.
func (s *Store) AppendBlock(ctx context.Context, account, container, name string, body io.Reader, opts AppendOptions) (Appended, error) {
	if _, err := s.loadContainer(ctx, s.db, account, container); err != nil {
		return Appended{}, err
	}
	st, err := s.stage(ctx, body, MaxAppendBlockSize, sums{md5: opts.ContentMD5 != nil, crc64: true})
	if err != nil {
		return Appended{}, err
	}
	if err := st.checkTransactional(opts.ContentMD5, opts.ContentCRC64); err != nil {
		s.discard(st)
		return Appended{}, err
	}
	var out Appended
	err = s.blobTx(ctx, func(tx *sql.Tx) error {
		c, b, err := s.loadIn(ctx, tx, account, container, name, "")
		if err != nil {
			return err
		}
		if b.b.Type != AppendBlob {
			return ErrWrongBlobType
		}
		if err := checkModify(ctx, tx, b, opts.Conditions); err != nil {
			return err
		}
		if b.b.Sealed {
			return ErrBlobSealed
		}
		if opts.MaxSize != nil && b.b.Size+st.size > *opts.MaxSize {
			return ErrMaxSizeConditionNotMet
		}
		if opts.AppendPosition != nil && *opts.AppendPosition != b.b.Size {
			return ErrAppendPositionNotMet
		}
		if b.b.CommittedBlocks >= MaxAppendBlocks {
			return ErrTooManyCommittedBlocks
		}
		if st.size == 0 {
			return ErrInvalidHeader.with("Content-Length must be greater than zero")
		}
		var seq int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq) + 1, 0) FROM blob_content WHERE blob_id = ?`, b.id).Scan(&seq); err != nil {
			return fmt.Errorf("append block: %w", err)
		}
		chunks, err := st.link(ctx, tx)
		if err != nil {
			return err
		}
		size, err := appendContent(ctx, tx, b.id, seq, b.b.Size, chunks)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE blobs SET size = ?, committed_blocks = committed_blocks + 1, etag = ?, last_modified = ? WHERE id = ?`,
			size, s.etags.next(now), now.UnixNano(), b.id); err != nil {
			return fmt.Errorf("append block: %w", err)
		}
		r, err := s.loadBlob(ctx, tx, c.id, name, "")
		out = Appended{Blob: r.b, Offset: b.b.Size, CRC64: st.crc64, MD5: st.md5}
		return err
	})
	if err != nil {
		s.discard(st)
		return Appended{}, err
	}
	s.publishBlob(ctx, out.Blob, BlobChangeChanged, "")
	return out, nil
}
