-- Leads go to CRMs by webhook through the outbox as well, durable and retried like the mails: one
-- row per lead and webhook URL, the URL in the row. A mail row has a recipient and no URL, a
-- webhook row a URL and no recipient.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('notification', 'confirmation', 'webhook'));
ALTER TABLE outbox ALTER COLUMN recipient DROP NOT NULL;
ALTER TABLE outbox ADD COLUMN webhook_url TEXT;
ALTER TABLE outbox ADD CONSTRAINT outbox_mail_or_webhook
    CHECK ((kind = 'webhook') = (webhook_url IS NOT NULL) AND (kind = 'webhook') = (recipient IS NULL));

-- Each mail at most once per lead, and each lead at most once per webhook URL, held by the
-- database: two instances restoring a lead from spam at once queue one of each, not two.
DROP INDEX outbox_one_per_lead_and_kind;
CREATE UNIQUE INDEX outbox_one_per_lead_and_kind ON outbox (lead_id, kind) WHERE kind <> 'webhook';
CREATE UNIQUE INDEX outbox_one_per_lead_and_webhook ON outbox (lead_id, webhook_url) WHERE kind = 'webhook';
