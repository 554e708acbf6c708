DROP INDEX leads_email;
CREATE INDEX leads_email ON leads (email COLLATE NOCASE);
