-- Deleting a profile checks which profiles name it as related: without this index, every
-- deletion scans the whole table, and replacing 20,000 profiles took minutes.
CREATE INDEX profile_related_target ON profile_related (lang, related_slug);
-- The same for aliases, which point at their profile by (lang, slug).
CREATE INDEX profile_aliases_profile ON profile_aliases (lang, slug);
