-- Staff accounts, their sessions, login throttling, and the work done on leads.

CREATE TABLE admin_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE admin_sessions (
    -- SHA-256 of the token in the visitor's cookie: a stolen database does not yield sessions.
    id TEXT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES admin_users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);

CREATE INDEX admin_sessions_user ON admin_sessions (user_id);

CREATE TABLE login_throttle (
    -- 'account:<email>' or 'client:<address>'
    key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    first_failure_at BIGINT NOT NULL,
    locked_until BIGINT
);

CREATE TABLE lead_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    lead_id BIGINT NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE INDEX lead_notes_lead ON lead_notes (lead_id);

CREATE TABLE lead_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    lead_id BIGINT NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    actor TEXT NOT NULL,
    -- 'status', 'note', 'retry'
    kind TEXT NOT NULL,
    from_value TEXT,
    to_value TEXT,
    created_at BIGINT NOT NULL
);

CREATE INDEX lead_events_lead ON lead_events (lead_id);
CREATE INDEX leads_email ON leads (email COLLATE NOCASE);
