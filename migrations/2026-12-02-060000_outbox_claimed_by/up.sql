-- Which outbox worker holds a row's lease (`locked_until`): each worker names itself at start, so
-- with several instances on one database a worker records only the outcome of its own claims,
-- and a claim taken over after its lease ran out is known as such.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
