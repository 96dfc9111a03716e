-- The editors' area (issue 12): staff accounts, their sessions and the audit log.

-- One row per person. Accounts are added, disabled and reset from the command line
-- (`certwise user …`); they are never deleted, so the audit log's names stay meaningful.
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- As typed when the account was added.
    email TEXT NOT NULL,
    -- The email folded to lower case (Unicode, by the application): what logins and the
    -- command line match, and what makes an address unique whatever its case.
    email_key TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('editor', 'publisher', 'admin')),
    -- An Argon2id PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`).
    password_hash TEXT NOT NULL,
    -- A temporary password (new account, reset): every page but the password form is
    -- closed until it is changed.
    must_change_password INTEGER NOT NULL DEFAULT 1 CHECK (must_change_password IN (0, 1)),
    disabled_at TEXT,
    created_at TEXT NOT NULL
);

-- Server-side sessions. The cookie carries a random 256-bit token; the table keeps only its
-- SHA-256, so reading the database does not hand out live cookies. No address, no user
-- agent. A session's form token is derived from this id with the server's key.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (user_id);

-- Who changed what, when: appended, never updated. `actor` is the user's email, or `cli`
-- for the command line and `import` for content imports.
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);

CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_kept BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
