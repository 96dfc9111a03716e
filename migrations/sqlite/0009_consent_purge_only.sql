-- Proof of consent is deleted by the retention purge only, as on PostgreSQL
-- (migrations/postgres: `certwise.purge`). SQLite has no transaction-local setting: the
-- purge marks its own transaction with the one row of `consent_purge`, which it inserts
-- before its DELETE and removes before it commits. One writer at a time, so the row is
-- never seen outside the purge's transaction, and a purge cut off rolls back with it.
CREATE TABLE consent_purge (
    id INTEGER PRIMARY KEY CHECK (id = 1)
);

CREATE TRIGGER consent_records_purged_only BEFORE DELETE ON consent_records
WHEN NOT EXISTS (SELECT 1 FROM consent_purge)
BEGIN
    SELECT RAISE(ABORT, 'consent records are append-only');
END;
