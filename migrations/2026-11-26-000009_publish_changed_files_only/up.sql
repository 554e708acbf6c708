-- A publish writes only profiles whose file changed: each row remembers a fingerprint of the
-- file it came from. The Markdown source stays in the content folder; the store keeps the HTML.
-- A profile's search row has the rowid `search_id`, so that one profile's entry can be replaced
-- (the profiles' own rowids may change with VACUUM or a restore; this column does not). The next
-- publish refills the emptied index: no profile has a fingerprint yet.
ALTER TABLE profiles DROP COLUMN body_markdown;
ALTER TABLE pages DROP COLUMN body_markdown;
ALTER TABLE profiles ADD COLUMN source_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE profiles ADD COLUMN search_id INTEGER;
CREATE UNIQUE INDEX profiles_search_id ON profiles (search_id);
DELETE FROM search_en;
DELETE FROM search_de;
