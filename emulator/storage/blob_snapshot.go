package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// DeleteSnapshots is x-ms-delete-snapshots.
type DeleteSnapshots string

// Values of x-ms-delete-snapshots.
const (
	DeleteSnapshotsNone    DeleteSnapshots = ""
	DeleteSnapshotsInclude DeleteSnapshots = "include"
	DeleteSnapshotsOnly    DeleteSnapshots = "only"
)

// DeleteBlob deletes a base blob (with its snapshots per snaps) or, when
// snapshot is set, one snapshot.
func (s *Store) DeleteBlob(ctx context.Context, account, container, name, snapshot string, snaps DeleteSnapshots, cond Conditions) error {
	switch snaps {
	case DeleteSnapshotsNone, DeleteSnapshotsInclude, DeleteSnapshotsOnly:
	default:
		return ErrInvalidHeader.with("x-ms-delete-snapshots %q", string(snaps))
	}
	if snapshot != "" && snaps != DeleteSnapshotsNone {
		return ErrInvalidQuery.with("x-ms-delete-snapshots is not allowed when deleting a snapshot")
	}
	var gone Blob
	err := s.blobTx(ctx, func(tx *sql.Tx) error {
		c, err := s.loadContainer(ctx, tx, account, container)
		if err != nil {
			return err
		}
		b, err := s.loadBlob(ctx, tx, c.id, name, snapshot)
		if err != nil {
			return err
		}
		gone = b.b
		if err := checkIfTags(ctx, tx, b, cond.IfTags); err != nil {
			return err
		}
		if snapshot != "" {
			if err := cond.checkWrite(b.b.ETag, b.b.LastModified, false); err != nil {
				return err
			}
			return deleteBlobRows(ctx, tx, `id = ?`, b.id)
		}
		if snaps != DeleteSnapshotsOnly {
			if err := b.lease.checkWrite(cond.LeaseID); err != nil {
				return err
			}
		} else if err := b.lease.checkRead(cond.LeaseID); err != nil {
			return err
		}
		if err := cond.checkWrite(b.b.ETag, b.b.LastModified, false); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM blobs WHERE container_id = ? AND name = ? AND snapshot <> ''`, c.id, name).Scan(&n); err != nil {
			return fmt.Errorf("delete blob %s: %w", name, err)
		}
		switch snaps {
		case DeleteSnapshotsNone:
			if n > 0 {
				return ErrSnapshotsPresent
			}
			if err := dropBlocks(ctx, tx, c.id, name); err != nil {
				return err
			}
			return deleteBlobRows(ctx, tx, `id = ?`, b.id)
		case DeleteSnapshotsOnly:
			gone = Blob{}
			return deleteBlobRows(ctx, tx, `container_id = ? AND name = ? AND snapshot <> ''`, c.id, name)
		}
		if err := dropBlocks(ctx, tx, c.id, name); err != nil {
			return err
		}
		return deleteBlobRows(ctx, tx, `container_id = ? AND name = ?`, c.id, name)
	})
	if err == nil && gone.Name != "" && gone.Snapshot == "" {
		s.publishBlob(ctx, gone, BlobChangeDeleted, APIDeleteBlob)
	}
	return err
}

// deleteBlobRows deletes the blobs matching where, content first so the
// chunk reference triggers see each row.
func deleteBlobRows(ctx context.Context, tx *sql.Tx, where string, args ...any) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM blob_content WHERE blob_id IN (SELECT id FROM blobs WHERE `+where+`)`, args...); err != nil {
		return fmt.Errorf("delete blob content: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM blobs WHERE `+where, args...); err != nil {
		return fmt.Errorf("delete blob: %w", err)
	}
	return nil
}

// SnapshotBlob takes a read-only snapshot of a blob. The snapshot shares
// the blob's chunks. Metadata, when non-nil, replaces the copied metadata.
func (s *Store) SnapshotBlob(ctx context.Context, account, container, name string, md map[string]string, cond Conditions) (Blob, error) {
	var enc string
	if md != nil {
		var err error
		if enc, err = encodeBlobMetadata(md); err != nil {
			return Blob{}, err
		}
	}
	var out Blob
	err := s.blobTx(ctx, func(tx *sql.Tx) error {
		c, err := s.loadContainer(ctx, tx, account, container)
		if err != nil {
			return err
		}
		b, err := s.loadBlob(ctx, tx, c.id, name, "")
		if err != nil {
			return err
		}
		if err := b.lease.checkRead(cond.LeaseID); err != nil {
			return err
		}
		if err := cond.checkWrite(b.b.ETag, b.b.LastModified, false); err != nil {
			return err
		}
		if err := checkIfTags(ctx, tx, b, cond.IfTags); err != nil {
			return err
		}
		if b.b.AccessTier == TierArchive {
			return ErrBlobArchived
		}
		// Snapshot ids have 100 ns resolution; two snapshots in one tick
		// (a frozen test clock) get consecutive ids.
		at := s.clock.Now()
		snap := SnapshotID(at)
		for {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM blobs WHERE container_id = ? AND name = ? AND snapshot = ?`, c.id, name, snap).Scan(&n); err != nil {
				return fmt.Errorf("snapshot blob %s: %w", name, err)
			}
			if n == 0 {
				break
			}
			at = at.Add(100 * time.Nanosecond)
			snap = SnapshotID(at)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO blobs (container_id, name, snapshot, blob_type, size, etag, created, last_modified,
			content_type, content_encoding, content_language, content_disposition, cache_control, content_md5, metadata,
			committed_blocks, copy_id, copy_source, copy_completed, parent_invocation,
			access_tier, tier_changed, sealed, sequence_number)
			SELECT container_id, name, ?, blob_type, size, etag, created, last_modified,
			content_type, content_encoding, content_language, content_disposition, cache_control, content_md5,
			CASE WHEN ? = '' THEN metadata ELSE ? END,
			committed_blocks, copy_id, copy_source, copy_completed, parent_invocation,
			access_tier, tier_changed, sealed, sequence_number FROM blobs WHERE id = ?`,
			snap, enc, enc, b.id)
		if err != nil {
			return fmt.Errorf("snapshot blob %s: %w", name, err)
		}
		id, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("snapshot blob %s: %w", name, err)
		}
		if err := shareContent(ctx, tx, b.id, id); err != nil {
			return err
		}
		if err := keepSnapshotBlocks(ctx, tx, c.id, name, id); err != nil {
			return err
		}
		if err := copyTags(ctx, tx, b.id, id); err != nil {
			return err
		}
		r, err := s.loadBlob(ctx, tx, c.id, name, snap)
		out = r.b
		return err
	})
	return out, err
}

// shareContent makes blob dst consist of the same chunks as src.
func shareContent(ctx context.Context, tx *sql.Tx, src, dst int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM blob_content WHERE blob_id = ?`, dst); err != nil {
		return fmt.Errorf("share content: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO blob_content (blob_id, seq, chunk_id, offset, length, chunk_from)
		SELECT ?, seq, chunk_id, offset, length, chunk_from FROM blob_content WHERE blob_id = ?`, dst, src); err != nil {
		return fmt.Errorf("share content: %w", err)
	}
	return nil
}
