-- Views of profile pages by visitors, per UTC day, language and profile: counts only, no
-- address, no cookie, nothing that tells one visitor from another. Each instance adds what it
-- counted since its last flush to the day's row.

CREATE TABLE profile_views (
    -- 'YYYY-MM-DD', UTC: compares in date order as text on both backends.
    day TEXT NOT NULL,
    lang TEXT NOT NULL CHECK (lang IN ('en', 'de')),
    profile_slug TEXT NOT NULL,
    views BIGINT NOT NULL CHECK (views >= 0),
    PRIMARY KEY (day, lang, profile_slug)
);
