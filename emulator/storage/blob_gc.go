package storage

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// chunkPins counts, per chunk, the readers still streaming it. A chunk
// that lost its last reference waits in blob_chunk_garbage until no reader
// holds it.
type chunkPins struct {
	// mu orders "plan a read and pin its chunks" against "delete garbage":
	// it is always taken before a database connection, never while one
	// is held.
	mu sync.Mutex
	n  map[int64]int
}

func (s *Store) chunkPins() *chunkPins { return &s.pins }

// pin marks parts as being read; the caller holds p.mu.
func (p *chunkPins) pin(parts []chunkPart) {
	for _, part := range parts {
		if part.id != 0 {
			p.n[part.id]++
		}
	}
}

func (p *chunkPins) unpin(parts []chunkPart) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, part := range parts {
		if p.n[part.id]--; p.n[part.id] <= 0 {
			delete(p.n, part.id)
		}
	}
}

// collectChunks deletes unreferenced chunks no reader holds. It runs after
// every blob write and when a reader finishes; failures leave the garbage
// for the next run.
func (s *Store) collectChunks(ctx context.Context) {
	p := s.chunkPins()
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := s.collectChunksLocked(ctx, p); err != nil {
		_ = err // nothing is lost: the rows stay queued for the next run
	}
}

func (s *Store) collectChunksLocked(ctx context.Context, p *chunkPins) error {
	rows, err := s.db.QueryContext(ctx, `SELECT g.chunk_id, f.file FROM blob_chunk_garbage g
		LEFT JOIN blob_chunk_files f ON f.chunk_id = g.chunk_id`)
	if err != nil {
		return fmt.Errorf("collect chunks: %w", err)
	}
	var free, files []int64
	for rows.Next() {
		var id int64
		var file sql.NullInt64
		if err := rows.Scan(&id, &file); err != nil {
			rows.Close()
			return fmt.Errorf("collect chunks: %w", err)
		}
		if p.n[id] == 0 {
			free = append(free, id)
			files = append(files, file.Int64)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(free) == 0 {
		return err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		for _, id := range free {
			if _, err := tx.ExecContext(ctx, `DELETE FROM blob_chunks WHERE id = ?`, id); err != nil {
				return fmt.Errorf("collect chunks: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM blob_chunk_garbage WHERE chunk_id = ?`, id); err != nil {
				return fmt.Errorf("collect chunks: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The rows are gone for good: only now may their files go.
	s.files.remove(files...)
	return nil
}
