//! The editors' forms: a record's file read into named fields, and fields written back
//! into the file.
//!
//! A form never replaces a file: it edits the keys it shows in the file's own TOML
//! (`toml_edit`), so keys the form does not show, comments and the order of the file stay
//! as they were, and a revision's diff shows exactly what the editor changed. What the
//! fields make is then checked like any file (`content::check_files`); each message is put
//! next to the field whose value it points at ([`field_at`]).
//!
//! Field names: `question`, `insight.text` (a table), `choose.0.when` (the first table of
//! an array), `translations.de.title`, and `body` for an answer's Markdown. A value is
//! written as the type its field has: text as a string (multi-line text as `"""…"""`),
//! days as TOML dates, counts as integers, lists (comma-separated) as arrays of strings. A
//! value that is not of its type (`12x` for a count) is written as text, so that the
//! check names the field and its problem; an empty field removes its key, and an empty
//! row or table is left out.

use std::collections::BTreeMap;

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value};

use crate::content::{FileKind, split_front_matter};
use crate::domain::{Level, Status, Vocabulary};

/// A form's values by field name.
pub type Values = BTreeMap<String, String>;

/// How a field is entered and written.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// One line of text.
    Line,
    /// Several lines of text (Markdown where the format says so).
    Text,
    /// A day, `YYYY-MM-DD`.
    Date,
    /// A whole number.
    Integer,
    /// Comma-separated words (codes, slugs, names).
    List,
    /// One of a vocabulary's words.
    Choice(fn() -> Vec<&'static str>),
}

/// One field of a form.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub key: &'static str,
    pub label: &'static str,
    pub shape: Shape,
    pub hint: &'static str,
}

const fn field(key: &'static str, label: &'static str, shape: Shape, hint: &'static str) -> Field {
    Field { key, label, shape, hint }
}

