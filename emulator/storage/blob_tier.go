package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Access tiers of block blobs.
const (
	TierHot     = "Hot"
	TierCool    = "Cool"
	TierCold    = "Cold"
	TierArchive = "Archive"
)

// ParseAccessTier reads a tier name case-insensitively and answers its
// canonical spelling.
func ParseAccessTier(v string) (string, error) {
	for _, t := range []string{TierHot, TierCool, TierCold, TierArchive} {
		if strings.EqualFold(v, t) {
			return t, nil
		}
	}
	return "", ErrInvalidHeader.with("x-ms-access-tier %q (Hot, Cool, Cold or Archive)", v)
}

// SetBlobTier sets a block blob's (or a snapshot's) access tier.
// Rehydration from Archive is immediate: the emulator has no hours-long
// background copy, and waiting would only slow tests. rehydrating reports
// a move out of Archive, which Azure answers with 202 instead of 200.
// The tier changes neither the ETag nor Last-Modified.
func (s *Store) SetBlobTier(ctx context.Context, account, container, name, snapshot, tier string, cond Conditions) (rehydrating bool, err error) {
	t, err := ParseAccessTier(tier)
	if err != nil {
		return false, err
	}
	err = s.blobTxOnly(ctx, func(tx *sql.Tx) error {
		_, b, err := s.loadIn(ctx, tx, account, container, name, snapshot)
		if err != nil {
			return err
		}
		if b.b.Type != BlockBlob {
			return ErrTierNeedsBlockBlob
		}
		if snapshot == "" {
			if err := b.lease.checkRead(cond.LeaseID); err != nil {
				return err
			}
		}
		if err := checkIfTags(ctx, tx, b, cond.IfTags); err != nil {
			return err
		}
		rehydrating = b.b.AccessTier == TierArchive && t != TierArchive
		if _, err := tx.ExecContext(ctx, `UPDATE blobs SET access_tier = ?, tier_changed = ? WHERE id = ?`,
			t, s.clock.Now().UnixNano(), b.id); err != nil {
			return fmt.Errorf("set blob tier %s: %w", name, err)
		}
		return nil
	})
	return rehydrating, err
}

// SealAppendBlob seals an append blob: later appends get ErrBlobSealed.
// Sealing a sealed blob succeeds again, as in Azure.
func (s *Store) SealAppendBlob(ctx context.Context, account, container, name string, cond Conditions, appendPosition *int64) (Blob, error) {
	return s.updateBlobChecked(ctx, account, container, name, cond, func(b blobRow) error {
		if b.b.Type != AppendBlob {
			return ErrWrongBlobType
		}
		if appendPosition != nil && *appendPosition != b.b.Size {
			return ErrAppendPositionNotMet
		}
		return nil
	}, `sealed = 1`)
}
