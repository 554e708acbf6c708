-- Leads go to CRMs by webhook through the outbox as well, durable and retried like the mails: one
-- row per lead and webhook URL, the URL in the row. A mail row has a recipient and no URL, a
-- webhook row a URL and no recipient. SQLite cannot change a column's CHECK or NOT NULL in place,
-- so the table is made anew with its rows, their ids and its indexes.
CREATE TABLE outbox_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    recipient TEXT,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    -- A worker that claims a row holds it until then; another may take it over afterwards.
    locked_until BIGINT,
    last_error TEXT,
    sent_at BIGINT,
    created_at BIGINT NOT NULL,
    claimed_by TEXT,
    kind TEXT NOT NULL DEFAULT 'notification' CHECK (kind IN ('notification', 'confirmation', 'webhook')),
    webhook_url TEXT,
    CHECK ((kind = 'webhook') = (webhook_url IS NOT NULL) AND (kind = 'webhook') = (recipient IS NULL))
);

INSERT INTO outbox_new (
    id, lead_id, recipient, state, attempts, next_attempt_at, locked_until, last_error, sent_at, created_at,
    claimed_by, kind
)
SELECT id, lead_id, recipient, state, attempts, next_attempt_at, locked_until, last_error, sent_at, created_at,
    claimed_by, kind
FROM outbox;

-- Ids are never given twice (AUTOINCREMENT): the new table counts on from where the old one was.
DELETE FROM sqlite_sequence WHERE name = 'outbox_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox_new', seq FROM sqlite_sequence WHERE name = 'outbox';

DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;

CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
-- Each mail at most once per lead, and each lead at most once per webhook URL, held by the
-- database: two instances restoring a lead from spam at once queue one of each, not two.
CREATE UNIQUE INDEX outbox_one_per_lead_and_kind ON outbox (lead_id, kind) WHERE kind <> 'webhook';
CREATE UNIQUE INDEX outbox_one_per_lead_and_webhook ON outbox (lead_id, webhook_url) WHERE kind = 'webhook';
