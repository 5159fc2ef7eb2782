package storage

import (
	"context"
	"database/sql"
	"fmt"
)

// keepSnapshotBlocks records the committed block list of blob name as the
// block list of snapshot row snapID, inside the snapshot's transaction.
func keepSnapshotBlocks(ctx context.Context, tx *sql.Tx, containerID int64, name string, snapID int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO blob_snapshot_blocks (blob_id, position, block_id, size)
		SELECT ?, ROW_NUMBER() OVER (ORDER BY position, id), block_id, size FROM blob_blocks
		WHERE container_id = ? AND blob_name = ? AND state = 'C'`, snapID, containerID, name); err != nil {
		return fmt.Errorf("snapshot block list of %s: %w", name, err)
	}
	return nil
}

// snapshotBlocks is the committed block list kept for snapshot row snapID.
func (s *Store) snapshotBlocks(ctx context.Context, snapID int64) ([]BlockInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT block_id, size FROM blob_snapshot_blocks WHERE blob_id = ? ORDER BY position`, snapID)
	if err != nil {
		return nil, fmt.Errorf("snapshot block list: %w", err)
	}
	defer rows.Close()
	var out []BlockInfo
	for rows.Next() {
		var bi BlockInfo
		if err := rows.Scan(&bi.ID, &bi.Size); err != nil {
			return nil, fmt.Errorf("snapshot block list: %w", err)
		}
		out = append(out, bi)
	}
	return out, rows.Err()
}
