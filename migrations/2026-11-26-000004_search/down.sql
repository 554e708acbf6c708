DROP TABLE search_de;
DROP TABLE search_en;
