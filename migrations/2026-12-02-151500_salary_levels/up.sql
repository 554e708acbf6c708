-- Salary rows by seniority and engagement, for one country when they name one; a profile's ISCO-08 code.
ALTER TABLE salaries ADD COLUMN level TEXT CHECK (level IN ('junior', 'mid', 'senior', 'lead'));
ALTER TABLE salaries ADD COLUMN engagement TEXT NOT NULL DEFAULT 'employee' CHECK (engagement IN ('employee', 'freelance'));
ALTER TABLE salaries ADD COLUMN country TEXT;
ALTER TABLE profiles ADD COLUMN isco TEXT;
