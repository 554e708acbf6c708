ALTER TABLE profiles DROP COLUMN job_description_markdown;
