-- What was loaded from the content folder. The import replaces all of it in one transaction.

CREATE TABLE site_settings (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    settings_json TEXT NOT NULL
);

CREATE TABLE people (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    photo TEXT NOT NULL,
    languages TEXT NOT NULL
);

CREATE TABLE person_texts (
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    lang TEXT NOT NULL CHECK (lang IN ('en', 'de')),
    role TEXT NOT NULL,
    pitch TEXT NOT NULL,
    PRIMARY KEY (person_id, lang)
);

CREATE TABLE profiles (
    lang TEXT NOT NULL CHECK (lang IN ('en', 'de')),
    slug TEXT NOT NULL,
    translation_key TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    category TEXT NOT NULL,
    contact_id TEXT REFERENCES people (id),
    updated TEXT NOT NULL,
    draft BOOLEAN NOT NULL,
    body_markdown TEXT NOT NULL,
    body_html TEXT NOT NULL,
    toc_json TEXT NOT NULL,
    source_path TEXT NOT NULL,
    PRIMARY KEY (lang, slug),
    UNIQUE (lang, translation_key)
);

CREATE TABLE profile_skills (
    lang TEXT NOT NULL,
    slug TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('hard', 'soft')),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (lang, slug, kind, position),
    FOREIGN KEY (lang, slug) REFERENCES profiles (lang, slug) ON DELETE CASCADE
);

CREATE TABLE salaries (
    lang TEXT NOT NULL,
    slug TEXT NOT NULL,
    position INTEGER NOT NULL,
    region TEXT NOT NULL,
    currency TEXT NOT NULL,
    period TEXT NOT NULL,
    min_amount INTEGER NOT NULL,
    max_amount INTEGER NOT NULL,
    median_amount INTEGER,
    source TEXT NOT NULL,
    as_of TEXT NOT NULL,
    PRIMARY KEY (lang, slug, position),
    FOREIGN KEY (lang, slug) REFERENCES profiles (lang, slug) ON DELETE CASCADE,
    CHECK (min_amount <= max_amount)
);

CREATE TABLE profile_related (
    lang TEXT NOT NULL,
    slug TEXT NOT NULL,
    position INTEGER NOT NULL,
    related_slug TEXT NOT NULL,
    PRIMARY KEY (lang, slug, position),
    FOREIGN KEY (lang, slug) REFERENCES profiles (lang, slug) ON DELETE CASCADE,
    FOREIGN KEY (lang, related_slug) REFERENCES profiles (lang, slug) ON DELETE CASCADE
);

CREATE TABLE profile_aliases (
    path TEXT PRIMARY KEY NOT NULL,
    lang TEXT NOT NULL,
    slug TEXT NOT NULL,
    FOREIGN KEY (lang, slug) REFERENCES profiles (lang, slug) ON DELETE CASCADE
);

CREATE TABLE pages (
    lang TEXT NOT NULL CHECK (lang IN ('en', 'de')),
    slug TEXT NOT NULL,
    translation_key TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    updated TEXT NOT NULL,
    body_markdown TEXT NOT NULL,
    body_html TEXT NOT NULL,
    toc_json TEXT NOT NULL,
    source_path TEXT NOT NULL,
    PRIMARY KEY (lang, slug),
    UNIQUE (lang, translation_key)
);
