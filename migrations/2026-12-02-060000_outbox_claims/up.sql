-- Which outbox worker holds a row's lease (`locked_until`): each worker names itself at start, so
-- with several instances on one database a worker records only the outcome of its own claims,
-- and a claim taken over after its lease ran out is known as such.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;

-- One notification per lead, held by the database: two instances restoring a lead from spam at
-- once queue one mail, not two.
DROP INDEX outbox_lead;
CREATE UNIQUE INDEX outbox_one_per_lead ON outbox (lead_id);
