-- What the host sent the handler and what it answered, byte for byte
-- (emulator.Exchange as JSON), one row per invocation, counted in the
-- totals and deleted with its invocation.
CREATE TABLE exchanges (
    invocation_id TEXT PRIMARY KEY,
    body          TEXT NOT NULL,
    size          INTEGER GENERATED ALWAYS AS (32 + length(CAST(body AS BLOB))) STORED
);

CREATE TRIGGER exchanges_inserted AFTER INSERT ON exchanges BEGIN
    UPDATE totals SET bytes = bytes + NEW.size WHERE id = 1;
END;
CREATE TRIGGER exchanges_replaced AFTER UPDATE ON exchanges BEGIN
    UPDATE totals SET bytes = bytes + NEW.size - OLD.size WHERE id = 1;
END;
CREATE TRIGGER exchanges_deleted AFTER DELETE ON exchanges BEGIN
    UPDATE totals SET bytes = bytes - OLD.size WHERE id = 1;
END;
CREATE TRIGGER invocations_drop_exchange AFTER DELETE ON invocations BEGIN
    DELETE FROM exchanges WHERE invocation_id = OLD.id;
END;
