-- Unreferenced chunks are no longer deleted by the triggers directly: they
-- are queued here and deleted by the store once no reader still streams
-- them, so a download running while the blob is overwritten keeps its
-- version to the end.
CREATE TABLE blob_chunk_garbage (
    chunk_id INTEGER PRIMARY KEY
);

DROP TRIGGER blob_content_release;
DROP TRIGGER blob_block_content_release;

CREATE TRIGGER blob_content_release AFTER DELETE ON blob_content
WHEN NOT EXISTS (SELECT 1 FROM blob_content WHERE chunk_id = OLD.chunk_id)
 AND NOT EXISTS (SELECT 1 FROM blob_block_content WHERE chunk_id = OLD.chunk_id)
BEGIN
    INSERT OR IGNORE INTO blob_chunk_garbage (chunk_id) VALUES (OLD.chunk_id);
END;

CREATE TRIGGER blob_block_content_release AFTER DELETE ON blob_block_content
WHEN NOT EXISTS (SELECT 1 FROM blob_content WHERE chunk_id = OLD.chunk_id)
 AND NOT EXISTS (SELECT 1 FROM blob_block_content WHERE chunk_id = OLD.chunk_id)
BEGIN
    INSERT OR IGNORE INTO blob_chunk_garbage (chunk_id) VALUES (OLD.chunk_id);
END;
