package storage

import (
	"context"
	"database/sql"
	"fmt"
)

// smallReadSize is the largest blob ReadSmallBlob answers: the size of
// most requests' bodies (see smallBodySize), held in memory per request.
const smallReadSize = smallBodySize

// readSmallBlobSQL reads a blob's properties, how many content rows it
// has and the first of them with, for a blob of at most smallReadSize
// bytes, its chunk's bytes. The CASE keeps a larger blob's bytes unread.
const readSmallBlobSQL = `SELECT ` + blobColumns + `,
		(SELECT COUNT(*) FROM blob_content n WHERE n.blob_id = b.id), bc.offset, bc.length, bc.chunk_from,
		CASE WHEN b.size <= ? THEN ch.data END
	FROM blobs b JOIN blob_containers c ON c.id = b.container_id
	LEFT JOIN blob_content bc ON bc.blob_id = b.id AND bc.seq = 0
	LEFT JOIN blob_chunks ch ON ch.id = bc.chunk_id
	WHERE c.account = ? AND c.name = ? AND b.name = ? AND b.snapshot = ?`

// SmallBlob is a whole small blob read at once.
type SmallBlob struct {
	Blob Blob
	// Content is all of the blob's bytes.
	Content []byte
}

// ReadSmallBlob reads a whole blob and its content in one statement, one
// consistent snapshot, when the blob has at most smallReadSize bytes held
// in one stored chunk; a whole-blob GET of a small blob then costs one
// query where OpenBlob's streaming needs three. ok is false, with nothing
// checked, for a range and for any other blob, a missing one included:
// the caller then takes OpenBlob, which answers every case. Conditions,
// leases, tags and the archive tier are checked by checkBlobRead, as for
// OpenBlob.
func (s *Store) ReadSmallBlob(ctx context.Context, account, container, name string, opts ReadOptions) (SmallBlob, bool, error) {
	if opts.Range != nil {
		return SmallBlob{}, false, nil
	}
	st, err := s.prepared(ctx, readSmallBlobSQL)
	if err != nil {
		return SmallBlob{}, false, err
	}
	rows, err := st.QueryContext(ctx, smallReadSize, account, container, name, opts.Snapshot)
	if err != nil {
		return SmallBlob{}, false, fmt.Errorf("read blob %s: %w", name, err)
	}
	defer rows.Close()
	if !rows.Next() {
		return SmallBlob{}, false, rows.Err()
	}
	var parts int64
	var off, n, from sql.NullInt64
	var data sql.RawBytes
	b, err := scanBlob(extraScanner{rows, []any{&parts, &off, &n, &from, &data}}, s.clock.Now())
	if err != nil {
		return SmallBlob{}, false, fmt.Errorf("read blob %s: %w", name, err)
	}
	size := b.b.Size
	if size > smallReadSize || (size > 0 && (parts != 1 || off.Int64 != 0 || n.Int64 != size || int64(len(data)) < from.Int64+size)) {
		// Larger, in several chunks, or its bytes are not in the row.
		return SmallBlob{}, false, nil
	}
	var content []byte
	if size > 0 {
		content = append(make([]byte, 0, size), data[from.Int64:from.Int64+size]...)
	}
	rows.Close()
	if err := s.checkBlobRead(ctx, b, opts.Conditions); err != nil {
		return SmallBlob{}, true, err
	}
	return SmallBlob{Blob: b.b, Content: content}, true, nil
}