/// A group of fields.
#[derive(Debug, Clone, Copy)]
pub enum Part {
    /// Keys of the file's top table.
    Fields(&'static [Field]),
    /// A table (`[insight]`).
    Table { key: &'static str, label: &'static str, fields: &'static [Field] },
    /// An array of tables (`[[choose]]`), one row each, plus a blank row to add one.
    Rows { key: &'static str, label: &'static str, fields: &'static [Field] },
    /// `[translations.<locale>]` for each of the site's other locales.
    Translations { fields: &'static [Field] },
}

fn words<T: Vocabulary>() -> Vec<&'static str> {
    T::ALL.iter().map(|v| v.as_str()).collect()
}

const ANSWER: &[Part] = &[
    Part::Fields(&[
        field("question", "Question", Shape::Line, "The question as readers ask it."),
        field(
            "short_answer",
            "Short answer",
            Shape::Text,
            "Two or three sentences that answer on their own.",
        ),
        field(
            "certifications",
            "Certifications",
            Shape::List,
            "Exam codes, comma-separated, in display order.",
        ),
        field("topics", "Topics", Shape::List, "Topic slugs, comma-separated."),
        field("author", "Author", Shape::Line, "The expert's slug."),
        field("published_on", "Published on", Shape::Date, "YYYY-MM-DD"),
        field("reviewed_on", "Reviewed on", Shape::Date, "YYYY-MM-DD; the day the facts were last checked."),
        field(
            "translation_key",
            "Translation key",
            Shape::Line,
            "Optional; the same key links translations.",
        ),
    ]),
    Part::Rows {
        key: "choose",
        label: "“Choose X if” line",
        fields: &[
            field("certification", "Certification", Shape::Line, "Exam code"),
            field("when", "When", Shape::Line, "…if your role is…"),
        ],
    },
    Part::Table {
        key: "insight",
        label: "Expert insight",
        fields: &[
            field("expert", "Expert", Shape::Line, "The expert's slug."),
            field("text", "Text", Shape::Text, "Markdown."),
        ],
    },
];

const CERTIFICATION: &[Part] = &[
    Part::Fields(&[
        field("title", "Title", Shape::Line, ""),
        field("credential", "Credential", Shape::Line, "The credential the exam leads to."),
        field("level", "Level", Shape::Choice(words::<Level>), ""),
        field("scope", "Scope", Shape::Line, ""),
        field("summary", "Summary", Shape::Text, ""),
        field("technologies", "Technologies", Shape::List, "Comma-separated."),
        field("roles", "Roles", Shape::List, "Comma-separated."),
        field("status", "Status", Shape::Choice(words::<Status>), ""),
        field("retires_on", "Retires on", Shape::Date, "YYYY-MM-DD; empty when no date is announced."),
        field("successor", "Successor", Shape::Line, "Exam code of the successor, if any."),
        field(
            "prerequisites",
            "Prerequisites",
            Shape::List,
            "Exam codes, comma-separated (any one of them).",
        ),
        field("exam_minutes", "Exam minutes", Shape::Integer, ""),
        field("uncertain", "Uncertain facts", Shape::List, "Field names whose value is not confirmed."),
    ]),
    Part::Rows {
        key: "domains",
        label: "Skills measured (domains and weights)",
        fields: &[
            field("name", "Domain", Shape::Line, ""),
            field("weight_min", "Weight from (%)", Shape::Integer, ""),
            field("weight_max", "Weight to (%)", Shape::Integer, ""),
            field("responsibilities", "Responsibilities", Shape::List, "Ids, comma-separated."),
        ],
    },
    Part::Rows {
        key: "sources",
        label: "Sources",
        fields: &[
            field("url", "Address", Shape::Line, "https://…"),
            field("checked_on", "Checked on", Shape::Date, "YYYY-MM-DD"),
        ],
    },
    Part::Translations {
        fields: &[
            field("title", "Title", Shape::Line, ""),
            field("scope", "Scope", Shape::Line, ""),
            field("summary", "Summary", Shape::Text, ""),
            field("roles", "Roles", Shape::List, "Comma-separated."),
        ],
    },
];

const COURSE: &[Part] = &[
    Part::Fields(&[
        field("title", "Title", Shape::Line, ""),
        field("price", "Price", Shape::Line, "A decimal, e.g. 1190.00"),
        field("currency", "Currency", Shape::Line, "ISO code, e.g. CHF"),
        field("price_note", "Price note", Shape::Line, ""),
        field("duration_days", "Days", Shape::Integer, ""),
        field("delivery", "Delivery", Shape::List, DELIVERY_HINT),
        field("teachers", "Teachers", Shape::List, "Expert slugs, comma-separated."),
    ]),
    Part::Rows {
        key: "sessions",
        label: "Sessions",
        fields: &[
            field("id", "Id", Shape::Line, "e.g. 2027-01-zurich"),
            field("starts_on", "Starts on", Shape::Date, "YYYY-MM-DD"),
            field("location", "Location", Shape::Line, ""),
            field("language", "Language", Shape::Line, "e.g. de"),
            field("seats", "Seats", Shape::Integer, ""),
        ],
    },
    Part::Translations {
        fields: &[
            field("title", "Title", Shape::Line, ""),
            field("price_note", "Price note", Shape::Line, ""),
        ],
    },
];

/// `delivery`'s words, spelt out for the hint (a `const` cannot call `words`).
const DELIVERY_HINT: &str = "Comma-separated: classroom, virtual, self-paced.";

/// The form of a kind of file, when editors edit it in the browser.
pub fn parts(kind: &FileKind) -> Option<&'static [Part]> {
    match kind {
        FileKind::Answer { .. } => Some(ANSWER),
        FileKind::Certification => Some(CERTIFICATION),
        FileKind::Course => Some(COURSE),
        _ => None,
    }
}

/// The TOML of a file (an answer's front matter) and its Markdown body.
fn split(kind: &FileKind, text: &str) -> (String, Option<String>) {
    let (toml, body, _) = split_kept(kind, text);
    (toml, body)
}

/// [`split`], with the text before and after the front matter's TOML as written (a byte
/// order mark, `+++` with its line end), so that a save writes them back unchanged.
fn split_kept(kind: &FileKind, text: &str) -> (String, Option<String>, (String, String)) {
    if matches!(kind, FileKind::Answer { .. }) {
        match split_front_matter(text) {
            Some((base, len, body)) => {
                let closing = &text[base + len..text.len() - body.len()];
                (
                    text[base..base + len].to_owned(),
                    Some(body.to_owned()),
                    (text[..base].to_owned(), closing.to_owned()),
                )
            }
            None => (String::new(), Some(text.to_owned()), ("+++\n".to_owned(), "+++\n".to_owned())),
        }
    } else {
        (text.to_owned(), None, (String::new(), String::new()))
    }
}

/// The values a file's text gives the form (an unreadable file gives empty fields).
pub fn read(kind: &FileKind, text: &str, locales: &[String]) -> Values {
    let mut values = Values::new();
    let Some(parts) = parts(kind) else { return values };
    let (toml, body) = split(kind, text);
    let doc: DocumentMut = toml.parse().unwrap_or_default();
    for part in parts {
        match part {
            Part::Fields(fields) => read_fields(doc.as_table(), "", fields, &mut values),
            Part::Table { key, fields, .. } => {
                if let Some(t) = doc.get(key).and_then(Item::as_table) {
                    read_fields(t, &format!("{key}."), fields, &mut values);
                }
            }
            Part::Rows { key, fields, .. } => {
                if let Some(rows) = doc.get(key).and_then(Item::as_array_of_tables) {
                    for (i, t) in rows.iter().enumerate() {
                        read_fields(t, &format!("{key}.{i}."), fields, &mut values);
                    }
                }
            }
            Part::Translations { fields } => {
                for locale in locales {
                    let t = doc.get("translations").and_then(|t| t.get(locale)).and_then(Item::as_table);
                    if let Some(t) = t {
                        read_fields(t, &format!("translations.{locale}."), fields, &mut values);
                    }
                }
            }
        }
    }
    if let Some(body) = body {
        values.insert("body".into(), body);
    }
    values
}

fn read_fields(table: &Table, prefix: &str, fields: &[Field], values: &mut Values) {
    for f in fields {
        if let Some(text) = shown(table, f.key) {
            values.insert(format!("{prefix}{}", f.key), text);
        }
    }
}

/// A key's value as its field shows it.
fn shown(table: &Table, key: &str) -> Option<String> {
    let value = table.get(key).and_then(Item::as_value)?;
    Some(match value {
        Value::String(s) => s.value().clone(),
        Value::Integer(i) => i.value().to_string(),
        Value::Float(x) => x.value().to_string(),
        Value::Boolean(b) => b.value().to_string(),
        Value::Datetime(d) => d.value().to_string(),
        Value::Array(a) => a
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string().trim().to_owned(), str::to_owned))
            .collect::<Vec<_>>()
            .join(", "),
        Value::InlineTable(t) => t.to_string(),
    })
}

