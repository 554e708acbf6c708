DROP TABLE outbox;
DROP TABLE leads;
