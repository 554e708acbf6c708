-- The lead and staff store on PostgreSQL: the tables of the SQLite migrations 000002 and 000003
-- (and the later ones that touch them), with the same column types as diesel sees them, so one
-- schema (src/db/schema.rs) serves both. Ids are BIGSERIAL, moments BIGINT milliseconds.

CREATE TABLE leads (
    id BIGSERIAL PRIMARY KEY,
    -- The one-time id the form was rendered with: a resubmission finds the lead already stored.
    submission_id TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'contacted', 'qualified', 'won', 'lost', 'spam')),
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
    contact_person_id TEXT,
    contact_person_name TEXT NOT NULL
);

CREATE INDEX leads_created_at ON leads (created_at);
-- Erasure by address matches whatever the capitalisation.
CREATE INDEX leads_email ON leads (lower(email));

CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    lead_id BIGINT NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    recipient TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    -- A worker that claims a row holds it until then; another may take it over afterwards.
    locked_until BIGINT,
    -- Which outbox worker holds the lease: each names itself at start.
    claimed_by TEXT,
    last_error TEXT,
    sent_at BIGINT,
    created_at BIGINT NOT NULL
);

CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
-- One notification per lead, held by the database.
CREATE UNIQUE INDEX outbox_one_per_lead ON outbox (lead_id);

CREATE TABLE admin_users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE admin_sessions (
    -- SHA-256 of the token in the visitor's cookie: a stolen database does not yield sessions.
    id TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES admin_users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);

CREATE INDEX admin_sessions_user ON admin_sessions (user_id);

CREATE TABLE login_throttle (
    -- 'account:<email>' or 'client:<address>'
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    first_failure_at BIGINT NOT NULL,
    locked_until BIGINT
);

CREATE TABLE lead_notes (
    id BIGSERIAL PRIMARY KEY,
    lead_id BIGINT NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE INDEX lead_notes_lead ON lead_notes (lead_id);

CREATE TABLE lead_events (
    id BIGSERIAL PRIMARY KEY,
    lead_id BIGINT NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    actor TEXT NOT NULL,
    -- 'status', 'note', 'retry'
    kind TEXT NOT NULL,
    from_value TEXT,
    to_value TEXT,
    created_at BIGINT NOT NULL
);

CREATE INDEX lead_events_lead ON lead_events (lead_id);
