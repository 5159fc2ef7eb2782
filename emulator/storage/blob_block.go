package storage

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"io"
)

// Block limits of block blobs.
const (
	MaxBlockIDBytes     = 64
	MaxUncommittedBlock = 100000
	MaxCommittedBlocks  = 50000
)

// Which block list a Put Block List entry names.
const (
	BlockLatest      = "Latest"
	BlockCommitted   = "Committed"
	BlockUncommitted = "Uncommitted"
)

// BlockRef is one entry of a Put Block List body.
type BlockRef struct {
	ID   string // base64, as sent
	From string // Latest, Committed or Uncommitted
}

// BlockInfo is one block of Get Block List.
type BlockInfo struct {
	ID   string
	Size int64
}

// BlockList is the answer of Get Block List.
type BlockList struct {
	Committed   []BlockInfo
	Uncommitted []BlockInfo
	// Blob is the committed blob, nil when only uncommitted blocks exist.
	Blob *Blob
}

// BlockWritten is the outcome of Put Block: checksums of the body.
type BlockWritten struct {
	ContentMD5 []byte
	CRC64      uint64
}

// BlockOptions are the settings of Put Block.
type BlockOptions struct {
	// LeaseID, when given, must be the blob's active lease (Put Block
	// needs none).
	LeaseID string
	// ContentMD5 and ContentCRC64 are transactional checksums of the body.
	ContentMD5   []byte
	ContentCRC64 *uint64
}

// ValidBlockID checks a block id: base64 of 1 to 64 bytes.
func ValidBlockID(id string) error {
	raw, err := base64.StdEncoding.DecodeString(id)
	if err != nil || len(raw) == 0 || len(raw) > MaxBlockIDBytes {
		return ErrInvalidQuery.with("blockid %q must be base64 of 1 to 64 bytes", id)
	}
	return nil
}

