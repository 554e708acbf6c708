DELETE FROM outbox WHERE kind = 'webhook';
DROP INDEX outbox_one_per_lead_and_webhook;
DROP INDEX outbox_one_per_lead_and_kind;
CREATE UNIQUE INDEX outbox_one_per_lead_and_kind ON outbox (lead_id, kind);
ALTER TABLE outbox DROP CONSTRAINT outbox_mail_or_webhook;
ALTER TABLE outbox DROP COLUMN webhook_url;
ALTER TABLE outbox ALTER COLUMN recipient SET NOT NULL;
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('notification', 'confirmation'));
