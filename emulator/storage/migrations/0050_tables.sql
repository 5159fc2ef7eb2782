-- The Table service. Table names are case-insensitive: key is the name
-- lower-cased, name keeps the case it was created with.
CREATE TABLE storage_tables (
    account    TEXT    NOT NULL,
    key        TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    acl        TEXT    NOT NULL DEFAULT '[]', -- JSON array of signed identifiers
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account, key)
) WITHOUT ROWID;

-- Entities, ordered by PartitionKey then RowKey as the service returns
-- them. ts is the Timestamp in the DateTime wire form (the ETag is made of
-- it); props holds the other properties as {"Name":["<type>", value]}
-- so $filter compiles to json_extract in SQL.
CREATE TABLE table_entities (
    account   TEXT NOT NULL,
    table_key TEXT NOT NULL,
    pk        TEXT NOT NULL,
    rk        TEXT NOT NULL,
    ts        TEXT NOT NULL,
    props     TEXT NOT NULL,
    -- The invocation whose output binding wrote the entity; never returned
    -- over REST.
    parent_invocation_id TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (account, table_key, pk, rk),
    FOREIGN KEY (account, table_key) REFERENCES storage_tables (account, key) ON DELETE CASCADE
) WITHOUT ROWID;

-- Set Table Service Properties documents (CORS rules take effect).
CREATE TABLE table_service_properties (
    account TEXT PRIMARY KEY,
    body    TEXT NOT NULL
) WITHOUT ROWID;