// PutBlock stages an uncommitted block for a block blob. The body streams
// into chunks.
func (s *Store) PutBlock(ctx context.Context, account, container, name, blockID string, body io.Reader, opts BlockOptions) (BlockWritten, error) {
	if err := ValidBlockID(blockID); err != nil {
		return BlockWritten{}, err
	}
	if err := ValidBlobName(name); err != nil {
		return BlockWritten{}, err
	}
	// Fail fast on a missing container before reading the body.
	if _, err := s.loadContainer(ctx, s.db, account, container); err != nil {
		return BlockWritten{}, err
	}
	st, err := s.stage(ctx, body, MaxBlockSize, sums{md5: opts.ContentMD5 != nil, crc64: true})
	if err != nil {
		return BlockWritten{}, err
	}
	if err := st.checkTransactional(opts.ContentMD5, opts.ContentCRC64); err != nil {
		s.discard(st)
		return BlockWritten{}, err
	}
	err = s.blobTx(ctx, func(tx *sql.Tx) error {
		c, b, missing, err := s.locate(ctx, tx, account, container, name, "")
		if err != nil {
			return err
		}
		if !missing {
			if b.b.Type != BlockBlob {
				return ErrWrongBlobType
			}
			if err := b.lease.checkRead(opts.LeaseID); err != nil {
				return err
			}
		}
		var n, otherLen int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(length(block_id) <> ?), 0) FROM blob_blocks
			WHERE container_id = ? AND blob_name = ? AND state = 'U'`, len(blockID), c.id, name).Scan(&n, &otherLen); err != nil {
			return fmt.Errorf("put block: %w", err)
		}
		if otherLen > 0 {
			return ErrInvalidBlock.with("all block ids of a blob must have the same length")
		}
		if n >= MaxUncommittedBlock {
			return ErrTooManyUncommittedBlocks
		}
		if err := deleteBlocks(ctx, tx, `container_id = ? AND blob_name = ? AND state = 'U' AND block_id = ?`, c.id, name, blockID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO blob_blocks (container_id, blob_name, block_id, state, size) VALUES (?, ?, ?, 'U', ?)`,
			c.id, name, blockID, st.size)
		if err != nil {
			return fmt.Errorf("put block: %w", err)
		}
		row, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("put block: %w", err)
		}
		chunks, err := st.link(ctx, tx)
		if err != nil {
			return err
		}
		for i, ch := range chunks {
			if _, err := tx.ExecContext(ctx, `INSERT INTO blob_block_content (block_row, seq, chunk_id, length) VALUES (?, ?, ?, ?)`,
				row, i, ch.id, ch.length); err != nil {
				return fmt.Errorf("put block: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		s.discard(st)
		return BlockWritten{}, err
	}
	return BlockWritten{ContentMD5: st.md5, CRC64: st.crc64}, nil
}

// PutBlockList commits a block list: the blob becomes the named blocks in
// order; blocks not named are discarded.
func (s *Store) PutBlockList(ctx context.Context, account, container, name string, list []BlockRef, opts PutBlobOptions) (Blob, error) {
	if err := ValidBlobName(name); err != nil {
		return Blob{}, err
	}
	if len(list) > MaxCommittedBlocks {
		return Blob{}, ErrInvalidBlockList.with("more than 50,000 blocks")
	}
	if err := opts.check(BlockBlob); err != nil {
		return Blob{}, err
	}
	md, err := encodeBlobMetadata(opts.Metadata)
	if err != nil {
		return Blob{}, err
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
		if !missing && b.b.Type != BlockBlob {
			return ErrWrongBlobType
		}
		rows := make([]int64, len(list))
		for i, ref := range list {
			if rows[i], err = findBlock(ctx, tx, c.id, name, ref); err != nil {
				return err
			}
		}
		for i, row := range rows {
			res, err := tx.ExecContext(ctx, `INSERT INTO blob_blocks (container_id, blob_name, block_id, state, position, size)
				SELECT container_id, blob_name, block_id, 'N', ?, size FROM blob_blocks WHERE id = ?`, i, row)
			if err != nil {
				return fmt.Errorf("put block list: %w", err)
			}
			nrow, err := res.LastInsertId()
			if err != nil {
				return fmt.Errorf("put block list: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO blob_block_content (block_row, seq, chunk_id, length)
				SELECT ?, seq, chunk_id, length FROM blob_block_content WHERE block_row = ?`, nrow, row); err != nil {
				return fmt.Errorf("put block list: %w", err)
			}
		}
		if err := deleteBlocks(ctx, tx, `container_id = ? AND blob_name = ? AND state IN ('U', 'C')`, c.id, name); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE blob_blocks SET state = 'C' WHERE container_id = ? AND blob_name = ? AND state = 'N'`, c.id, name); err != nil {
			return fmt.Errorf("put block list: %w", err)
		}
		id, err := s.writeBlobRow(ctx, tx, c.id, b, missing, BlockBlob, withDefaultContentType(opts.Headers), md, opts.ParentInvocationID)
		if err != nil {
			return err
		}
		if err := setCreated(ctx, tx, id, opts, BlockBlob, s.clock.Now()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM blob_content WHERE blob_id = ?`, id); err != nil {
			return fmt.Errorf("put block list: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO blob_content (blob_id, seq, chunk_id, offset, length)
			SELECT ?, ROW_NUMBER() OVER w - 1, bc.chunk_id, COALESCE(SUM(bc.length) OVER w - bc.length, 0), bc.length
			FROM blob_blocks bb JOIN blob_block_content bc ON bc.block_row = bb.id
			WHERE bb.container_id = ? AND bb.blob_name = ? AND bb.state = 'C'
			WINDOW w AS (ORDER BY bb.position, bc.seq ROWS UNBOUNDED PRECEDING)`, id, c.id, name); err != nil {
			return fmt.Errorf("put block list: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE blobs SET size = (SELECT COALESCE(SUM(length), 0) FROM blob_content WHERE blob_id = ?) WHERE id = ?`, id, id); err != nil {
			return fmt.Errorf("put block list: %w", err)
		}
		r, err := s.loadBlob(ctx, tx, c.id, name, "")
		out = r.b
		return err
	})
	if err != nil {
		return Blob{}, err
	}
	s.publishBlob(ctx, out, kind, APIPutBlockList)
	return out, nil
}

func findBlock(ctx context.Context, tx *sql.Tx, containerID int64, name string, ref BlockRef) (int64, error) {
	var states []string
	switch ref.From {
	case BlockLatest:
		states = []string{"U", "C"}
	case BlockCommitted:
		states = []string{"C"}
	case BlockUncommitted:
		states = []string{"U"}
	default:
		return 0, ErrInvalidXML.with("unknown block list element %q", ref.From)
	}
	if err := ValidBlockID(ref.ID); err != nil {
		return 0, ErrInvalidBlockID.with("%q", ref.ID)
	}
	for _, st := range states {
		var row int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM blob_blocks WHERE container_id = ? AND blob_name = ? AND state = ? AND block_id = ?
			ORDER BY position LIMIT 1`, containerID, name, st, ref.ID).Scan(&row)
		if err == nil {
			return row, nil
		}
		if err != sql.ErrNoRows {
			return 0, fmt.Errorf("find block: %w", err)
		}
	}
	return 0, ErrInvalidBlockList.with("block %q (%s) not found", ref.ID, ref.From)
}

// deleteBlocks removes block rows matching where, content first so the
// chunk reference triggers see each row.
func deleteBlocks(ctx context.Context, tx *sql.Tx, where string, args ...any) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM blob_block_content WHERE block_row IN (SELECT id FROM blob_blocks WHERE `+where+`)`, args...); err != nil {
		return fmt.Errorf("delete blocks: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM blob_blocks WHERE `+where, args...); err != nil {
		return fmt.Errorf("delete blocks: %w", err)
	}
	return nil
}

// dropBlocks discards every block (committed and uncommitted) of a blob.
// Most blobs have none: a cheap look first spares the deletes, whose
// statements (with their triggers) are costly to prepare.
func dropBlocks(ctx context.Context, tx *sql.Tx, containerID int64, name string) error {
	var any bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM blob_blocks WHERE container_id = ? AND blob_name = ?)`,
		containerID, name).Scan(&any); err != nil {
		return fmt.Errorf("drop blocks: %w", err)
	}
	if !any {
		return nil
	}
	return deleteBlocks(ctx, tx, `container_id = ? AND blob_name = ?`, containerID, name)
}

// GetBlockList lists a block blob's committed and/or uncommitted blocks;
// which is "committed", "uncommitted" or "all".
func (s *Store) GetBlockList(ctx context.Context, account, container, name, snapshot, which string, leaseID string) (BlockList, error) {
	var states []string
	switch which {
	case "committed", "":
		states = []string{"C"}
	case "uncommitted":
		states = []string{"U"}
	case "all":
		states = []string{"C", "U"}
	default:
		return BlockList{}, ErrInvalidQuery.with("blocklisttype %q", which)
	}
	c, b, missing, err := s.locate(ctx, s.db, account, container, name, snapshot)
	if err != nil {
		return BlockList{}, err
	}
	var out BlockList
	if !missing {
		if b.b.Type != BlockBlob {
			return BlockList{}, ErrWrongBlobType
		}
		if err := b.lease.checkRead(leaseID); err != nil {
			return BlockList{}, err
		}
		out.Blob = &b.b
	}
	if snapshot != "" {
		if missing {
			return BlockList{}, ErrBlobNotFound
		}
		if states[0] == "C" {
			out.Committed, err = s.snapshotBlocks(ctx, b.id)
		}
		return out, err // a snapshot has no uncommitted blocks
	}
	for _, st := range states {
		rows, err := s.db.QueryContext(ctx, `SELECT block_id, size FROM blob_blocks WHERE container_id = ? AND blob_name = ? AND state = ?
			ORDER BY position, id`, c.id, name, st)
		if err != nil {
			return BlockList{}, fmt.Errorf("get block list: %w", err)
		}
		for rows.Next() {
			var bi BlockInfo
			if err := rows.Scan(&bi.ID, &bi.Size); err != nil {
				rows.Close()
				return BlockList{}, fmt.Errorf("get block list: %w", err)
			}
			if st == "C" {
				out.Committed = append(out.Committed, bi)
			} else {
				out.Uncommitted = append(out.Uncommitted, bi)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return BlockList{}, fmt.Errorf("get block list: %w", err)
		}
	}
	if missing && len(out.Uncommitted) == 0 {
		// A blob that exists only as uncommitted blocks is found even
		// when only its (empty) committed list is asked for.
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM blob_blocks WHERE container_id = ? AND blob_name = ?`, c.id, name).Scan(&n); err != nil {
			return BlockList{}, fmt.Errorf("get block list: %w", err)
		}
		if n == 0 {
			return BlockList{}, ErrBlobNotFound
		}
	}
	return out, nil
}
