package storage

import (
	"context"
	"fmt"
	"strings"
)

// broadMatch is how many tag rows make a comparison "broad": past it,
// walking blobs in answer order beats sorting every match. Counting up to
// it costs well under a millisecond.
const broadMatch = 2000

// foundBlob is a match of Find Blobs by Tags with its row id.
type foundBlob struct {
	TaggedBlob
	id int64
}

// findHits returns up to limit base blobs matching every term, in
// container then name order, after marker. Two plans: the comparison
// matching the fewest tags drives the query through the (key, value)
// index and the others are probed per match (selective queries answer in
// well under a millisecond over 100,000 blobs); when even that one is
// broad, blobs are walked in answer order and each is probed, so the
// query stops after one page instead of sorting every match.
func (s *Store) findHits(ctx context.Context, account, container string, terms []tagNode, marker string, limit int) ([]foundBlob, error) {
	driver, broad := 0, true
	best := broadMatch
	for i, t := range terms {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM blob_tags WHERE key = ? AND value `+t.op+` ? LIMIT ?)`,
			t.key, t.value, broadMatch).Scan(&n); err != nil {
			return nil, fmt.Errorf("find blobs by tags: %w", err)
		}
		if n < best {
			driver, best, broad = i, n, false
		}
		if n < 100 {
			break // selective enough to drive
		}
	}
	var q strings.Builder
	var args []any
	if broad {
		q.WriteString(`SELECT c.name, b.name, b.id FROM blob_containers c CROSS JOIN blobs b
			WHERE c.account = ? AND b.container_id = c.id AND b.snapshot = ''`)
		args = append(args, account)
	} else {
		t := terms[driver]
		q.WriteString(`SELECT c.name, b.name, b.id FROM blob_tags t0
			JOIN blobs b ON b.id = t0.blob_id AND b.snapshot = ''
			JOIN blob_containers c ON c.id = b.container_id AND c.account = ?
			WHERE t0.key = ? AND t0.value ` + t.op + ` ?`)
		args = append(args, account, t.key, t.value)
	}
	for i, t := range terms {
		if i == driver && !broad {
			continue
		}
		// A lookup on the primary key (blob_id, key), whatever the
		// operator: an EXISTS over the (key, value) index would scan a
		// whole value range per blob for < and >.
		q.WriteString(` AND (SELECT t.value FROM blob_tags t WHERE t.blob_id = b.id AND t.key = ?) ` + t.op + ` ?`)
		args = append(args, t.key, t.value)
	}
	if container != "" {
		q.WriteString(` AND c.name = ?`)
		args = append(args, container)
	}
	if marker != "" {
		afterContainer, afterName, _ := strings.Cut(marker, markerSep)
		q.WriteString(` AND c.name >= ? AND (c.name > ? OR b.name > ?)`)
		args = append(args, afterContainer, afterContainer, afterName)
	}
	q.WriteString(` ORDER BY c.name, b.name LIMIT ?`)
	args = append(args, limit)
	rows, err := s.db.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("find blobs by tags: %w", err)
	}
	defer rows.Close()
	var hits []foundBlob
	for rows.Next() {
		var h foundBlob
		if err := rows.Scan(&h.Container, &h.Name, &h.id); err != nil {
			return nil, fmt.Errorf("find blobs by tags: %w", err)
		}
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find blobs by tags: %w", err)
	}
	return hits, nil
}

// loadFoundTags fills in, for each match, the tags the expression names:
// one query per few hundred matches, not one per match.
func (s *Store) loadFoundTags(ctx context.Context, hits []foundBlob, keys map[string]bool) error {
	byID := make(map[int64]*foundBlob, len(hits))
	for i := range hits {
		hits[i].Tags = Tags{}
		byID[hits[i].id] = &hits[i]
	}
	var keyArgs []any
	for k := range keys {
		keyArgs = append(keyArgs, k)
	}
	const batch = 400
	for from := 0; from < len(hits); from += batch {
		part := hits[from:min(from+batch, len(hits))]
		args := make([]any, 0, len(part)+len(keyArgs))
		for _, h := range part {
			args = append(args, h.id)
		}
		args = append(args, keyArgs...)
		// +key keeps SQLite on the primary key (blob_id first): through
		// the (key, value) index it would read every blob's tag.
		rows, err := s.db.QueryContext(ctx, `SELECT blob_id, key, value FROM blob_tags WHERE blob_id IN (`+
			placeholders(len(part))+`) AND +key IN (`+placeholders(len(keyArgs))+`)`, args...)
		if err != nil {
			return fmt.Errorf("find blobs by tags: %w", err)
		}
		for rows.Next() {
			var id int64
			var k, v string
			if err := rows.Scan(&id, &k, &v); err != nil {
				rows.Close()
				return fmt.Errorf("find blobs by tags: %w", err)
			}
			byID[id].Tags[k] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("find blobs by tags: %w", err)
		}
	}
	return nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}
