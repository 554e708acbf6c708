-- Search ranks with FTS5's own `rank` column, weighted once here (title above skills above
-- summary above body; the slug is not text to rank), so a query needs no join and no bm25 call
-- of its own: `ORDER BY rank` is answered inside FTS5.
INSERT INTO search_en (search_en, rank) VALUES ('rank', 'bm25(0.0, 10.0, 5.0, 3.0, 1.0)');
INSERT INTO search_de (search_de, rank) VALUES ('rank', 'bm25(0.0, 10.0, 5.0, 3.0, 1.0)');
