package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// check validates the options that do not depend on the stored blob.
func (o PutBlobOptions) check(typ string) error {
	if err := ValidateTags(o.Tags); err != nil {
		return err
	}
	if o.AccessTier != "" {
		if typ != BlockBlob {
			return ErrInvalidHeader.with("x-ms-access-tier is only for block blobs")
		}
		if _, err := ParseAccessTier(o.AccessTier); err != nil {
			return err
		}
	}
	if typ == PageBlob {
		return validPageBlobSize(o.PageBlobSize, o.SequenceNumber)
	}
	return nil
}

// setCreated records what a creating write sets beside content and
// properties: tags, tier, sequence number; seal cleared.
func setCreated(ctx context.Context, tx *sql.Tx, id int64, o PutBlobOptions, typ string, now time.Time) error {
	tier, changed := "", int64(0)
	if o.AccessTier != "" {
		t, _ := ParseAccessTier(o.AccessTier)
		tier, changed = t, now.UnixNano()
	}
	size := int64(-1)
	if typ == PageBlob {
		size = o.PageBlobSize
	}
	if _, err := tx.ExecContext(ctx, `UPDATE blobs SET access_tier = ?, tier_changed = ?, sealed = 0, sequence_number = ?,
		size = CASE WHEN ? >= 0 THEN ? ELSE size END WHERE id = ?`,
		tier, changed, o.SequenceNumber, size, size, id); err != nil {
		return fmt.Errorf("write blob row: %w", err)
	}
	return replaceTags(ctx, tx, id, o.Tags)
}
