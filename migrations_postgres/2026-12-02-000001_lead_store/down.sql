DROP TABLE lead_events;
DROP TABLE lead_notes;
DROP TABLE login_throttle;
DROP TABLE admin_sessions;
DROP TABLE admin_users;
DROP TABLE outbox;
DROP TABLE leads;
