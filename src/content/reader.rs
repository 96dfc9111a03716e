//! Reading TOML tables field by field with their positions, so that every missing,
//! unknown or ill-typed field of a file is reported — not just the first, as a serde
//! derive would — each at its own line and column.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::ops::RangeInclusive;

use chrono::NaiveDate;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostics::{Diagnostic, Severity, SourceFile};
use crate::domain::{Code, Slug, Vocabulary};

/// A value and the byte offset in its file where it was written.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub value: T,
    pub at: usize,
}

/// The file being read, the offset of the TOML text inside it (non-zero for front
/// matter), and where problems go.
#[derive(Debug)]
pub struct Ctx<'f> {
    pub file: &'f SourceFile,
    pub base: usize,
    pub sink: RefCell<Vec<Diagnostic>>,
}

impl<'f> Ctx<'f> {
    pub fn new(file: &'f SourceFile, base: usize) -> Self {
        Self { file, base, sink: RefCell::new(Vec::new()) }
    }

    /// An error at an absolute offset in the file.
    pub fn error(&self, at: usize, message: impl Into<String>) {
        self.sink.borrow_mut().push(self.file.diagnostic(at, Severity::Error, message.into()));
    }

    /// A warning at an absolute offset in the file: the content is published anyway.
    pub fn warning(&self, at: usize, message: impl Into<String>) {
        self.sink.borrow_mut().push(self.file.diagnostic(at, Severity::Warning, message.into()));
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.sink.into_inner()
    }

    /// Parses `text` (which starts at `self.base` in the file) as a TOML document,
    /// reporting every syntax error. `None` when there was any.
    pub fn parse<'i>(&self, text: &'i str) -> Option<Spanned<DeTable<'i>>> {
        let (table, errors) = DeTable::parse_recoverable(text);
        if errors.is_empty() {
            return Some(table);
        }
        for e in errors {
            let at = self.base + e.span().map_or(0, |s| s.start);
            let message = e.message().trim_end().replace('\n', " ");
            self.error(at, format!("invalid TOML: {message}"));
        }
        None
    }
}

/// One TOML table being read. Every field it is asked for is remembered; `finish`
/// reports the fields it holds that nobody asked for.
#[derive(Debug)]
pub struct Table<'c, 'f, 'i> {
    ctx: &'c Ctx<'f>,
    fields: &'c DeTable<'i>,
    at: usize,
    what: String,
    asked: RefCell<BTreeSet<String>>,
}

fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl<'c, 'f, 'i> Table<'c, 'f, 'i> {
    /// `what` names the table in messages (`the file`, `[[domains]] entry 2`).
    pub fn new(ctx: &'c Ctx<'f>, table: &'c Spanned<DeTable<'i>>, what: impl Into<String>) -> Self {
        Self {
            ctx,
            at: ctx.base + table.span().start,
            fields: table.get_ref(),
            what: what.into(),
            asked: RefCell::new(BTreeSet::new()),
        }
    }

    pub fn ctx(&self) -> &'c Ctx<'f> {
        self.ctx
    }

    /// Where the table starts.
    pub fn at(&self) -> usize {
        self.at
    }

    fn raw(&self, key: &'static str) -> Option<&'c Spanned<DeValue<'i>>> {
        self.asked.borrow_mut().insert(key.to_owned());
        self.fields.get(key)
    }

    fn offset(&self, v: &Spanned<DeValue<'_>>) -> usize {
        self.ctx.base + v.span().start
    }

    fn missing(&self, key: &str) {
        self.ctx.error(self.at, format!("missing field `{key}` in {}", self.what));
    }

    fn wrong_type(&self, key: &str, expected: &str, v: &Spanned<DeValue<'_>>) {
        self.ctx
            .error(self.offset(v), format!("`{key}` must be {expected}, found {}", type_name(v.get_ref())));
    }

    // -- strings --------------------------------------------------------------------

    pub fn opt_string(&self, key: &'static str) -> Option<Located<String>> {
        let v = self.raw(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(Located { value: s.to_string(), at: self.offset(v) }),
            _ => {
                self.wrong_type(key, "a string", v);
                None
            }
        }
    }

    /// A required, non-blank string.
    pub fn string(&self, key: &'static str) -> Option<Located<String>> {
        if self.fields.get(key).is_none() {
            self.asked.borrow_mut().insert(key.to_owned());
            self.missing(key);
            return None;
        }
        let s = self.opt_string(key)?;
        if s.value.trim().is_empty() {
            self.ctx.error(s.at, format!("`{key}` must not be empty"));
            return None;
        }
        Some(s)
    }

    pub fn code(&self, key: &'static str) -> Option<Located<Code>> {
        self.string(key).and_then(|s| self.check(key, &s, Code::parse))
    }

    pub fn opt_code(&self, key: &'static str) -> Option<Located<Code>> {
        self.opt_string(key).and_then(|s| self.check(key, &s, Code::parse))
    }

    pub fn slug(&self, key: &'static str) -> Option<Located<Slug>> {
        self.string(key).and_then(|s| self.check(key, &s, Slug::parse))
    }

    /// Applies a parser to a located string, reporting its error at the value.
    pub fn check<T>(
        &self,
        key: &str,
        s: &Located<String>,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<Located<T>> {
        match parse(&s.value) {
            Ok(value) => Some(Located { value, at: s.at }),
            Err(e) => {
                self.ctx.error(s.at, format!("`{key}`: {e}"));
                None
            }
        }
    }

    /// One of an enum's words (the domain's [`Vocabulary`]).
    pub fn one_of<T: Vocabulary>(&self, key: &'static str) -> Option<Located<T>> {
        let s = self.string(key)?;
        self.word(key, &s)
    }

    fn word<T: Vocabulary>(&self, key: &str, s: &Located<String>) -> Option<Located<T>> {
        if let Some(value) = T::parse(&s.value) {
            return Some(Located { value, at: s.at });
        }
        self.ctx.error(s.at, format!("`{key}` is `{}`, expected one of {}", s.value, T::expected()));
        None
    }

    // -- arrays ---------------------------------------------------------------------

    fn array(&self, key: &'static str) -> Option<&'c [Spanned<DeValue<'i>>]> {
        let v = self.raw(key)?;
        match v.get_ref() {
            DeValue::Array(items) => Some(items.as_ref()),
            _ => {
                self.wrong_type(key, "an array", v);
                None
            }
        }
    }

    /// An optional array of strings; absent is empty.
    pub fn strings(&self, key: &'static str) -> Vec<Located<String>> {
        let Some(items) = self.array(key) else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|v| match v.get_ref() {
                DeValue::String(s) if !s.trim().is_empty() => {
                    Some(Located { value: s.to_string(), at: self.offset(v) })
                }
                DeValue::String(_) => {
                    self.ctx.error(self.offset(v), format!("`{key}` must not contain empty strings"));
                    None
                }
                _ => {
                    self.wrong_type(&format!("every item of `{key}`"), "a string", v);
                    None
                }
            })
            .collect()
    }

    /// An optional array of strings, located where the array is written; `None` when
    /// absent (unlike [`Table::strings`], an empty array is told apart from none).
    pub fn opt_strings(&self, key: &'static str) -> Option<Located<Vec<Located<String>>>> {
        let at = self.offset(self.raw(key)?);
        Some(Located { value: self.strings(key), at })
    }

    /// A required array of strings (it may be empty).
    pub fn req_strings(&self, key: &'static str) -> Option<Vec<Located<String>>> {
        if self.fields.get(key).is_none() {
            self.asked.borrow_mut().insert(key.to_owned());
            self.missing(key);
            return None;
        }
        Some(self.strings(key))
    }

    pub fn codes(&self, key: &'static str) -> Vec<Located<Code>> {
        self.strings(key).into_iter().filter_map(|s| self.check(key, &s, Code::parse)).collect()
    }

    pub fn slugs(&self, key: &'static str) -> Vec<Located<Slug>> {
        self.strings(key).into_iter().filter_map(|s| self.check(key, &s, Slug::parse)).collect()
    }

    /// A required array of an enum's words.
    pub fn words<T: Vocabulary>(&self, key: &'static str) -> Option<Vec<Located<T>>> {
        let items = self.req_strings(key)?;
        Some(items.into_iter().filter_map(|s| self.word(key, &s)).collect())
    }

    /// An optional array of tables (`[[key]]` or an inline array); absent is empty.
    pub fn tables(&self, key: &'static str) -> Vec<Table<'c, 'f, 'i>> {
        let Some(items) = self.array(key) else {
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| self.nested(key, v, format!("`{key}` entry {}", i + 1)))
            .collect()
    }

    /// An optional table.
    pub fn table(&self, key: &'static str) -> Option<Table<'c, 'f, 'i>> {
        let v = self.raw(key)?;
        self.nested(key, v, format!("`[{key}]`"))
    }

    /// An optional table of tables by name, such as `[translations.de]` and
    /// `[translations.fr]`: each name, located where it is written, with its table.
    pub fn named_tables(&self, key: &'static str) -> Vec<(Located<String>, Table<'c, 'f, 'i>)> {
        let Some(v) = self.raw(key) else {
            return Vec::new();
        };
        let DeValue::Table(tables) = v.get_ref() else {
            self.wrong_type(key, "a table", v);
            return Vec::new();
        };
        tables
            .iter()
            .filter_map(|(k, v)| {
                let name: &str = k.get_ref();
                let located = Located { value: name.to_owned(), at: self.ctx.base + k.span().start };
                self.nested(name, v, format!("`[{key}.{name}]`")).map(|t| (located, t))
            })
            .collect()
    }

    fn nested(&self, key: &str, v: &'c Spanned<DeValue<'i>>, what: String) -> Option<Table<'c, 'f, 'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(Table {
                ctx: self.ctx,
                fields: t,
                at: self.offset(v),
                what,
                asked: RefCell::new(BTreeSet::new()),
            }),
            _ => {
                self.wrong_type(key, "a table", v);
                None
            }
        }
    }

    // -- numbers and dates ----------------------------------------------------------

    pub fn opt_integer(&self, key: &'static str, range: RangeInclusive<i64>) -> Option<Located<i64>> {
        let v = self.raw(key)?;
        let DeValue::Integer(i) = v.get_ref() else {
            self.wrong_type(key, "an integer", v);
            return None;
        };
        let digits = i.as_str().replace('_', "");
        let value = i64::from_str_radix(digits.trim_start_matches('+'), i.radix()).ok();
        match value {
            Some(n) if range.contains(&n) => Some(Located { value: n, at: self.offset(v) }),
            _ => {
                self.ctx.error(
                    self.offset(v),
                    format!(
                        "`{key}` must be between {} and {}, found {}",
                        range.start(),
                        range.end(),
                        i.as_str()
                    ),
                );
                None
            }
        }
    }

    pub fn integer(&self, key: &'static str, range: RangeInclusive<i64>) -> Option<Located<i64>> {
        if self.fields.get(key).is_none() {
            self.asked.borrow_mut().insert(key.to_owned());
            self.missing(key);
            return None;
        }
        self.opt_integer(key, range)
    }

    pub fn opt_date(&self, key: &'static str) -> Option<Located<NaiveDate>> {
        let v = self.raw(key)?;
        let DeValue::Datetime(dt) = v.get_ref() else {
            self.wrong_type(key, "a date like 2026-11-30", v);
            return None;
        };
        let date = match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => {
                NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
            }
            _ => None,
        };
        if date.is_none() {
            self.ctx.error(self.offset(v), format!("`{key}` must be a date like 2026-11-30, found {dt}"));
        }
        date.map(|value| Located { value, at: self.offset(v) })
    }

    pub fn date(&self, key: &'static str) -> Option<Located<NaiveDate>> {
        if self.fields.get(key).is_none() {
            self.asked.borrow_mut().insert(key.to_owned());
            self.missing(key);
            return None;
        }
        self.opt_date(key)
    }

    /// Keys the table holds that match `accept`, taken as asked for (e.g. `label_de`).
    pub fn keys_matching(&self, accept: impl Fn(&str) -> bool) -> Vec<(String, Located<String>)> {
        let mut out = Vec::new();
        for (k, v) in self.fields {
            let key: &str = k.get_ref();
            if !accept(key) {
                continue;
            }
            self.asked.borrow_mut().insert(key.to_owned());
            match v.get_ref() {
                DeValue::String(s) => {
                    out.push((key.to_owned(), Located { value: s.to_string(), at: self.offset(v) }));
                }
                _ => self.wrong_type(key, "a string", v),
            }
        }
        out
    }

    /// Reports every field of the table that no reader asked for.
    pub fn finish(&self) {
        let asked = self.asked.borrow();
        for (k, _) in self.fields {
            let key: &str = k.get_ref();
            if asked.contains(key) {
                continue;
            }
            let expected = asked.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
            self.ctx.error(
                self.ctx.base + k.span().start,
                format!("unknown field `{key}` in {}, expected one of {expected}", self.what),
            );
        }
    }
}
