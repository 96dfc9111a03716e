-- Course inquiries (leads): one row per inquiry, with copies of what the reader saw (the
-- course title, the session's date and place, the consent text). No address, no user agent.
CREATE TABLE leads (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    lead_id TEXT NOT NULL UNIQUE,
    received_at TEXT NOT NULL,
    locale TEXT NOT NULL,
    course TEXT NOT NULL,
    course_title TEXT NOT NULL,
    session_id TEXT,
    session_starts_on TEXT,
    session_location TEXT,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    -- The email folded to lower case (Unicode, by the application): what `leads erase`
    -- matches, since SQLite's lower() folds ASCII only.
    email_key TEXT NOT NULL,
    company TEXT,
    message TEXT,
    consent_text TEXT NOT NULL,
    CHECK ((session_id IS NULL) = (session_starts_on IS NULL)
       AND (session_id IS NULL) = (session_location IS NULL))
);

CREATE INDEX leads_by_time ON leads (received_at);
CREATE INDEX leads_by_email ON leads (email_key);

-- The webhook outbox: a row per lead to announce, written in the lead's own transaction.
-- It holds no copy of the lead (the body is made from the `leads` row when sent), and it
-- goes with its lead: erasing or purging a lead removes its notification.
CREATE TABLE lead_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lead_id TEXT NOT NULL UNIQUE REFERENCES leads (lead_id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    -- Attempts started so far (a claimed row counts its attempt before it is made).
    attempts INTEGER NOT NULL DEFAULT 0,
    -- When a pending row is next due; a claimed row is pushed past its delivery's timeout.
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    -- When it was delivered or given up.
    finished_at TEXT
);

CREATE INDEX lead_outbox_due ON lead_outbox (next_attempt_at) WHERE status = 'pending';
