-- Blob index tags, access tiers, append-blob seal and page-blob sequence
-- numbers.

-- access_tier '' means "inferred": the account default (Hot), as Azure
-- reports for a blob whose tier was never set.
ALTER TABLE blobs ADD COLUMN access_tier     TEXT    NOT NULL DEFAULT '';
ALTER TABLE blobs ADD COLUMN tier_changed    INTEGER NOT NULL DEFAULT 0;
ALTER TABLE blobs ADD COLUMN sealed          INTEGER NOT NULL DEFAULT 0;
ALTER TABLE blobs ADD COLUMN sequence_number INTEGER NOT NULL DEFAULT 0;

-- One row a tag. The (key, value) index serves Find Blobs by Tags: every
-- term of a where expression is a range scan on it.
CREATE TABLE blob_tags (
    blob_id INTEGER NOT NULL REFERENCES blobs (id) ON DELETE CASCADE,
    key     TEXT    NOT NULL,
    value   TEXT    NOT NULL,
    PRIMARY KEY (blob_id, key)
) WITHOUT ROWID;
CREATE INDEX blob_tags_key_value ON blob_tags (key, value, blob_id);

-- Page blobs store only the pages written: blob_content rows at their
-- blob offsets with gaps between them (read as zeros). chunk_from is where
-- in the chunk the row's bytes start, so a partial overwrite keeps the
-- untouched part of a chunk without copying it.
ALTER TABLE blob_content ADD COLUMN chunk_from INTEGER NOT NULL DEFAULT 0;
