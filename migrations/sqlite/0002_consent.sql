-- Server secrets (the consent cookie's HMAC key), generated on first start.
CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL,
    created_at TEXT NOT NULL
);

-- Every notice text a decision was made against, once, by its SHA-256.
CREATE TABLE consent_notices (
    hash TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    first_recorded_at TEXT NOT NULL
);

-- The proof-of-consent log: one row per decision, appended, never updated.
-- No IP address, no user agent.
CREATE TABLE consent_records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id TEXT NOT NULL UNIQUE,
    consent_id TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    notice_hash TEXT NOT NULL REFERENCES consent_notices (hash),
    locale TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('accept_all', 'reject_all', 'custom', 'withdraw')),
    choices TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('banner', 'settings')),
    javascript INTEGER NOT NULL CHECK (javascript IN (0, 1)),
    gpc INTEGER NOT NULL CHECK (gpc IN (0, 1))
);

CREATE INDEX consent_records_by_time ON consent_records (recorded_at);

CREATE TRIGGER consent_records_append_only BEFORE UPDATE ON consent_records
BEGIN
    SELECT RAISE(ABORT, 'consent records are append-only');
END;
