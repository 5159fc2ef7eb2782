package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/funcemu/funcemu/emulator"
)

// CopySource names the blob a copy reads.
type CopySource struct {
	Account, Container, Name, Snapshot string
	// URL is x-ms-copy-source as sent, reported back as x-ms-copy-source.
	URL string
	// Conditions apply to the source (x-ms-source-if-*).
	Conditions Conditions
}

// CopyOptions are the settings of Copy Blob.
type CopyOptions struct {
	// Metadata replaces the source's metadata when non-nil.
	Metadata   map[string]string
	Conditions Conditions // on the destination
	// Tags (x-ms-tags) and AccessTier (x-ms-access-tier) are set on the
	// destination; the source's tags are not copied, as in Azure.
	Tags       Tags
	AccessTier string
	// CopyTags (x-ms-copy-source-tag-option: COPY) gives the destination
	// the source's tags instead.
	CopyTags bool
}

// CopyBlob copies a blob within the emulator, synchronously: the
// destination shares the source's chunks, so no bytes move.
func (s *Store) CopyBlob(ctx context.Context, src CopySource, account, container, name string, opts CopyOptions) (Blob, error) {
	if err := ValidBlobName(name); err != nil {
		return Blob{}, err
	}
	if err := ValidateTags(opts.Tags); err != nil {
		return Blob{}, err
	}
	if opts.AccessTier != "" {
		if _, err := ParseAccessTier(opts.AccessTier); err != nil {
			return Blob{}, err
		}
	}
	var md string
	if opts.Metadata != nil {
		var err error
		if md, err = encodeBlobMetadata(opts.Metadata); err != nil {
			return Blob{}, err
		}
	}
	var out Blob
	kind := BlobChangeChanged
	err := s.blobTx(ctx, func(tx *sql.Tx) error {
		_, sb, srcMissing, err := s.locate(ctx, tx, src.Account, src.Container, src.Name, src.Snapshot)
		if errors.Is(err, ErrContainerNotFound) {
			return ErrCopySourceContainerNotFound
		}
		if err != nil {
			return err
		}
		if srcMissing {
			return ErrCopySourceBlobNotFound
		}
		if err := src.Conditions.checkWrite(sb.b.ETag, sb.b.LastModified, false); err != nil {
			return ErrSourceConditionNotMet
		}
		if sb.b.AccessTier == TierArchive {
			return ErrBlobArchived
		}
		if opts.AccessTier != "" && sb.b.Type != BlockBlob {
			return ErrInvalidHeader.with("x-ms-access-tier is only for block blobs")
		}
		dc, db, missing, err := s.locate(ctx, tx, account, container, name, "")
		if err != nil {
			return err
		}
		if err := checkCreate(ctx, tx, opts.Conditions, db, missing); err != nil {
			return err
		}
		if missing {
			kind = BlobChangeCreated
		}
		if !missing && db.id == sb.id {
			return ErrCopyOntoItself
		}
		if md == "" {
			md, _ = encodeBlobMetadata(sb.b.Metadata)
		}
		id, err := s.writeBlobRow(ctx, tx, dc.id, db, missing, sb.b.Type, sb.b.Headers, md, "")
		if err != nil {
			return err
		}
		now := s.clock.Now()
		if err := setCreated(ctx, tx, id, PutBlobOptions{Tags: opts.Tags, AccessTier: opts.AccessTier, SequenceNumber: sb.b.SequenceNumber}, BlockBlob, now); err != nil {
			return err
		}
		if opts.CopyTags {
			if err := copyTags(ctx, tx, sb.id, id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE blobs SET size = ?, committed_blocks = ?, copy_id = ?, copy_source = ?, copy_completed = ?, sealed = ? WHERE id = ?`,
			sb.b.Size, sb.b.CommittedBlocks, emulator.NewGUID(), src.URL, now.UnixNano(), sb.b.Sealed, id); err != nil {
			return fmt.Errorf("copy blob %s: %w", name, err)
		}
		if err := dropBlocks(ctx, tx, dc.id, name); err != nil {
			return err
		}
		if err := shareContent(ctx, tx, sb.id, id); err != nil {
			return err
		}
		r, err := s.loadBlob(ctx, tx, dc.id, name, "")
		out = r.b
		return err
	})
	if err != nil {
		return Blob{}, err
	}
	s.publishBlob(ctx, out, kind, APICopyBlob)
	return out, nil
}
