DROP INDEX profiles_search_id;
ALTER TABLE profiles DROP COLUMN search_id;
ALTER TABLE profiles DROP COLUMN source_hash;
ALTER TABLE profiles ADD COLUMN body_markdown TEXT NOT NULL DEFAULT '';
ALTER TABLE pages ADD COLUMN body_markdown TEXT NOT NULL DEFAULT '';
