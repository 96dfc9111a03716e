-- The content as files (issue 12): the database owns the published content and every
-- revision of it; a content directory is an import and export format. Each file is one
-- record (CONTENT.md's layout); the derived tables above are rewritten from the checked
-- files at every import or publish, in the same transaction.

-- Every version of every file, appended: author (a user's email, or `import`), where it
-- came from, a message, the full text (NULL when the file was removed).
CREATE TABLE revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    path TEXT NOT NULL,
    text TEXT,
    author TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('import', 'web')),
    message TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- The content generation (row of `imports`) it went live with.
    generation INTEGER NOT NULL REFERENCES imports (id)
);

CREATE INDEX revisions_by_path ON revisions (path, id);

CREATE TRIGGER revisions_append_only BEFORE UPDATE ON revisions
BEGIN
    SELECT RAISE(ABORT, 'revisions are append-only');
END;

-- The published files: each with its current revision and the revision the last import
-- wrote or found identical (NULL: never imported, created in the browser). A file whose
-- two differ was edited in the browser since its last import: the ownership rule.
CREATE TABLE content_files (
    path TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    revision INTEGER NOT NULL REFERENCES revisions (id),
    imported_revision INTEGER REFERENCES revisions (id)
);

-- Work in progress in the editors' area, one per file: a draft, or submitted for review.
-- `version` grows with every save (a save that names an older one is refused: two people
-- editing the same record never overwrite each other); `base_revision` is the published
-- revision it started from (NULL for a new file).
CREATE TABLE drafts (
    path TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'review')),
    base_revision INTEGER REFERENCES revisions (id),
    author TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
);

-- Fact changes (PRODUCT.md, capability 1), recorded by imports and publishes: the
-- certification they concern, the day they took effect, and the change as JSON.
CREATE TABLE fact_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL,
    on_day TEXT NOT NULL,
    data TEXT NOT NULL,
    revision INTEGER REFERENCES revisions (id)
);

CREATE INDEX fact_changes_by_code ON fact_changes (code, on_day);
