-- Blob service: containers, blobs (base blobs and snapshots), blocks and
-- content chunks. Times are Unix nanoseconds from the store clock.

CREATE TABLE blob_containers (
    id             INTEGER PRIMARY KEY,
    account        TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    etag           TEXT    NOT NULL,
    last_modified  INTEGER NOT NULL,
    metadata       TEXT    NOT NULL DEFAULT '{}',
    public_access  TEXT    NOT NULL DEFAULT '',
    access_policy  TEXT    NOT NULL DEFAULT '[]',
    lease_id       TEXT    NOT NULL DEFAULT '',
    lease_state    TEXT    NOT NULL DEFAULT 'available',
    lease_duration INTEGER NOT NULL DEFAULT 0,
    lease_until    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (account, name)
);

-- Content lives in chunks of at most a few MiB; blobs and blocks list the
-- chunks they are made of, so snapshots, copies and block commits share
-- chunks instead of copying bytes.
CREATE TABLE blob_chunks (
    id   INTEGER PRIMARY KEY,
    data BLOB NOT NULL
);

CREATE TABLE blobs (
    id                  INTEGER PRIMARY KEY,
    container_id        INTEGER NOT NULL REFERENCES blob_containers (id) ON DELETE CASCADE,
    name                TEXT    NOT NULL,
    snapshot            TEXT    NOT NULL DEFAULT '',
    blob_type           TEXT    NOT NULL,
    size                INTEGER NOT NULL DEFAULT 0,
    etag                TEXT    NOT NULL,
    created             INTEGER NOT NULL,
    last_modified       INTEGER NOT NULL,
    content_type        TEXT    NOT NULL DEFAULT '',
    content_encoding    TEXT    NOT NULL DEFAULT '',
    content_language    TEXT    NOT NULL DEFAULT '',
    content_disposition TEXT    NOT NULL DEFAULT '',
    cache_control       TEXT    NOT NULL DEFAULT '',
    content_md5         BLOB,
    metadata            TEXT    NOT NULL DEFAULT '{}',
    lease_id            TEXT    NOT NULL DEFAULT '',
    lease_state         TEXT    NOT NULL DEFAULT 'available',
    lease_duration      INTEGER NOT NULL DEFAULT 0,
    lease_until         INTEGER NOT NULL DEFAULT 0,
    committed_blocks    INTEGER NOT NULL DEFAULT 0,
    copy_id             TEXT    NOT NULL DEFAULT '',
    copy_source         TEXT    NOT NULL DEFAULT '',
    copy_completed      INTEGER NOT NULL DEFAULT 0,
    -- The invocation whose output wrote this blob; never served over REST.
    parent_invocation   TEXT    NOT NULL DEFAULT '',
    UNIQUE (container_id, name, snapshot)
);

CREATE TABLE blob_content (
    blob_id  INTEGER NOT NULL REFERENCES blobs (id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    chunk_id INTEGER NOT NULL,
    offset   INTEGER NOT NULL,
    length   INTEGER NOT NULL,
    PRIMARY KEY (blob_id, seq)
) WITHOUT ROWID;
CREATE INDEX blob_content_chunk ON blob_content (chunk_id);

-- Blocks of block blobs, keyed by blob name so they exist before the blob
-- does. state 'U' is uncommitted, 'C' committed (position = order in the
-- committed list).
CREATE TABLE blob_blocks (
    id           INTEGER PRIMARY KEY,
    container_id INTEGER NOT NULL REFERENCES blob_containers (id) ON DELETE CASCADE,
    blob_name    TEXT    NOT NULL,
    block_id     TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    position     INTEGER NOT NULL DEFAULT 0,
    size         INTEGER NOT NULL
);
CREATE INDEX blob_blocks_blob ON blob_blocks (container_id, blob_name, state, block_id);

CREATE TABLE blob_block_content (
    block_row INTEGER NOT NULL REFERENCES blob_blocks (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    chunk_id  INTEGER NOT NULL,
    length    INTEGER NOT NULL,
    PRIMARY KEY (block_row, seq)
) WITHOUT ROWID;
CREATE INDEX blob_block_content_chunk ON blob_block_content (chunk_id);

-- A chunk goes when its last reference goes: reference counting by query,
-- never a sweep over all content.
CREATE TRIGGER blob_content_release AFTER DELETE ON blob_content
BEGIN
    DELETE FROM blob_chunks WHERE id = OLD.chunk_id
        AND NOT EXISTS (SELECT 1 FROM blob_content WHERE chunk_id = OLD.chunk_id)
        AND NOT EXISTS (SELECT 1 FROM blob_block_content WHERE chunk_id = OLD.chunk_id);
END;

CREATE TRIGGER blob_block_content_release AFTER DELETE ON blob_block_content
BEGIN
    DELETE FROM blob_chunks WHERE id = OLD.chunk_id
        AND NOT EXISTS (SELECT 1 FROM blob_content WHERE chunk_id = OLD.chunk_id)
        AND NOT EXISTS (SELECT 1 FROM blob_block_content WHERE chunk_id = OLD.chunk_id);
END;

CREATE TABLE blob_service_properties (
    account TEXT PRIMARY KEY,
    body    TEXT NOT NULL
);
