package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
)

// Chunk files: a body larger than one chunk is streamed into one immutable
// file beside the database instead of into SQLite's 4 KiB pages, where
// every byte was written twice (log and checkpoint) through page copies.
// The file is complete (and fsync'd with DurabilityFull) before the row
// naming it commits, so an acknowledged write never names a missing file;
// a crash in between leaves a file no row names, removed by the orphan
// sweep. A file is removed after the commit that deletes its chunk row.
// Reads use plain file reads, and a GET hands the file to the connection
// (sendfile) instead of copying it through the process.
type chunkFiles struct {
	dir  string // "" for a store in memory: everything stays inline
	sync bool   // fsync files and the folder before their rows commit
	made sync.Once
	err  error
}

// chunkFileNameLen is the length of a chunk file's name: 16 hex digits.
const chunkFileNameLen = 16

// chunkDir is the folder of a store file's chunk files, named like
// SQLite's own companions of the file (storage.db-wal).
func chunkDir(dbPath string) string {
	if dbPath == "" {
		return ""
	}
	return dbPath + "-chunks"
}

func (c *chunkFiles) enabled() bool { return c.dir != "" }

func (c *chunkFiles) path(id int64) string {
	return filepath.Join(c.dir, fmt.Sprintf("%016x", uint64(id)))
}

// create makes a new, empty chunk file with a random id.
func (c *chunkFiles) create() (*os.File, int64, error) {
	c.made.Do(func() { c.err = os.MkdirAll(c.dir, 0o700) })
	if c.err != nil {
		return nil, 0, fmt.Errorf("create chunk folder: %w", c.err)
	}
	for {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, 0, fmt.Errorf("create chunk file: %w", err)
		}
		id := int64(binary.LittleEndian.Uint64(b[:]) >> 1) // positive: SQLite integers are signed
		if id == 0 {
			continue
		}
		f, err := os.OpenFile(c.path(id), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, 0, fmt.Errorf("create chunk file: %w", err)
		}
		return f, id, nil
	}
}

// finish closes a written chunk file, first making it durable when the
// store promises to survive a machine crash.
func (c *chunkFiles) finish(f *os.File) error {
	if c.sync {
		if err := f.Sync(); err != nil {
			f.Close()
			return fmt.Errorf("sync chunk file: %w", err)
		}
		if err := syncDir(c.dir); err != nil {
			f.Close()
			return err
		}
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write chunk file: %w", err)
	}
	return nil
}

// syncDir makes the folder's new entries durable. Windows cannot sync a
// folder (NTFS journals its entries itself), so there it does nothing.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync chunk folder: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync chunk folder: %w", err)
	}
	return nil
}

// remove deletes chunk files whose rows are gone; one that cannot be
// removed now is left for the orphan sweep.
func (c *chunkFiles) remove(ids ...int64) {
	for _, id := range ids {
		if id != 0 {
			_ = os.Remove(c.path(id))
		}
	}
}

