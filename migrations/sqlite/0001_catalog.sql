-- The published catalog. Each record is kept whole as JSON in `data` (the domain type,
-- serialised), with the columns that queries filter or join on beside it.

CREATE TABLE site (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    data TEXT NOT NULL
);

CREATE TABLE responsibilities (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    data TEXT NOT NULL
);

CREATE TABLE certifications (
    code TEXT PRIMARY KEY,
    vendor TEXT NOT NULL,
    level TEXT NOT NULL,
    status TEXT NOT NULL,
    retires_on TEXT,
    data TEXT NOT NULL
);

CREATE TABLE courses (
    slug TEXT PRIMARY KEY,
    certification TEXT NOT NULL REFERENCES certifications (code),
    data TEXT NOT NULL
);

CREATE TABLE experts (
    slug TEXT PRIMARY KEY,
    data TEXT NOT NULL
);

CREATE TABLE topics (
    slug TEXT PRIMARY KEY,
    data TEXT NOT NULL
);

CREATE TABLE answers (
    locale TEXT NOT NULL,
    slug TEXT NOT NULL,
    translation_key TEXT,
    published_on TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (locale, slug)
);

-- One row per successful import, for operators.
CREATE TABLE imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    imported_at TEXT NOT NULL,
    certifications INTEGER NOT NULL,
    courses INTEGER NOT NULL,
    answers INTEGER NOT NULL
);
