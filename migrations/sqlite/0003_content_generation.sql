-- The content generation: every import is a row of `imports`, its id the generation
-- number (AUTOINCREMENT never reuses one); the hash of the checked content tells a server
-- at start whether its content directory differs from what the database holds.
ALTER TABLE imports ADD COLUMN content_hash TEXT;
