DROP TABLE profile_views;
