ALTER TABLE profiles DROP COLUMN publish_at;
