-- URLs of profiles and pages that existed once and were removed: they answer 410 Gone.
-- A path that comes back is taken off the list by the import.
CREATE TABLE retired_paths (
    path TEXT PRIMARY KEY NOT NULL,
    retired_at TEXT NOT NULL
);
