DELETE FROM outbox WHERE kind <> 'notification';
DROP INDEX outbox_one_per_lead_and_kind;
CREATE UNIQUE INDEX outbox_one_per_lead ON outbox (lead_id);
ALTER TABLE outbox DROP COLUMN kind;
