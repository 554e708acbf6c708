-- A profile's job-description template, as the Markdown its file holds after the line
-- `+++ job-description`; NULL for a profile without one. Read per page, like the body.
ALTER TABLE profiles ADD COLUMN job_description_markdown TEXT;
