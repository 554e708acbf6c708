-- The outbox carries more than the contact person's notification: the confirmation to the company
-- that sent the lead goes through it too, durable and retried the same way. Each kind goes out at
-- most once per lead, held by the database.
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'notification'
    CHECK (kind IN ('notification', 'confirmation'));

DROP INDEX outbox_one_per_lead;
CREATE UNIQUE INDEX outbox_one_per_lead_and_kind ON outbox (lead_id, kind);
