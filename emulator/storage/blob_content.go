package storage

import (
	"context"
	"crypto/md5"
	"database/sql"
	"fmt"
	"hash"
	"hash/crc64"
	"io"
	"os"
	"strings"
	"sync"
)

func (s *Store) getChunkBuffer() []byte {
	if p, ok := s.chunkBuffers.Get().(*[]byte); ok && len(*p) == s.chunkSize {
		return *p
	}
	return make([]byte, s.chunkSize)
}

func (s *Store) putChunkBuffer(b []byte) {
	if len(b) == s.chunkSize {
		s.chunkBuffers.Put(&b)
	}
}

// crc64Table is the polynomial of Azure's x-ms-content-crc64, made on
// first use rather than at every start of funcemu.
var crc64Table = sync.OnceValue(func() *crc64.Table { return crc64.MakeTable(0x9A6C9329AC4BC9B5) })

// staged is a request body read into chunks. A body that fits in one chunk
// stays in memory and is inserted by the transaction that links it; a
// larger one is written chunk by chunk in short transactions of its own, so
// a slow upload never holds the write lock, and linked at the end.
type staged struct {
	small  []byte
	chunks []chunkRef // written, not yet referenced
	size   int64
	md5    []byte
	crc64  uint64
}

type chunkRef struct {
	id     int64
	length int64
	file   int64 // its chunk file, 0 when stored inline
}

// sums says which checksums stage computes: each costs a pass over the
// bytes, so only those an answer or a check needs.
type sums struct{ md5, crc64 bool }

// stage reads body (at most max bytes; more is ErrBodyTooLarge) into chunks.
func (s *Store) stage(ctx context.Context, body io.Reader, max int64, want sums) (*staged, error) {
	s.sweepOrphanChunksOnce(ctx)
	st := &staged{}
	if body == nil {
		body = strings.NewReader("")
	}
	var hashers []io.Writer
	md := md5.New()
	if want.md5 {
		hashers = append(hashers, md)
	}
	crc := crc64.New(crc64Table())
	if want.crc64 {
		hashers = append(hashers, crc)
	}
	hashes := io.MultiWriter(hashers...)
	// A body that ends within a small buffer never takes a chunk's.
	var head []byte
	if s.chunkSize > smallBodySize {
		h, ended, release, err := readHead(body)
		if err != nil {
			release()
			return nil, fmt.Errorf("read request body: %w", err)
		}
		if ended {
			defer release()
			if st.size = int64(len(h)); st.size > max {
				return nil, ErrBodyTooLarge
			}
			hashes.Write(h)
			if len(h) > 0 {
				st.small = append([]byte(nil), h...)
			}
			return st.finish(md, crc, want), nil
		}
		defer release()
		head = h
	}
	// Each chunk is hashed beside its write. One buffer per upload: a
	// second one, to read the next chunk meanwhile, costs a chunk of
	// memory per concurrent upload for little on a small machine.
	buf := s.getChunkBuffer()
	defer s.putChunkBuffer(buf)
	var flight chan chunkWrite // the chunk being hashed and written
	land := func() error {
		if flight == nil {
			return nil
		}
		w := <-flight
		flight = nil
		if w.err != nil {
			return w.err
		}
		st.chunks = append(st.chunks, w.ref)
		return nil
	}
	fail := func(err error) (*staged, error) {
		_ = land() // its chunk, if written, is discarded with the rest
		s.discard(st)
		return nil, err
	}
	for {
		if err := land(); err != nil { // buf is free again
			return fail(err)
		}
		pre := copy(buf, head) // the first chunk starts with the head
		head = nil
		n, err := readChunk(body, buf[pre:])
		n += pre
		if n > 0 {
			st.size += int64(n)
			if st.size > max {
				return fail(ErrBodyTooLarge)
			}
			if len(st.chunks) == 0 && err == io.EOF {
				hashes.Write(buf[:n])
				st.small = append([]byte(nil), buf[:n]...) // buf goes back to the pool
				break
			}
			if len(st.chunks) == 0 && err == nil && s.files.enabled() {
				// More than a chunk: the whole body goes to a file.
				if err := s.stageFile(ctx, st, body, max, buf[:n], hashes); err != nil {
					return fail(err)
				}
				return st.finish(md, crc, want), nil
			}
			flight = make(chan chunkWrite, 1)
			go s.hashAndWrite(ctx, buf[:n], hashes, flight)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(fmt.Errorf("read request body: %w", err))
		}
	}
	if err := land(); err != nil {
		return fail(err)
	}
	return st.finish(md, crc, want), nil
}

