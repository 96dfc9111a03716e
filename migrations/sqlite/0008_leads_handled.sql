-- Leads for staff (issue 12): a lead is marked handled by a member of staff, or not
-- handled again. `handled_by` is the account's email (accounts are never deleted), the
-- same name the audit log records.
ALTER TABLE leads ADD COLUMN handled_at TEXT;
ALTER TABLE leads ADD COLUMN handled_by TEXT CHECK ((handled_by IS NULL) = (handled_at IS NULL));

-- The staff list filters by course and shows the newest first.
CREATE INDEX leads_by_course ON leads (course, received_at);
