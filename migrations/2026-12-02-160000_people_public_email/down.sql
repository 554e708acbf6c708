ALTER TABLE people DROP COLUMN public_email;
