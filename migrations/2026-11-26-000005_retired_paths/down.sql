DROP TABLE retired_paths;
