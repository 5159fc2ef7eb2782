-- Every queue and container belongs to an account; the well-known
-- devstoreaccount1 and any configured ones share one database.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
