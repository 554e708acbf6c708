ALTER TABLE profiles DROP COLUMN isco;
ALTER TABLE salaries DROP COLUMN country;
ALTER TABLE salaries DROP COLUMN engagement;
ALTER TABLE salaries DROP COLUMN level;
