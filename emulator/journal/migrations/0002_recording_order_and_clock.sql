-- seq is the order invocations were recorded in. Start times follow the
-- clock an invocation ran on, and a virtual clock's may lie ahead of, or
-- behind, the wall clock's; listing and pruning go by seq instead.
ALTER TABLE invocations ADD COLUMN seq INTEGER;
UPDATE invocations SET seq = rowid;
CREATE INDEX invocations_by_seq ON invocations (seq);
CREATE TRIGGER invocations_sequenced AFTER INSERT ON invocations WHEN NEW.seq IS NULL BEGIN
    UPDATE invocations SET seq = (SELECT coalesce(max(seq), 0) + 1 FROM invocations) WHERE rowid = NEW.rowid;
END;

-- clock is the clock the invocation ran on: system or virtual.
ALTER TABLE invocations ADD COLUMN clock TEXT NOT NULL DEFAULT 'system';
