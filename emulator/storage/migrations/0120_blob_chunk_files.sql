-- Content of chunks written from bodies larger than one chunk lives in
-- immutable files beside the database (<database>-chunks/<file as 16 hex
-- digits>), written before the row that names them commits. Such a chunk
-- keeps its blob_chunks row, with empty data, so references, sharing and
-- garbage work as for chunks stored inline; chunks without a row here
-- (every chunk of a store made before this version) are inline.
CREATE TABLE blob_chunk_files (
    chunk_id INTEGER PRIMARY KEY REFERENCES blob_chunks (id) ON DELETE CASCADE,
    file     INTEGER NOT NULL
);