// sweep removes the chunk files no row names: written by an upload that
// never committed (a crash, or kill -9, between the file and its row), or
// left by a crash between a chunk's deletion and its file's. It runs when
// no upload can be writing a file (see sweepOrphanChunksOnce). Only names
// of the store's own form are touched.
func (c *chunkFiles) sweep(ctx context.Context, db *sql.DB) error {
	if !c.enabled() {
		return nil
	}
	entries, err := os.ReadDir(c.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sweep chunk files: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT file FROM blob_chunk_files`)
	if err != nil {
		return fmt.Errorf("sweep chunk files: %w", err)
	}
	named := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("sweep chunk files: %w", err)
		}
		named[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sweep chunk files: %w", err)
	}
	for _, e := range entries {
		id, ok := chunkFileID(e.Name())
		if ok && !named[id] {
			c.remove(id)
		}
	}
	return nil
}

// chunkFileID parses a chunk file's name.
func chunkFileID(name string) (int64, bool) {
	if len(name) != chunkFileNameLen {
		return 0, false
	}
	u, err := strconv.ParseUint(name, 16, 64)
	if err != nil || u == 0 || u > 1<<63-1 {
		return 0, false
	}
	return int64(u), true
}

// stageFile streams the rest of a body into a chunk file. first holds the
// body's first bytes (a full chunk buffer, taken from the pool); the body
// is read into a second buffer while the previous one is hashed and
// written, so the connection, the hash and the disk work at once.
func (s *Store) stageFile(ctx context.Context, st *staged, body io.Reader, max int64, first []byte, hashes io.Writer) error {
	f, fileID, err := s.files.create()
	if err != nil {
		return err
	}
	keep := false
	defer func() {
		if !keep {
			f.Close()
			s.files.remove(fileID)
		}
	}()
	next := s.getChunkBuffer()
	defer s.putChunkBuffer(next)
	data := first
	for len(data) > 0 {
		hashed := hashBeside(hashes, data)
		_, werr := f.Write(data)
		var n int
		var rerr error
		if werr == nil {
			n, rerr = readChunk(body, next)
		}
		hashed() // data's buffer is free again
		if werr != nil {
			return fmt.Errorf("write chunk file: %w", werr)
		}
		if rerr != nil && rerr != io.EOF {
			return fmt.Errorf("read request body: %w", rerr)
		}
		if st.size += int64(n); st.size > max {
			return ErrBodyTooLarge
		}
		data, next = next[:n], data[:cap(data)]
	}
	if err := s.files.finish(f); err != nil {
		return err
	}
	var id int64
	err = s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO blob_chunks (data) VALUES (x'')`)
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO blob_chunk_files (chunk_id, file) VALUES (?, ?)`, id, fileID)
		return err
	})
	if err != nil {
		return fmt.Errorf("write chunk: %w", err)
	}
	keep = true
	st.chunks = append(st.chunks, chunkRef{id: id, length: st.size, file: fileID})
	return nil
}

// openChunkFile opens a chunk's file for reading.
func (s *Store) openChunkFile(blob string, file int64) (*os.File, error) {
	f, err := os.Open(s.files.path(file))
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", blob, err)
	}
	return f, nil
}

// readFilePart reads the next bytes of a file-backed part into buf (a
// chunk buffer, or one of the part's size when nil) and advances from.
func (r *BlobReader) readFilePart(part *chunkPart, buf []byte) ([]byte, error) {
	n := part.to - part.from
	if buf == nil {
		buf = make([]byte, min(n, int64(r.store.chunkSize)))
	}
	n = min(n, int64(len(buf)))
	if r.file == nil || r.fileID != part.file {
		r.closeFile()
		f, err := r.store.openChunkFile(r.Blob.Name, part.file)
		if err != nil {
			return nil, err
		}
		r.file, r.fileID = f, part.file
	}
	m, err := r.file.ReadAt(buf[:n], part.from)
	if int64(m) < n {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("read blob %s: chunk file %016x: %w", r.Blob.Name, part.file, err)
	}
	part.from += n
	return buf[:n], nil
}

func (r *BlobReader) closeFile() {
	if r.file != nil {
		r.file.Close()
		r.file, r.fileID = nil, 0
	}
}

// sendFilePart hands a file-backed part to w.ReadFrom as a limited
// *os.File, which a plain TCP connection turns into sendfile.
func (r *BlobReader) sendFilePart(w io.ReaderFrom, part *chunkPart) (int64, error) {
	f, err := r.store.openChunkFile(r.Blob.Name, part.file)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if _, err := f.Seek(part.from, io.SeekStart); err != nil {
		return 0, fmt.Errorf("read blob %s: %w", r.Blob.Name, err)
	}
	want := part.to - part.from
	part.from = part.to
	n, err := w.ReadFrom(&io.LimitedReader{R: f, N: want})
	if err == nil && n < want {
		err = fmt.Errorf("read blob %s: chunk file %016x: %w", r.Blob.Name, part.file, io.ErrUnexpectedEOF)
	}
	return n, err
}
