DROP TABLE search_en;
DROP TABLE search_de;

CREATE VIRTUAL TABLE search_en USING fts5(
    slug UNINDEXED, title, skills, summary, body,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
);

CREATE VIRTUAL TABLE search_de USING fts5(
    slug UNINDEXED, title, skills, summary, body,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
);
