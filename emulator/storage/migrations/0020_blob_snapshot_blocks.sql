-- The committed block list a snapshot was taken with, so Get Block List on
-- a snapshot answers its blocks. Snapshots taken before this table existed
-- have no rows and list no blocks.
CREATE TABLE blob_snapshot_blocks (
    blob_id  INTEGER NOT NULL REFERENCES blobs (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    block_id TEXT    NOT NULL,
    size     INTEGER NOT NULL
);
CREATE INDEX blob_snapshot_blocks_blob ON blob_snapshot_blocks (blob_id, position);