/// How many rows of an array of tables the values hold (the highest index + 1).
pub fn rows_in(values: &Values, key: &str) -> usize {
    let prefix = format!("{key}.");
    values
        .keys()
        .filter_map(|k| k.strip_prefix(&prefix)?.split('.').next()?.parse::<usize>().ok())
        .map(|i| i + 1)
        .max()
        .unwrap_or(0)
}

/// A form's values as submitted: line ends made `\n` (browsers send `\r\n`), and only
/// the names the form has.
pub fn submitted(
    kind: &FileKind,
    pairs: impl IntoIterator<Item = (String, String)>,
    locales: &[String],
) -> Values {
    let Some(parts) = parts(kind) else { return Values::new() };
    let known = |name: &str| -> bool {
        if name == "body" {
            return matches!(kind, FileKind::Answer { .. });
        }
        parts.iter().any(|part| match part {
            Part::Fields(fields) => fields.iter().any(|f| f.key == name),
            Part::Table { key, fields, .. } => name
                .strip_prefix(key)
                .and_then(|r| r.strip_prefix('.'))
                .is_some_and(|k| fields.iter().any(|f| f.key == k)),
            Part::Rows { key, fields, .. } => name
                .strip_prefix(key)
                .and_then(|r| r.strip_prefix('.'))
                .and_then(|r| r.split_once('.'))
                .is_some_and(|(i, k)| i.parse::<u16>().is_ok() && fields.iter().any(|f| f.key == k)),
            Part::Translations { fields } => name
                .strip_prefix("translations.")
                .and_then(|r| r.split_once('.'))
                .is_some_and(|(l, k)| locales.iter().any(|x| x == l) && fields.iter().any(|f| f.key == k)),
        })
    };
    pairs
        .into_iter()
        .filter(|(k, _)| known(k))
        .map(|(k, v)| {
            let v = v.replace("\r\n", "\n").replace('\r', "\n");
            (k, v)
        })
        .collect()
}

