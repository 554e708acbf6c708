INSERT INTO search_en (search_en, rank) VALUES ('rank', 'bm25()');
INSERT INTO search_de (search_de, rank) VALUES ('rank', 'bm25()');
