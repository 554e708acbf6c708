-- Hiring requests and the notifications they cause. Leads are never touched by a content import.

CREATE TABLE leads (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    -- The one-time id the form was rendered with: a resubmission finds the lead already stored.
    submission_id TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'contacted', 'qualified', 'won', 'lost', 'spam')),
    -- Why the lead was flagged as spam when it arrived: 'honeypot' or 'too_fast'; NULL for people.
    spam_reason TEXT,
    company TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    role TEXT NOT NULL,
    headcount INTEGER NOT NULL,
    engagement TEXT NOT NULL CHECK (engagement IN ('freelance', 'permanent', 'either')),
    work_mode TEXT NOT NULL CHECK (work_mode IN ('remote', 'onsite', 'hybrid')),
    location TEXT,
    start_date TEXT,
    budget TEXT,
    message TEXT NOT NULL,
    consent_at BIGINT NOT NULL,
    page_lang TEXT NOT NULL CHECK (page_lang IN ('en', 'de')),
    profile_slug TEXT,
    referrer TEXT,
    utm_source TEXT,
    utm_medium TEXT,
    utm_campaign TEXT,
    utm_term TEXT,
    utm_content TEXT,
    -- Who answers: resolved when the lead arrives, so later content changes do not reroute it.
    contact_person_id TEXT,
    contact_person_name TEXT NOT NULL
);

CREATE INDEX leads_created_at ON leads (created_at);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    recipient TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    -- A worker that claims a row holds it until then; another may take it over afterwards.
    locked_until BIGINT,
    last_error TEXT,
    sent_at BIGINT,
    created_at BIGINT NOT NULL
);

CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_lead ON outbox (lead_id);