/// `base` (the file the editor started from; empty for a new one) with the form's values
/// written in.
pub fn apply(kind: &FileKind, base: &str, values: &Values, locales: &[String]) -> String {
    let Some(parts) = parts(kind) else { return base.to_owned() };
    let (toml, body, (opening, closing)) = split_kept(kind, base);
    let mut doc: DocumentMut = toml.parse().unwrap_or_default();
    for part in parts {
        match part {
            Part::Fields(fields) => write_fields(doc.as_table_mut(), "", fields, values),
            // A part the file writes another way (an inline table or array) is left as it
            // is: the form shows it empty and must not remove it.
            Part::Table { key, .. } | Part::Rows { key, .. }
                if doc
                    .get(key)
                    .is_some_and(|i| i.as_table().is_none() && i.as_array_of_tables().is_none()) => {}
            Part::Translations { .. } if doc.get("translations").is_some_and(|i| i.as_table().is_none()) => {}
            Part::Table { key, fields, .. } => {
                let mut table = doc.get(key).and_then(Item::as_table).cloned().unwrap_or_default();
                write_fields(&mut table, &format!("{key}."), fields, values);
                if table.is_empty() {
                    doc.remove(key);
                } else {
                    doc[key] = Item::Table(table);
                }
            }
            Part::Rows { key, fields, .. } => {
                let old = doc.get(key).and_then(Item::as_array_of_tables).cloned().unwrap_or_default();
                let mut rows = ArrayOfTables::new();
                for i in 0..rows_in(values, key).max(old.len()) {
                    let mut table = old.get(i).cloned().unwrap_or_default();
                    write_fields(&mut table, &format!("{key}.{i}."), fields, values);
                    if fields.iter().any(|f| table.contains_key(f.key)) {
                        rows.push(table);
                    }
                }
                if rows.is_empty() {
                    doc.remove(key);
                } else {
                    doc[key] = Item::ArrayOfTables(rows);
                }
            }
            Part::Translations { fields } => {
                for locale in locales {
                    let prefix = format!("translations.{locale}.");
                    let inline = doc
                        .get("translations")
                        .and_then(|t| t.get(locale))
                        .is_some_and(|t| t.as_table().is_none());
                    if inline || !values.keys().any(|k| k.starts_with(&prefix)) {
                        continue;
                    }
                    let mut table = doc
                        .get("translations")
                        .and_then(|t| t.get(locale))
                        .and_then(Item::as_table)
                        .cloned()
                        .unwrap_or_default();
                    write_fields(&mut table, &prefix, fields, values);
                    if !doc.contains_key("translations") {
                        let mut translations = Table::new();
                        translations.set_implicit(true);
                        doc["translations"] = Item::Table(translations);
                    }
                    let Some(translations) = doc["translations"].as_table_mut() else { continue };
                    if table.is_empty() {
                        translations.remove(locale);
                    } else {
                        translations.insert(locale, Item::Table(table));
                    }
                }
                if doc.get("translations").and_then(Item::as_table).is_some_and(Table::is_empty) {
                    doc.remove("translations");
                }
            }
        }
    }
    // The file's own line ends: a file written with CRLF stays so.
    let written = doc.to_string().replace("\r\n", "\n");
    let toml = if written == toml.replace("\r\n", "\n") {
        toml
    } else if toml.contains("\r\n") {
        written.replace('\n', "\r\n")
    } else {
        written
    };
    match body {
        Some(old_body) => {
            let unify = |s: &str| s.replace("\r\n", "\n");
            let body = match values.get("body") {
                // Unchanged but for line ends (browsers send CRLF): the file's own text.
                Some(new) if unify(new).trim_end() == unify(&old_body).trim_end() => old_body,
                Some(new) if new.ends_with('\n') || new.is_empty() => new.clone(),
                Some(new) => format!("{new}\n"),
                None => old_body,
            };
            format!("{opening}{toml}{closing}{body}")
        }
        None => toml,
    }
}

