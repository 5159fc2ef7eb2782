-- Queues and their messages. Times are Unix milliseconds from the store
-- clock; a message that never expires has expires_at at 9999-12-31.
CREATE TABLE queues (
    account    TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    metadata   TEXT    NOT NULL DEFAULT '{}', -- JSON object, keys as sent
    acl        TEXT    NOT NULL DEFAULT '[]', -- JSON array of signed identifiers
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account, name)
) WITHOUT ROWID;

CREATE TABLE queue_messages (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT, -- insertion order
    account       TEXT    NOT NULL,
    queue         TEXT    NOT NULL,
    id            TEXT    NOT NULL UNIQUE,
    text          TEXT    NOT NULL,
    inserted_at   INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    visible_at    INTEGER NOT NULL,
    dequeue_count INTEGER NOT NULL DEFAULT 0,
    pop_receipt   TEXT    NOT NULL DEFAULT '',
    -- The invocation whose output binding enqueued the message; never
    -- returned over REST.
    parent_invocation_id TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (account, queue) REFERENCES queues (account, name) ON DELETE CASCADE
);

-- Get Messages takes the earliest visible messages: O(log n) at any backlog.
CREATE INDEX queue_messages_visible ON queue_messages (account, queue, visible_at, seq);
