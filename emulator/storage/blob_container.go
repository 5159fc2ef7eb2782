package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ContainerOptions are the settings of a new container.
type ContainerOptions struct {
	Metadata     map[string]string
	PublicAccess string
}

const containerColumns = `id, account, name, etag, last_modified, metadata, public_access, access_policy,
	lease_id, lease_state, lease_duration, lease_until`

type containerRow struct {
	id    int64
	c     Container
	lease lease
}

func scanContainer(sc interface{ Scan(...any) error }, now time.Time) (containerRow, error) {
	var r containerRow
	var modified int64
	var md, policy string
	err := sc.Scan(&r.id, &r.c.Account, &r.c.Name, &r.c.ETag, &modified, &md, &r.c.PublicAccess, &policy,
		&r.lease.id, &r.lease.state, &r.lease.duration, &r.lease.until)
	if err != nil {
		return r, err
	}
	r.c.LastModified = time.Unix(0, modified).UTC()
	r.c.Metadata = decodeMetadata(md)
	_ = json.Unmarshal([]byte(policy), &r.c.AccessPolicies)
	r.lease = r.lease.at(now)
	r.c.Lease = r.lease.info()
	return r, nil
}

// blobQueryer is what *sql.DB and *sql.Tx share.
type blobQueryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (s *Store) loadContainer(ctx context.Context, q blobQueryer, account, name string) (containerRow, error) {
	row := q.QueryRowContext(ctx, `SELECT `+containerColumns+` FROM blob_containers WHERE account = ? AND name = ?`, account, name)
	r, err := scanContainer(row, s.clock.Now())
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrContainerNotFound
	}
	if err != nil {
		return r, fmt.Errorf("load container %s: %w", name, err)
	}
	return r, nil
}

func validPublicAccess(p string) error {
	switch p {
	case PublicNone, PublicBlob, PublicContainer:
		return nil
	}
	return ErrInvalidHeader.with("x-ms-blob-public-access %q", p)
}