fn write_fields(table: &mut Table, prefix: &str, fields: &[Field], values: &Values) {
    for f in fields {
        let Some(raw) = values.get(&format!("{prefix}{}", f.key)) else { continue };
        if shown(table, f.key).is_some_and(|now| now.trim_end() == raw.trim_end()) {
            // Unchanged: written as it was (`[]`, a literal string, its spacing).
            continue;
        }
        let text = raw.trim();
        if text.is_empty() {
            table.remove(f.key);
            continue;
        }
        let value = match f.shape {
            Shape::Line | Shape::Choice(_) => Value::from(text),
            Shape::Text => text_value(raw.trim_end()),
            Shape::Date => match text.parse::<toml_edit::Datetime>() {
                Ok(d) if d.date.is_some() && d.time.is_none() => Value::from(d),
                _ => Value::from(text),
            },
            Shape::Integer => text.parse::<i64>().map_or_else(|_| Value::from(text), Value::from),
            Shape::List => {
                let items: toml_edit::Array =
                    text.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
                Value::Array(items)
            }
        };
        // The value's place and the comment after it stay; the value is new.
        match table.get_mut(f.key).and_then(Item::as_value_mut) {
            Some(old) => {
                let decor = old.decor().clone();
                *old = value;
                *old.decor_mut() = decor;
            }
            None => {
                table.insert(f.key, toml_edit::value(value));
            }
        }
    }
}

/// Text as a TOML string: one line as a basic string, several as `"""…"""` so that a
/// revision's diff shows the lines as written.
fn text_value(text: &str) -> Value {
    if !text.contains('\n') {
        return Value::from(text);
    }
    let mut raw = String::from("\"\"\"\n");
    for c in text.chars() {
        match c {
            '\\' => raw.push_str("\\\\"),
            '"' => raw.push_str("\\\""),
            '\n' | '\t' => raw.push(c),
            c if c.is_control() => {
                use std::fmt::Write as _;
                let _ = write!(raw, "\\u{:04X}", u32::from(c));
            }
            c => raw.push(c),
        }
    }
    raw.push_str("\"\"\"");
    // The literal is parsed back, so the value is exactly `text` and the repr is valid.
    raw.parse::<Value>().unwrap_or_else(|_| Value::from(text))
}

