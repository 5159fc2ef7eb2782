-- One row per invocation. Times are Unix nanoseconds (UTC) so they sort and
-- index as integers.
CREATE TABLE invocations (
    id          TEXT PRIMARY KEY,
    function    TEXT NOT NULL,
    trigger_kind TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    parent_id   TEXT NOT NULL DEFAULT '',
    retry_count INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL,
    error       TEXT NOT NULL DEFAULT '',
    start_ns    INTEGER NOT NULL,
    end_ns      INTEGER,            -- NULL while running
    input       TEXT,               -- emulator.Input as JSON
    outputs     TEXT,               -- []emulator.Output as JSON
    -- size is what the row costs retention: its text plus a fixed 96 bytes
    -- for the other columns and the indexes.
    size        INTEGER GENERATED ALWAYS AS (96
        + length(CAST(id AS BLOB)) + length(CAST(function AS BLOB))
        + length(CAST(trigger_kind AS BLOB)) + length(CAST(reason AS BLOB))
        + length(CAST(parent_id AS BLOB)) + length(CAST(error AS BLOB))
        + coalesce(length(CAST(input AS BLOB)), 0)
        + coalesce(length(CAST(outputs AS BLOB)), 0)) STORED
);
CREATE INDEX invocations_by_start ON invocations (start_ns, id);
CREATE INDEX invocations_by_parent ON invocations (parent_id) WHERE parent_id <> '';

-- Log lines of an invocation, in arrival order (seq).
CREATE TABLE logs (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    invocation_id TEXT NOT NULL,
    time_ns       INTEGER NOT NULL,
    level         INTEGER NOT NULL,
    message       TEXT NOT NULL
);
CREATE INDEX logs_by_invocation ON logs (invocation_id, seq);

-- Running totals, kept by triggers, so retention reads one row instead of
-- counting the tables after every write.
CREATE TABLE totals (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    invocations INTEGER NOT NULL,
    bytes       INTEGER NOT NULL
);
INSERT INTO totals (id, invocations, bytes) VALUES (1, 0, 0);

CREATE TRIGGER invocations_inserted AFTER INSERT ON invocations BEGIN
    UPDATE totals SET invocations = invocations + 1, bytes = bytes + NEW.size WHERE id = 1;
END;
CREATE TRIGGER invocations_resized AFTER UPDATE ON invocations WHEN NEW.size <> OLD.size BEGIN
    UPDATE totals SET bytes = bytes + NEW.size - OLD.size WHERE id = 1;
END;
CREATE TRIGGER invocations_deleted AFTER DELETE ON invocations BEGIN
    UPDATE totals SET invocations = invocations - 1, bytes = bytes - OLD.size WHERE id = 1;
END;
-- A log line costs its message plus a fixed 48 bytes for its other columns.
CREATE TRIGGER logs_inserted AFTER INSERT ON logs BEGIN
    UPDATE totals SET bytes = bytes + 48 + length(CAST(NEW.message AS BLOB)) WHERE id = 1;
END;
CREATE TRIGGER logs_deleted AFTER DELETE ON logs BEGIN
    UPDATE totals SET bytes = bytes - 48 - length(CAST(OLD.message AS BLOB)) WHERE id = 1;
END;
