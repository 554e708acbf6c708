-- The address the firm publishes for a contact person, written out on their profiles; `email` never is.
ALTER TABLE people ADD COLUMN public_email TEXT;
