-- Prefix indexes cost a third of an import at 10,000 profiles and gained little: prefix queries
-- ("scru*") stay fast on the term index alone. The next import fills the new tables.
DROP TABLE search_en;
DROP TABLE search_de;

CREATE VIRTUAL TABLE search_en USING fts5(
    slug UNINDEXED, title, skills, summary, body,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE VIRTUAL TABLE search_de USING fts5(
    slug UNINDEXED, title, skills, summary, body,
    tokenize = 'unicode61 remove_diacritics 2'
);
