-- The PostgreSQL store: the schema of migrations/sqlite/ (0001-0008) as one, with the same
-- meaning. Choices (ARCHITECTURE.md, PostgreSQL):
-- - Timestamps are the same fixed-width RFC 3339 text in UTC as in SQLite (store::timestamp),
--   so both databases compare, order and return them identically.
-- - Every text column that is ordered or compared by range is `COLLATE "C"`: byte order,
--   as SQLite compares, whatever locale the cluster was created with.
-- - Records are kept whole as JSON text in `data`, byte for byte as written.
-- - Flags are BOOLEAN, counters and ids BIGINT; the content generation (`imports.id`) is
--   numbered by the store under the content lock, so it has no gaps, as in SQLite.

-- The published catalog.
CREATE TABLE site (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    data TEXT NOT NULL
);

CREATE TABLE responsibilities (
    id TEXT PRIMARY KEY,
    position BIGINT NOT NULL,
    data TEXT NOT NULL
);

CREATE TABLE certifications (
    code TEXT COLLATE "C" PRIMARY KEY,
    vendor TEXT NOT NULL,
    level TEXT NOT NULL,
    status TEXT NOT NULL,
    retires_on TEXT,
    data TEXT NOT NULL
);

CREATE TABLE courses (
    slug TEXT COLLATE "C" PRIMARY KEY,
    certification TEXT COLLATE "C" NOT NULL REFERENCES certifications (code),
    data TEXT NOT NULL
);

CREATE TABLE experts (
    slug TEXT COLLATE "C" PRIMARY KEY,
    data TEXT NOT NULL
);

CREATE TABLE topics (
    slug TEXT COLLATE "C" PRIMARY KEY,
    data TEXT NOT NULL
);

CREATE TABLE answers (
    locale TEXT COLLATE "C" NOT NULL,
    slug TEXT COLLATE "C" NOT NULL,
    translation_key TEXT,
    published_on TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (locale, slug)
);

CREATE TABLE pages (
    locale TEXT COLLATE "C" NOT NULL,
    slug TEXT COLLATE "C" NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (locale, slug)
);

-- The content generation: one row per import or publish, its id the generation number.
-- Writers of content lock this table first (store/postgres.rs), which also serialises them.
CREATE TABLE imports (
    id BIGINT PRIMARY KEY,
    imported_at TEXT NOT NULL,
    certifications BIGINT NOT NULL,
    courses BIGINT NOT NULL,
    answers BIGINT NOT NULL,
    content_hash TEXT
);

-- Server secrets (signing keys), generated on first start by whichever instance is first.
CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    value BYTEA NOT NULL,
    created_at TEXT NOT NULL
);

-- Every notice text a decision was made against, once, by its SHA-256.
CREATE TABLE consent_notices (
    hash TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    first_recorded_at TEXT NOT NULL
);

-- The proof-of-consent log: one row per decision, appended, never updated; deleted only by
-- the retention purge. No IP address, no user agent.
CREATE TABLE consent_records (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_id TEXT NOT NULL UNIQUE,
    consent_id TEXT NOT NULL,
    recorded_at TEXT COLLATE "C" NOT NULL,
    policy_version TEXT NOT NULL,
    notice_hash TEXT NOT NULL REFERENCES consent_notices (hash),
    locale TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('accept_all', 'reject_all', 'custom', 'withdraw')),
    choices TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('banner', 'settings')),
    javascript BOOLEAN NOT NULL,
    gpc BOOLEAN NOT NULL
);

CREATE INDEX consent_records_by_time ON consent_records (recorded_at);

-- Refuses every change of a record, and every deletion but the retention purge's, which
-- marks its own transaction (`SET LOCAL certwise.purge = 'consent'`).
CREATE FUNCTION consent_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('certwise.purge', true) = 'consent' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'consent records are append-only';
END;
$$;

CREATE TRIGGER consent_records_append_only BEFORE UPDATE OR DELETE ON consent_records
    FOR EACH ROW EXECUTE FUNCTION consent_records_append_only();

