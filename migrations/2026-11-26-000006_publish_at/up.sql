-- A profile with a publication time is public only from then on.
ALTER TABLE profiles ADD COLUMN publish_at BIGINT;
