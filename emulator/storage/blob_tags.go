package storage

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
)

// Blob index tag limits.
const (
	MaxTags        = 10
	MaxTagKeyLen   = 128
	MaxTagValueLen = 256
)

// Tags are a blob's index tags.
type Tags map[string]string

// isTagChar is Azure's set for keys and values: letters, digits, space
// and + - . / : = _.
func isTagChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(" +-./:=_", r)
}

func validTagKey(k string) error {
	if k == "" || len(k) > MaxTagKeyLen {
		return ErrInvalidTag.with("tag key %q must be 1 to %d characters", k, MaxTagKeyLen)
	}
	for _, r := range k {
		if !isTagChar(r) {
			return ErrInvalidTag.with("tag key %q has %q", k, r)
		}
	}
	return nil
}

func validTagValue(k, v string) error {
	if len(v) > MaxTagValueLen {
		return ErrInvalidTag.with("tag %q value must be at most %d characters", k, MaxTagValueLen)
	}
	for _, r := range v {
		if !isTagChar(r) {
			return ErrInvalidTag.with("tag %q value has %q", k, r)
		}
	}
	return nil
}

// ValidateTags checks Azure's rules: at most 10 tags, keys 1-128 and values
// 0-256 characters from the allowed set.
func ValidateTags(t Tags) error {
	if len(t) > MaxTags {
		return ErrInvalidTag.with("%d tags, at most %d", len(t), MaxTags)
	}
	for _, k := range t.Keys() {
		if err := validTagKey(k); err != nil {
			return err
		}
		if err := validTagValue(k, t[k]); err != nil {
			return err
		}
	}
	return nil
}

// Keys lists the tag keys in order.
func (t Tags) Keys() []string {
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// replaceTags makes tags the tags of blob row id.
func replaceTags(ctx context.Context, tx *sql.Tx, id int64, tags Tags) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM blob_tags WHERE blob_id = ?`, id); err != nil {
		return fmt.Errorf("replace tags: %w", err)
	}
	for k, v := range tags {
		if _, err := tx.ExecContext(ctx, `INSERT INTO blob_tags (blob_id, key, value) VALUES (?, ?, ?)`, id, k, v); err != nil {
			return fmt.Errorf("replace tags: %w", err)
		}
	}
	return nil
}

// copyTags gives blob row dst the tags of src.
func copyTags(ctx context.Context, tx *sql.Tx, src, dst int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO blob_tags (blob_id, key, value)
		SELECT ?, key, value FROM blob_tags WHERE blob_id = ?`, dst, src); err != nil {
		return fmt.Errorf("copy tags: %w", err)
	}
	return nil
}

func loadTags(ctx context.Context, q blobQueryer, id int64) (Tags, error) {
	rows, err := q.QueryContext(ctx, `SELECT key, value FROM blob_tags WHERE blob_id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("load tags: %w", err)
	}
	defer rows.Close()
	t := Tags{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("load tags: %w", err)
		}
		t[k] = v
	}
	return t, rows.Err()
}

// checkIfTags evaluates an x-ms-if-tags condition against a blob's tags:
// ErrConditionNotMet when it does not hold.
func checkIfTags(ctx context.Context, q blobQueryer, b blobRow, expr *TagExpr) error {
	if expr == nil {
		return nil
	}
	tags, err := loadTags(ctx, q, b.id)
	if err != nil {
		return err
	}
	if !expr.Matches(tags) {
		return ErrConditionNotMet
	}
	return nil
}

// SetBlobTags replaces the tags of a blob (or, with snapshot, is refused:
// snapshots are read-only). Tags do not change the ETag or Last-Modified.
func (s *Store) SetBlobTags(ctx context.Context, account, container, name string, tags Tags, cond Conditions) error {
	if err := ValidateTags(tags); err != nil {
		return err
	}
	return s.blobTx(ctx, func(tx *sql.Tx) error {
		_, b, err := s.loadIn(ctx, tx, account, container, name, "")
		if err != nil {
			return err
		}
		if err := b.lease.checkRead(cond.LeaseID); err != nil {
			return err
		}
		if err := checkIfTags(ctx, tx, b, cond.IfTags); err != nil {
			return err
		}
		return replaceTags(ctx, tx, b.id, tags)
	})
}

// GetBlobTags returns the tags of a blob or snapshot.
func (s *Store) GetBlobTags(ctx context.Context, account, container, name, snapshot string, cond Conditions) (Tags, error) {
	_, b, err := s.loadIn(ctx, s.db, account, container, name, snapshot)
	if err != nil {
		return nil, err
	}
	if err := b.lease.checkRead(cond.LeaseID); err != nil {
		return nil, err
	}
	tags, err := loadTags(ctx, s.db, b.id)
	if err != nil {
		return nil, err
	}
	if cond.IfTags != nil && !cond.IfTags.Matches(tags) {
		return nil, ErrConditionNotMet
	}
	return tags, nil
}

// TaggedBlob is one result of Find Blobs by Tags: the blob and those of
// its tags the expression names.
type TaggedBlob struct {
	Container string
	Name      string
	Tags      Tags
}

// TaggedPage is one page of Find Blobs by Tags.
type TaggedPage struct {
	Blobs      []TaggedBlob
	NextMarker string
}

// FindBlobsByTags finds base blobs whose tags match expr, in container
// then name order, in the whole account or (container != "") in one
// container. See findHits for how the query runs.
func (s *Store) FindBlobsByTags(ctx context.Context, account, container string, expr *TagExpr, marker string, max int) (TaggedPage, error) {
	if max <= 0 || max > 5000 {
		max = 5000
	}
	exprContainer, terms := expr.findTerms()
	if container != "" {
		if _, err := s.loadContainer(ctx, s.db, account, container); err != nil {
			return TaggedPage{}, err
		}
		if exprContainer != "" && exprContainer != container {
			return TaggedPage{}, nil
		}
		exprContainer = container
	}
	if len(terms) == 0 {
		return TaggedPage{}, ErrInvalidQuery.with("where must compare at least one tag")
	}
	hits, err := s.findHits(ctx, account, exprContainer, terms, marker, max+1)
	if err != nil {
		return TaggedPage{}, err
	}
	var page TaggedPage
	if len(hits) > max {
		last := hits[max-1]
		page.NextMarker = last.Container + markerSep + last.Name
		hits = hits[:max]
	}
	if err := s.loadFoundTags(ctx, hits, expr.keys()); err != nil {
		return TaggedPage{}, err
	}
	for _, h := range hits {
		page.Blobs = append(page.Blobs, h.TaggedBlob)
	}
	return page, nil
}
