-- Full-text search over published profiles, one index per language. Case and diacritics are
-- folded (`ubersetzer` finds `Übersetzer`); prefix indexes make "last word typed" queries fast.
-- The import fills both in the same transaction as the profiles.

CREATE VIRTUAL TABLE search_en USING fts5(
    slug UNINDEXED, title, skills, summary, body,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
);

CREATE VIRTUAL TABLE search_de USING fts5(
    slug UNINDEXED, title, skills, summary, body,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
);
