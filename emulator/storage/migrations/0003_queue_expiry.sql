-- Expired messages are purged as queues are read, and counted without a
-- scan: both need the expiry in an index.
CREATE INDEX queue_messages_expiry ON queue_messages (account, queue, expires_at);