// finish records the checksums of the whole body.
func (st *staged) finish(md hash.Hash, crc hash.Hash64, want sums) *staged {
	if want.md5 {
		st.md5 = sum(md)
	}
	st.crc64 = crc.Sum64()
	return st
}

// chunkWrite is the outcome of writing one chunk of a staged body.
type chunkWrite struct {
	ref chunkRef
	err error
}

// hashAndWrite writes data as a chunk while hashes reads it, and reports
// on done once both finished with data.
func (s *Store) hashAndWrite(ctx context.Context, data []byte, hashes io.Writer, done chan<- chunkWrite) {
	hashed := hashBeside(hashes, data)
	id, err := s.writeChunk(ctx, data)
	hashed()
	done <- chunkWrite{ref: chunkRef{id: id, length: int64(len(data))}, err: err}
}

// hashBeside hands data to hashes on a goroutine of its own, so the bytes
// are hashed while they are written; the returned func waits until
// hashes is done with data, whose buffer is then free again.
func hashBeside(hashes io.Writer, data []byte) (wait func()) {
	hashed := make(chan struct{})
	go func() {
		hashes.Write(data)
		close(hashed)
	}()
	return func() { <-hashed }
}

// readChunk fills buf from body. It answers io.EOF only when the body
// ended cleanly; any other failure, io.ErrUnexpectedEOF included (a client
// that hung up before sending its Content-Length), is an error, so a short
// body is never committed whether or not the request's context was
// canceled.
func readChunk(body io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := body.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func sum(h hash.Hash) []byte { return h.Sum(nil) }

// checkTransactional compares the checksums a client sent for the body
// (Content-MD5, x-ms-content-crc64) with what arrived.
func (st *staged) checkTransactional(md5 []byte, crc *uint64) error {
	if md5 != nil && string(md5) != string(st.md5) {
		return ErrMD5Mismatch
	}
	if crc != nil && *crc != st.crc64 {
		return ErrCRC64Mismatch
	}
	return nil
}

func (s *Store) writeChunk(ctx context.Context, data []byte) (int64, error) {
	s.chunkGate.RLock()
	var res sql.Result
	err := s.writeSized(ctx, len(data), func(tx *sql.Tx) error {
		// Prepared for this write only: a statement kept in the
		// connection's cache would keep its copy of the chunk too.
		st, err := tx.PrepareContext(ctx, `INSERT INTO blob_chunks (data) VALUES (?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		res, err = st.ExecContext(ctx, data)
		return err
	})
	s.chunkGate.RUnlock()
	if err != nil {
		return 0, fmt.Errorf("write chunk: %w", err)
	}
	s.wrote(int64(len(data)))
	return res.LastInsertId()
}

// link inserts the in-memory part (if any) inside tx and returns the chunks
// making up the content, in order.
func (st *staged) link(ctx context.Context, tx *sql.Tx) ([]chunkRef, error) {
	if st.small == nil || len(st.small) == 0 {
		return st.chunks, nil
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO blob_chunks (data) VALUES (?)`, st.small)
	if err != nil {
		return nil, fmt.Errorf("write chunk: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, fmt.Errorf("write chunk: %w", err)
	}
	return []chunkRef{{id: id, length: int64(len(st.small))}}, nil
}

// discard removes chunks of a staged body that was never linked.
func (s *Store) discard(st *staged) {
	if st == nil {
		return
	}
	for _, c := range st.chunks {
		// Background context: cleanup must run even when the request's
		// context is what failed.
		res, err := s.exec(context.Background(), `DELETE FROM blob_chunks WHERE id = ?
			AND NOT EXISTS (SELECT 1 FROM blob_content WHERE chunk_id = ?)
			AND NOT EXISTS (SELECT 1 FROM blob_block_content WHERE chunk_id = ?)`, c.id, c.id, c.id)
		if err == nil && c.file != 0 {
			if n, err := res.RowsAffected(); err == nil && n == 1 {
				s.files.remove(c.file)
			}
		}
	}
	st.chunks = nil
}

// sweepOrphanChunksOnce drops, on the store's first content write or
// compaction, the chunks a crash left behind: bodies staged but never
// linked, and queued garbage.
func (s *Store) sweepOrphanChunksOnce(ctx context.Context) {
	s.orphanSweep.Do(func() {
		p := s.chunkPins()
		p.mu.Lock()
		defer p.mu.Unlock()
		// Orphans were never referenced, so no reader can hold them.
		_, _ = s.exec(ctx, `DELETE FROM blob_chunks
			WHERE NOT EXISTS (SELECT 1 FROM blob_content WHERE chunk_id = blob_chunks.id)
			AND NOT EXISTS (SELECT 1 FROM blob_block_content WHERE chunk_id = blob_chunks.id)
			AND NOT EXISTS (SELECT 1 FROM blob_chunk_garbage WHERE chunk_id = blob_chunks.id)`)
		_ = s.collectChunksLocked(ctx, p)
		_ = s.files.sweep(ctx, s.db) // what fails now waits for the next open
	})
}

// setContent makes chunks the content of blob row blobID, replacing what
// it had, and returns the size.
func setContent(ctx context.Context, tx *sql.Tx, blobID int64, chunks []chunkRef) (int64, error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM blob_content WHERE blob_id = ?`, blobID); err != nil {
		return 0, fmt.Errorf("replace content: %w", err)
	}
	return appendContent(ctx, tx, blobID, 0, 0, chunks)
}

// appendContent adds chunks after seq/offset and returns the new size.
func appendContent(ctx context.Context, tx *sql.Tx, blobID int64, seq int, offset int64, chunks []chunkRef) (int64, error) {
	for _, c := range chunks {
		if _, err := tx.ExecContext(ctx, `INSERT INTO blob_content (blob_id, seq, chunk_id, offset, length) VALUES (?, ?, ?, ?, ?)`,
			blobID, seq, c.id, offset, c.length); err != nil {
			return 0, fmt.Errorf("write content: %w", err)
		}
		seq++
		offset += c.length
	}
	return offset, nil
}

// BlobReader streams a blob's content (or a range of it) chunk by chunk.
type BlobReader struct {
	// Blob is the blob as it was when the read started.
	Blob Blob
	// Offset and Length are the byte range served.
	Offset, Length int64
	// Partial is true when a range was asked for.
	Partial bool

	ctx    context.Context
	store  *Store
	parts  []chunkPart // still to read
	pinned []chunkPart // held until Close
	buf    []byte      // what Read has left of the last part
	own    []byte      // Read's buffer, from the store's pool
	closed bool
	// file is the open chunk file being read, fileID its id.
	file   *os.File
	fileID int64
}

type chunkPart struct {
	id       int64
	from, to int64 // byte offsets within the chunk, to exclusive
	size     int64 // the row's length
	// whole marks a part that is all of its row starting at the chunk's
	// first byte: read without substr. A shortened page-blob row may still
	// have more bytes in its chunk, which are cut off after reading.
	whole bool
	// file is the chunk's file, 0 when its bytes are inline. A file part
	// is read (or sent) a buffer at a time: from advances.
	file int64
}

// zeros serves the unwritten pages of page blobs; never written to.
// Made on first use: a megabyte allocated at init would bring the
// process's first garbage collection into every funcemu start.
var zeros = sync.OnceValue(func() []byte { return make([]byte, 1<<20) })

// Read implements io.Reader.
func (r *BlobReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if len(r.parts) == 0 {
			return 0, io.EOF
		}
		if r.own == nil && r.parts[0].to-r.parts[0].from >= int64(r.store.chunkSize) {
			r.own = r.store.getChunkBuffer()
		}
		data, err := r.readPart(&r.parts[0], r.own) // a smaller part gets a slice of its size
		if err != nil {
			return 0, err
		}
		if r.parts[0].from == r.parts[0].to {
			r.parts = r.parts[1:]
		}
		r.buf = data
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// WriteTo streams the rest of the content to w. The next part is read
// from the database while the previous one is written, into two buffers
// used in turn, so the disk and the connection work at the same time.
func (r *BlobReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	if len(r.buf) > 0 {
		n, err := w.Write(r.buf)
		total += int64(n)
		r.buf = r.buf[n:]
		if err != nil {
			return total, err
		}
	}
	parts := r.parts
	r.parts = nil
	rf, ok := w.(io.ReaderFrom)
	if !ok {
		n, err := r.writeParts(w, parts)
		return total + n, err
	}
	// File parts go to w.ReadFrom (sendfile on a connection), the
	// runs of other parts between them through buffers.
	for len(parts) > 0 {
		var n int64
		var err error
		if parts[0].file != 0 {
			n, err = r.sendFilePart(rf, &parts[0])
			parts = parts[1:]
		} else {
			run := 1
			for run < len(parts) && parts[run].file == 0 {
				run++
			}
			n, err = r.writeParts(w, parts[:run])
			parts = parts[run:]
		}
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// writeParts streams parts to w. The next part is read while the
// previous one is written, into two buffers used in turn.
func (r *BlobReader) writeParts(w io.Writer, parts []chunkPart) (int64, error) {
	var total int64
	if len(parts) == 0 {
		return total, nil
	}
	if len(parts) == 1 && parts[0].id != 0 {
		// One part (every blob that fits in a chunk): nothing to read
		// ahead, and a buffer of its size, not a chunk's.
		n, err := r.writePart(w, &parts[0])
		return total + n, err
	}
	type filled struct {
		data, buf []byte
		err       error
	}
	ready := make(chan filled, 1)
	free := make(chan []byte, 2)
	free <- r.store.getChunkBuffer()
	free <- r.store.getChunkBuffer()
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(ready)
		for len(parts) > 0 {
			var buf []byte
			select {
			case buf = <-free:
			case <-stop:
				return
			}
			data, err := r.readPart(&parts[0], buf)
			if parts[0].from == parts[0].to {
				parts = parts[1:]
			}
			select {
			case ready <- filled{data, buf, err}:
			case <-stop:
				free <- buf
				return
			}
			if err != nil {
				return
			}
		}
	}()
	defer func() {
		close(stop)
		<-done
		for f := range ready {
			free <- f.buf
		}
		close(free)
		for b := range free {
			r.store.putChunkBuffer(b)
		}
	}()
	for f := range ready {
		if f.err != nil {
			free <- f.buf
			return total, f.err
		}
		n, err := w.Write(f.data)
		total += int64(n)
		free <- f.buf
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// writePart reads one stored part into a buffer of its own size (at most
// a chunk's) and writes it to w.
func (r *BlobReader) writePart(w io.Writer, part *chunkPart) (int64, error) {
	var buf []byte
	if part.to-part.from >= int64(r.store.chunkSize) {
		buf = r.store.getChunkBuffer()
		defer r.store.putChunkBuffer(buf)
	}
	var total int64
	for part.from < part.to {
		data, err := r.readPart(part, buf)
		if err != nil {
			return total, err
		}
		n, err := w.Write(data)
		total += int64(n)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// readPart reads a planned part into buf when it fits (a larger row gets
// its own slice) and marks it read (from = to). Unwritten pages are served
// from zeros, at most len(zeros) at a time: from advances by what was
// served.
func (r *BlobReader) readPart(part *chunkPart, buf []byte) ([]byte, error) {
	if part.id == 0 {
		z := zeros()
		n := min(part.to-part.from, int64(len(z)))
		part.from += n
		return z[:n], nil
	}
	if part.file != 0 {
		return r.readFilePart(part, buf)
	}
	from := part.from
	part.from = part.to
	var rows *sql.Rows
	var err error
	if part.whole {
		// A whole chunk: no substr, which would copy it once more.
		rows, err = r.store.db.QueryContext(r.ctx, `SELECT data FROM blob_chunks WHERE id = ?`, part.id)
	} else {
		rows, err = r.store.db.QueryContext(r.ctx, `SELECT substr(data, ?, ?) FROM blob_chunks WHERE id = ?`,
			from+1, part.to-from, part.id)
	}
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", r.Blob.Name, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read blob %s: %w", r.Blob.Name, err)
		}
		return nil, fmt.Errorf("read blob %s: chunk %d is gone", r.Blob.Name, part.id)
	}
	// RawBytes: the driver's copy of the value, copied once into buf
	// instead of cloned into a new slice.
	var raw sql.RawBytes
	if err := rows.Scan(&raw); err != nil {
		return nil, fmt.Errorf("read blob %s: %w", r.Blob.Name, err)
	}
	if part.whole && int64(len(raw)) > part.to {
		raw = raw[:part.to]
	}
	if len(raw) > cap(buf) {
		buf = make([]byte, len(raw))
	}
	data := buf[:len(raw)]
	copy(data, raw)
	return data, rows.Close()
}

// Close releases the reader and the chunks it held.
func (r *BlobReader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	r.parts, r.buf = nil, nil
	r.closeFile()
	if r.own != nil {
		r.store.putChunkBuffer(r.own)
		r.own = nil
	}
	if len(r.pinned) > 0 {
		r.store.chunkPins().unpin(r.pinned)
		r.pinned = nil
		r.store.collectChunks(context.Background())
	}
	return nil
}
