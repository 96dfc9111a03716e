-- Plain pages (imprint, privacy, about), kept whole as JSON like the other records and
-- replaced with the rest of the catalog in the import's one transaction.
CREATE TABLE pages (
    locale TEXT NOT NULL,
    slug TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (locale, slug)
);
