CREATE TABLE outbox_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    recipient TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until BIGINT,
    last_error TEXT,
    sent_at BIGINT,
    created_at BIGINT NOT NULL,
    claimed_by TEXT,
    kind TEXT NOT NULL DEFAULT 'notification' CHECK (kind IN ('notification', 'confirmation'))
);

INSERT INTO outbox_old (
    id, lead_id, recipient, state, attempts, next_attempt_at, locked_until, last_error, sent_at, created_at,
    claimed_by, kind
)
SELECT id, lead_id, recipient, state, attempts, next_attempt_at, locked_until, last_error, sent_at, created_at,
    claimed_by, kind
FROM outbox
WHERE kind <> 'webhook';

DELETE FROM sqlite_sequence WHERE name = 'outbox_old';
INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox_old', seq FROM sqlite_sequence WHERE name = 'outbox';

DROP TABLE outbox;
ALTER TABLE outbox_old RENAME TO outbox;

CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE UNIQUE INDEX outbox_one_per_lead_and_kind ON outbox (lead_id, kind);
