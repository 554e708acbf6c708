DROP INDEX outbox_one_per_lead;
CREATE INDEX outbox_lead ON outbox (lead_id);
ALTER TABLE outbox DROP COLUMN claimed_by;
