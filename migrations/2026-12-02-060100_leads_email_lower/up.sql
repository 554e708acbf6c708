-- Erasure by address compares lower(email) on both backends; PostgreSQL has no COLLATE NOCASE.
DROP INDEX leads_email;
CREATE INDEX leads_email ON leads (lower(email));
