-- A publish writes only profiles whose file changed: each row remembers a fingerprint of the
-- file it came from. The Markdown source stays in the content folder; the store keeps the HTML.
-- Search rows now share the rowid of their profile so that one profile's entry can be replaced;
-- the next publish refills the emptied index (no profile has a fingerprint yet).
ALTER TABLE profiles DROP COLUMN body_markdown;
ALTER TABLE pages DROP COLUMN body_markdown;
ALTER TABLE profiles ADD COLUMN source_hash TEXT NOT NULL DEFAULT '';
DELETE FROM search_en;
DELETE FROM search_de;