// CreateContainer creates a container; ErrContainerAlreadyExists if it is
// there.
func (s *Store) CreateContainer(ctx context.Context, account, name string, opts ContainerOptions) (Container, error) {
	if err := ValidContainerName(name); err != nil {
		return Container{}, err
	}
	if err := validPublicAccess(opts.PublicAccess); err != nil {
		return Container{}, err
	}
	md, err := encodeBlobMetadata(opts.Metadata)
	if err != nil {
		return Container{}, err
	}
	now := s.clock.Now()
	etag := s.etags.next(now)
	res, err := s.db.ExecContext(ctx, `INSERT INTO blob_containers (account, name, etag, last_modified, metadata, public_access)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account, name) DO NOTHING`,
		account, name, etag, now.UnixNano(), md, opts.PublicAccess)
	if err != nil {
		return Container{}, fmt.Errorf("create container %s: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Container{}, ErrContainerAlreadyExists
	}
	return Container{Account: account, Name: name, ETag: etag, LastModified: now.UTC(),
		Metadata: opts.Metadata, PublicAccess: opts.PublicAccess, Lease: lease{state: LeaseAvailable}.info()}, nil
}

// GetContainer returns a container's properties, ACL included. A lease id in
// cond must be the active one.
func (s *Store) GetContainer(ctx context.Context, account, name string, cond Conditions) (Container, error) {
	r, err := s.loadContainer(ctx, s.db, account, name)
	if err != nil {
		return Container{}, err
	}
	if err := containerLeaseErr(r.lease.checkRead(cond.LeaseID)); err != nil {
		return Container{}, err
	}
	return r.c, nil
}

// checkContainerWrite evaluates the date conditions containers support.
func checkContainerConditions(cond Conditions, r containerRow) error {
	if cond.IfMatch != "" || cond.IfNoneMatch != "" {
		return ErrUnsupportedHeader.with("If-Match and If-None-Match are not supported for containers")
	}
	return cond.checkWrite(r.c.ETag, r.c.LastModified, false)
}

// containerLeaseErr renames blob lease errors for containers.
func containerLeaseErr(err error) error {
	switch {
	case errors.Is(err, ErrBlobLeaseMismatch):
		return ErrContainerLeaseMismatch
	case errors.Is(err, ErrBlobLeaseNotPresent), errors.Is(err, ErrLeaseLost):
		return ErrContainerLeaseNotPresent
	}
	return err
}

// DeleteContainer deletes a container and all its blobs. A leased container
// needs its lease id.
func (s *Store) DeleteContainer(ctx context.Context, account, name string, cond Conditions) error {
	return s.blobTx(ctx, func(tx *sql.Tx) error {
		r, err := s.loadContainer(ctx, tx, account, name)
		if err != nil {
			return err
		}
		if err := containerLeaseErr(r.lease.checkWrite(cond.LeaseID)); err != nil {
			return err
		}
		if err := checkContainerConditions(cond, r); err != nil {
			return err
		}
		// Explicit deletes (not only the cascade) so the chunk triggers run
		// row by row.
		for _, q := range []string{
			`DELETE FROM blob_content WHERE blob_id IN (SELECT id FROM blobs WHERE container_id = ?)`,
			`DELETE FROM blob_block_content WHERE block_row IN (SELECT id FROM blob_blocks WHERE container_id = ?)`,
			`DELETE FROM blob_blocks WHERE container_id = ?`,
			`DELETE FROM blobs WHERE container_id = ?`,
			`DELETE FROM blob_containers WHERE id = ?`,
		} {
			if _, err := tx.ExecContext(ctx, q, r.id); err != nil {
				return fmt.Errorf("delete container %s: %w", name, err)
			}
		}
		return nil
	})
}

// SetContainerMetadata replaces a container's metadata.
func (s *Store) SetContainerMetadata(ctx context.Context, account, name string, md map[string]string, cond Conditions) (Container, error) {
	enc, err := encodeBlobMetadata(md)
	if err != nil {
		return Container{}, err
	}
	return s.updateContainer(ctx, account, name, cond, `metadata = ?`, enc)
}

// SetContainerACL replaces a container's public access level and stored
// access policies (at most five, ids up to 64 characters).
func (s *Store) SetContainerACL(ctx context.Context, account, name, publicAccess string, policies []SignedIdentifier, cond Conditions) (Container, error) {
	if err := validPublicAccess(publicAccess); err != nil {
		return Container{}, err
	}
	if err := validPolicies(policies); err != nil {
		return Container{}, err
	}
	if policies == nil {
		policies = []SignedIdentifier{}
	}
	enc, err := json.Marshal(policies)
	if err != nil {
		return Container{}, fmt.Errorf("encode access policies: %w", err)
	}
	return s.updateContainer(ctx, account, name, cond, `public_access = ?, access_policy = ?`, publicAccess, string(enc))
}

func validPolicies(ps []SignedIdentifier) error {
	if len(ps) > 5 {
		return ErrInvalidXML.with("at most 5 signed identifiers are allowed")
	}
	for _, p := range ps {
		if p.ID == "" || len(p.ID) > 64 {
			return ErrInvalidXML.with("signed identifier id must be 1 to 64 characters")
		}
	}
	return nil
}

func (s *Store) updateContainer(ctx context.Context, account, name string, cond Conditions, set string, args ...any) (Container, error) {
	var out Container
	err := s.blobTx(ctx, func(tx *sql.Tx) error {
		r, err := s.loadContainer(ctx, tx, account, name)
		if err != nil {
			return err
		}
		if err := containerLeaseErr(r.lease.checkRead(cond.LeaseID)); err != nil {
			return err
		}
		if err := checkContainerConditions(cond, r); err != nil {
			return err
		}
		now := s.clock.Now()
		etag := s.etags.next(now)
		args = append(args, etag, now.UnixNano(), r.id)
		if _, err := tx.ExecContext(ctx, `UPDATE blob_containers SET `+set+`, etag = ?, last_modified = ? WHERE id = ?`, args...); err != nil {
			return fmt.Errorf("update container %s: %w", name, err)
		}
		r, err = s.loadContainer(ctx, tx, account, name)
		out = r.c
		return err
	})
	return out, err
}

// LeaseContainer runs a lease operation on a container. Lease operations
// keep the ETag and Last-Modified.
func (s *Store) LeaseContainer(ctx context.Context, account, name string, req LeaseRequest, cond Conditions) (LeaseResult, error) {
	var out LeaseResult
	err := s.blobTx(ctx, func(tx *sql.Tx) error {
		r, err := s.loadContainer(ctx, tx, account, name)
		if err != nil {
			return err
		}
		if err := checkContainerConditions(Conditions{IfModifiedSince: cond.IfModifiedSince, IfUnmodifiedSince: cond.IfUnmodifiedSince}, r); err != nil {
			return err
		}
		next, left, err := r.lease.apply(req, s.clock.Now())
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE blob_containers SET lease_id = ?, lease_state = ?, lease_duration = ?, lease_until = ? WHERE id = ?`,
			next.id, next.state, next.duration, next.until, r.id); err != nil {
			return fmt.Errorf("lease container %s: %w", name, err)
		}
		out = LeaseResult{ID: next.id, TimeLeft: left, ETag: r.c.ETag, LastModified: r.c.LastModified}
		if req.Action == LeaseRelease || req.Action == LeaseBreak {
			out.ID = ""
		}
		return nil
	})
	return out, err
}

// ContainerPage is one page of List Containers.
type ContainerPage struct {
	Containers []Container
	NextMarker string
}

// ListOptions page through a listing: names with Prefix, after Marker (the
// NextMarker of the previous page), at most MaxResults (1..5000, 0 = 5000).
type ListOptions struct {
	Prefix     string
	Marker     string
	MaxResults int
}

func (o ListOptions) limit() int {
	if o.MaxResults <= 0 || o.MaxResults > 5000 {
		return 5000
	}
	return o.MaxResults
}

// ListContainers lists an account's containers in name order.
func (s *Store) ListContainers(ctx context.Context, account string, opts ListOptions) (ContainerPage, error) {
	limit := opts.limit()
	rows, err := s.db.QueryContext(ctx, `SELECT `+containerColumns+` FROM blob_containers
		WHERE account = ? AND name >= ? AND name >= ? AND name < ? ORDER BY name LIMIT ?`,
		account, opts.Marker, opts.Prefix, prefixEnd(opts.Prefix), limit+1)
	if err != nil {
		return ContainerPage{}, fmt.Errorf("list containers: %w", err)
	}
	defer rows.Close()
	var page ContainerPage
	now := s.clock.Now()
	for rows.Next() {
		r, err := scanContainer(rows, now)
		if err != nil {
			return ContainerPage{}, fmt.Errorf("list containers: %w", err)
		}
		if len(page.Containers) == limit {
			page.NextMarker = r.c.Name
			break
		}
		page.Containers = append(page.Containers, r.c)
	}
	return page, rows.Err()
}

// ContainerAccessPolicy finds a stored access policy for service SAS
// validation; ok is false when the container or the id is unknown.
func (s *Store) ContainerAccessPolicy(ctx context.Context, account, container, id string) (SignedIdentifier, bool, error) {
	r, err := s.loadContainer(ctx, s.db, account, container)
	if errors.Is(err, ErrContainerNotFound) {
		return SignedIdentifier{}, false, nil
	}
	if err != nil {
		return SignedIdentifier{}, false, err
	}
	for _, p := range r.c.AccessPolicies {
		if p.ID == id {
			return p, true, nil
		}
	}
	return SignedIdentifier{}, false, nil
}

// ContainerPublicAccess reports a container's public access level ("" when
// private or missing), for the anonymous-read check.
func (s *Store) ContainerPublicAccess(ctx context.Context, account, container string) (string, error) {
	var p string
	err := s.db.QueryRowContext(ctx, `SELECT public_access FROM blob_containers WHERE account = ? AND name = ?`, account, container).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("container public access: %w", err)
	}
	return p, nil
}

// blobTx runs f in one write transaction, then deletes the chunks it left
// unreferenced (unless a reader still streams them).
func (s *Store) blobTx(ctx context.Context, f func(*sql.Tx) error) error {
	if err := s.blobTxOnly(ctx, f); err != nil {
		return err
	}
	s.collectChunks(ctx)
	return nil
}

// blobTxOnly runs f in one write transaction, through the group writer.
func (s *Store) blobTxOnly(ctx context.Context, f func(*sql.Tx) error) error {
	return s.write(ctx, f)
}