CREATE TRIGGER consent_records_not_truncated BEFORE TRUNCATE ON consent_records
    FOR EACH STATEMENT EXECUTE FUNCTION consent_records_append_only();

-- Course inquiries (leads), with copies of what the reader saw. No address, no user agent.
CREATE TABLE leads (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id TEXT NOT NULL UNIQUE,
    received_at TEXT COLLATE "C" NOT NULL,
    locale TEXT NOT NULL,
    course TEXT COLLATE "C" NOT NULL,
    course_title TEXT NOT NULL,
    session_id TEXT COLLATE "C",
    session_starts_on TEXT COLLATE "C",
    session_location TEXT,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    -- The email folded to lower case by the application (as in SQLite).
    email_key TEXT NOT NULL,
    company TEXT,
    message TEXT,
    consent_text TEXT NOT NULL,
    handled_at TEXT,
    handled_by TEXT CHECK ((handled_by IS NULL) = (handled_at IS NULL)),
    CHECK ((session_id IS NULL) = (session_starts_on IS NULL)
       AND (session_id IS NULL) = (session_location IS NULL))
);

CREATE INDEX leads_by_time ON leads (received_at);
CREATE INDEX leads_by_email ON leads (email_key);
CREATE INDEX leads_by_course ON leads (course, received_at);

-- The webhook outbox: a row per lead to announce, written in the lead's own transaction,
-- gone with its lead.
CREATE TABLE lead_outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id TEXT NOT NULL UNIQUE REFERENCES leads (lead_id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT COLLATE "C" NOT NULL,
    last_error TEXT,
    finished_at TEXT
);

CREATE INDEX lead_outbox_due ON lead_outbox (next_attempt_at) WHERE status = 'pending';

-- Every version of every content file, appended (text NULL: the file was removed).
CREATE TABLE revisions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    path TEXT COLLATE "C" NOT NULL,
    text TEXT,
    author TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('import', 'web')),
    message TEXT NOT NULL,
    created_at TEXT NOT NULL,
    generation BIGINT NOT NULL REFERENCES imports (id)
);

CREATE INDEX revisions_by_path ON revisions (path, id);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0];
END;
$$;

CREATE TRIGGER revisions_append_only BEFORE UPDATE ON revisions
    FOR EACH ROW EXECUTE FUNCTION refuse_change('revisions are append-only');

-- The published files, each with its current revision and the revision the last import
-- wrote or found identical: the ownership rule.
CREATE TABLE content_files (
    path TEXT COLLATE "C" PRIMARY KEY,
    text TEXT NOT NULL,
    revision BIGINT NOT NULL REFERENCES revisions (id),
    imported_revision BIGINT REFERENCES revisions (id)
);

-- Work in progress in the editors' area, one per file.
CREATE TABLE drafts (
    path TEXT COLLATE "C" PRIMARY KEY,
    text TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'review')),
    base_revision BIGINT REFERENCES revisions (id),
    author TEXT NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL
);

-- Fact changes recorded by imports and publishes.
CREATE TABLE fact_changes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code TEXT COLLATE "C" NOT NULL,
    on_day TEXT COLLATE "C" NOT NULL,
    data TEXT NOT NULL,
    revision BIGINT REFERENCES revisions (id)
);

CREATE INDEX fact_changes_by_code ON fact_changes (code, on_day);

-- Staff accounts, never deleted.
CREATE TABLE users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('editor', 'publisher', 'admin')),
    password_hash TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL DEFAULT TRUE,
    disabled_at TEXT,
    created_at TEXT NOT NULL
);

-- Server-side sessions: the SHA-256 of the cookie's token.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT COLLATE "C" NOT NULL,
    last_seen_at TEXT COLLATE "C" NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (user_id);

-- Who changed what, when: appended, never updated nor deleted.
CREATE TABLE audit_log (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change('the audit log is append-only');

CREATE TRIGGER audit_log_not_truncated BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('the audit log is append-only');