/// The field a position of a file points at (1-based line and column, as in
/// diagnostics), when it is inside a value the form shows.
pub fn field_at(kind: &FileKind, text: &str, line: usize, column: usize) -> Option<String> {
    let offset = offset_of(text, line, column)?;
    let (base, toml) = match kind {
        FileKind::Answer { .. } => {
            let (base, len, _) = split_front_matter(text)?;
            if offset >= base + len {
                return Some("body".into());
            }
            (base, &text[base..base + len])
        }
        _ => (0, text),
    };
    let at = offset.checked_sub(base)?;
    let doc = toml_edit::Document::parse(toml).ok()?;
    let parts = parts(kind)?;
    let within = |item: &Item, key: &toml_edit::Key| -> bool {
        let start = key.span().map_or(usize::MAX, |s| s.start);
        let end = item.span().map_or(0, |s| s.end);
        (start..end.max(start + 1)).contains(&at)
    };
    let find = |table: &Table, prefix: &str, fields: &[Field]| -> Option<String> {
        fields.iter().find_map(|f| {
            let (key, item) = table.get_key_value(f.key)?;
            within(item, key).then(|| format!("{prefix}{}", f.key))
        })
    };
    for part in parts {
        let found = match part {
            Part::Fields(fields) => find(doc.as_table(), "", fields),
            Part::Table { key, fields, .. } => {
                doc.get(key).and_then(Item::as_table).and_then(|t| find(t, &format!("{key}."), fields))
            }
            Part::Rows { key, fields, .. } => {
                doc.get(key).and_then(Item::as_array_of_tables).and_then(|rows| {
                    rows.iter().enumerate().find_map(|(i, t)| find(t, &format!("{key}.{i}."), fields))
                })
            }
            Part::Translations { fields } => {
                doc.get("translations").and_then(Item::as_table).and_then(|translations| {
                    translations.iter().find_map(|(locale, t)| {
                        find(t.as_table()?, &format!("translations.{locale}."), fields)
                    })
                })
            }
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The byte offset of a 1-based line and column (in characters).
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let start: usize = text.split_inclusive('\n').take(line.checked_sub(1)?).map(str::len).sum();
    let rest = text.get(start..)?;
    let within = rest.char_indices().nth(column.saturating_sub(1)).map_or(rest.len(), |(i, _)| i);
    Some(start + within)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer() -> FileKind {
        FileKind::Answer { locale: "en".into(), slug: "x".into() }
    }

    const TEXT: &str = "+++\n# kept comment\nquestion = \"Q?\"\nshort_answer = \"S.\"\ncertifications = [\"MD-102\", \"MS-102\"]\ntopics = []\nauthor = \"ex\"\npublished_on = 2026-03-02\nunknown_key = 1\n\n[[choose]]\ncertification = \"MD-102\"\nwhen = \"devices\"\n\n[insight]\nexpert = \"ex\"\ntext = \"\"\"One.\n\nTwo.\"\"\"\n+++\nBody.\n";

    #[test]
    fn reading_then_applying_the_same_values_keeps_the_file() {
        let values = read(&answer(), TEXT, &[]);
        assert_eq!(values["certifications"], "MD-102, MS-102");
        assert_eq!(values["choose.0.when"], "devices");
        assert_eq!(values["insight.text"], "One.\n\nTwo.");
        assert_eq!(values["body"], "Body.\n");
        assert_eq!(apply(&answer(), TEXT, &values, &[]), TEXT);
    }

    #[test]
    fn a_form_edits_only_its_keys_and_writes_each_as_its_type() {
        let mut values = read(&answer(), TEXT, &[]);
        values.insert("question".into(), "New?".into());
        values.insert("reviewed_on".into(), "2026-12-01".into());
        values.insert("topics".into(), "a, b,".into());
        values.insert("choose.1.certification".into(), "MS-102".into());
        values.insert("choose.1.when".into(), "tenant".into());
        values.insert("insight.expert".into(), String::new());
        values.insert("insight.text".into(), String::new());
        values.insert("body".into(), "New body\r\nline".into());
        let values = submitted(&answer(), values, &[]);
        let out = apply(&answer(), TEXT, &values, &[]);
        assert!(out.contains("# kept comment\nquestion = \"New?\""), "{out}");
        assert!(out.contains("reviewed_on = 2026-12-01\n"), "a date, not a string: {out}");
        assert!(out.contains("topics = [\"a\", \"b\"]"), "{out}");
        assert!(out.contains("unknown_key = 1"), "keys the form does not show stay: {out}");
        assert!(out.contains("[[choose]]\ncertification = \"MS-102\"\nwhen = \"tenant\""), "{out}");
        assert!(!out.contains("[insight]"), "an emptied table goes: {out}");
        assert!(out.ends_with("+++\nNew body\nline\n"), "{out}");
        let again = read(&answer(), &out, &[]);
        assert_eq!(again["choose.1.when"], "tenant");
    }

    #[test]
    fn a_value_of_the_wrong_type_is_written_as_text_for_the_check_to_name() {
        let kind = FileKind::Course;
        let base = "slug = \"c\"\nduration_days = 3\n";
        let values = Values::from([("duration_days".to_owned(), "3 days".to_owned())]);
        let out = apply(&kind, base, &values, &[]);
        assert_eq!(out, "slug = \"c\"\nduration_days = \"3 days\"\n");
        assert_eq!(field_at(&kind, &out, 2, 17).as_deref(), Some("duration_days"));
        assert_eq!(field_at(&kind, &out, 1, 3), None, "slug is not on the form");
    }

    #[test]
    fn positions_are_mapped_to_fields_rows_and_the_body() {
        let kind = answer();
        assert_eq!(field_at(&kind, TEXT, 5, 20).as_deref(), Some("certifications"));
        assert_eq!(field_at(&kind, TEXT, 13, 8).as_deref(), Some("choose.0.when"));
        assert_eq!(field_at(&kind, TEXT, 17, 1).as_deref(), Some("insight.text"));
        assert_eq!(field_at(&kind, TEXT, 20, 1).as_deref(), Some("body"));
    }

    #[test]
    fn translations_are_written_per_locale() {
        let kind = FileKind::Certification;
        let locales = vec!["de".to_owned(), "fr".to_owned()];
        let base = "code = \"X-1\"\n\n[translations.de]\ntitle = \"Alt\"\n";
        let values = Values::from([
            ("translations.de.title".to_owned(), "Neu".to_owned()),
            ("translations.fr.title".to_owned(), "Nouveau".to_owned()),
        ]);
        let out = apply(&kind, base, &values, &locales);
        assert!(out.contains("[translations.de]\ntitle = \"Neu\""), "{out}");
        assert!(out.contains("[translations.fr]\ntitle = \"Nouveau\""), "{out}");
        let back = read(&kind, &out, &locales);
        assert_eq!(back["translations.fr.title"], "Nouveau");
        let cleared = Values::from([
            ("translations.de.title".to_owned(), String::new()),
            ("translations.fr.title".to_owned(), String::new()),
        ]);
        assert!(!apply(&kind, &out, &cleared, &locales).contains("translations"));
    }

    #[test]
    fn inline_tables_are_kept_when_the_form_cannot_show_them() {
        let kind = answer();
        let text = "+++\nquestion = \"Q?\"\ninsight = { expert = \"ex\", text = \"T\" }\nchoose = [{ certification = \"MD-102\", when = \"w\" }]\n+++\nBody.\n";
        let values = submitted(&kind, read(&kind, text, &[]), &[]);
        assert_eq!(apply(&kind, text, &values, &[]), text);
    }

    #[test]
    fn an_unchanged_save_keeps_crlf_a_bom_and_a_leading_blank_line() {
        let kind = answer();
        let text = "\u{feff}+++\r\nquestion = \"Q?\"\r\n+++\r\n\r\nBody\r\nline\r\n";
        let mut values = read(&kind, text, &[]);
        // As a browser sends a textarea: CRLF, no leading newline kept by the parser.
        values.insert("body".into(), "\r\nBody\r\nline".into());
        let values = submitted(&kind, values, &[]);
        assert_eq!(apply(&kind, text, &values, &[]), text);
    }

    #[test]
    fn multi_line_text_is_escaped_so_it_reads_back_exactly() {
        let text = "Quotes \"\"\" and \\ and\nlines";
        let v = text_value(text);
        assert_eq!(v.as_str(), Some(text));
        assert!(v.to_string().contains('\n'));
    }
}
