//! Search over answers, certifications, courses and topics: one in-memory tantivy index
//! per site locale, built from a [`Snapshot`] for every content generation.
//!
//! What a locale's index holds: the locale's answers (question, short answer, body text,
//! topics, exam codes), and every certification (code, title, credential, scope, summary,
//! technologies, roles, vendor), course (title, certification code, delivery) and topic
//! (title, description) in the words of that locale ([`texts`], the one place to plug in
//! catalog translations).
//!
//! The rules, each tested in `tests/search.rs`:
//! - **Words** are read by the locale's analyzer: split on anything that is not a letter or
//!   a digit, lower-cased, stop words of the language dropped, folded to ASCII (`Gerät`,
//!   `gerät` and `Gerat` are one word; `Geraet` is another), then stemmed with the
//!   language's Snowball stemmer (English for `en`, German for `de`, French for `fr`, none
//!   for another locale), so `Geräte` finds `Gerät` and `certifications` finds
//!   `certification`. The same analyzer reads the content and the query.
//! - **Exam codes are found however typed**: the query's letter-and-digit runs, alone and
//!   two or three adjacent ones joined, are compared with the catalog's codes in their
//!   compact form (`md102`), so `md102`, `MD 102`, `md-102` and `Md-102` all name MD-102.
//!   Runs that make a code are not also read as words. A certification (or course, or
//!   topic) whose own code the query names ranks first in its group.
//! - **One edit is forgiven in words of five letters or more** (as typed): the word,
//!   lower-cased and folded but not stemmed, matches the content's words as written within
//!   one insertion, deletion, substitution or swap of two neighbouring letters (tantivy's
//!   `FuzzyTermQuery`, transposition cost one, over fields of unstemmed words, since a typo
//!   can change a word's stem: `auotmation` and `automation` stem apart), ranked below
//!   exact matches; shorter words must match exactly (after stemming).
//! - **Every word and code must match** (in any field); when that finds nothing and the
//!   query has several, any of them may match, best first.
//! - **Groups**: results come in the order answers, certifications, courses, topics; best
//!   first within a group (an own-code hit first, then the score: BM25 with titles
//!   weighted three times the rest). Filters `kind`, `topic` (answers with the topic; a
//!   certification, its courses and answers with an exam topic; the topic itself) and
//!   `vendor` (certifications of the vendor, their courses, answers naming one).
//! - **Highlights** are ranges of the title and the excerpt that match a word or a code
//!   of the query, by the same rules; the web layer escapes the text and wraps the ranges
//!   in `<mark>`, so nothing typed reaches a page unescaped.
//! - **A query is at most [`MAX_QUERY`] characters** (an error that says so); an empty
//!   query, or one of stop words and punctuation only, finds nothing. Queries are built
//!   from the reader's tokens, never parsed as tantivy syntax, so quotes, brackets, `*`
//!   or NUL are ordinary separators.
//!
//! Lifecycle: [`Library`] holds the index of the newest snapshot it has built; a new one
//! is built off the async runtime ([`Library::build_in_background`]) at start and at every
//! content swap, while searches keep using the previous one. Each instance builds its own
//! index from the content it serves, so several instances on one database need nothing
//! more.

pub mod texts;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use arc_swap::ArcSwapOption;
use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder};
use tantivy::collector::TopDocs;
use tantivy::columnar::Column;
use tantivy::indexer::NoMergePolicy;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query as TantivyQuery, TermQuery};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STRING, Schema, TantivyDocument, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter,
    TextAnalyzer, TokenStream as _,
};
use tantivy::{Index as TantivyIndex, Searcher, Term};

use crate::domain::{Code, Slug, Vocabulary as _};
use crate::snapshot::Snapshot;

/// The longest query read, in characters.
pub const MAX_QUERY: usize = 200;

/// Words of this many letters or more forgive one edit.
const FUZZY_FROM: usize = 5;

/// How much a title match weighs against a match in the rest of the text.
const TITLE_BOOST: f32 = 3.0;

/// How much a match one edit away weighs (a constant score, below most exact matches).
const FUZZY_BOOST: f32 = 0.5;

/// The indexing arena of one locale's writer (tantivy's minimum is 15 MB); a locale that
/// needs more is written in several segments.
const WRITER_MEMORY: usize = 16_000_000;

/// The longest excerpt shown, in characters (about two lines).
const EXCERPT: usize = 220;

/// What a result is; also the order of the groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Answer,
    Certification,
    Course,
    Topic,
}

crate::domain::vocabulary::vocabulary!(Kind {
    Answer => "answer",
    Certification => "certification",
    Course => "course",
    Topic => "topic",
});

/// A query that cannot be served, worded for the reader.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the search is {0} characters long; at most {MAX_QUERY} are read")]
    TooLong(usize),
}

/// What the reader asks: the words as typed, and the filters (already checked against the
/// catalog by the caller).
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub text: String,
    pub kind: Option<Kind>,
    pub topic: Option<Slug>,
    pub vendor: Option<String>,
}

impl Query {
    /// A query of `text`, which must not be longer than [`MAX_QUERY`] characters.
    pub fn new(text: &str) -> Result<Self, QueryError> {
        let length = text.chars().count();
        if length > MAX_QUERY {
            return Err(QueryError::TooLong(length));
        }
        Ok(Self { text: text.trim().to_owned(), ..Self::default() })
    }
}

/// One result: which entry, whether it is the record of a code the query names, its score.
#[derive(Debug, Clone, Copy)]
pub struct Found {
    entry: u32,
    own_code: bool,
    score: f32,
}

/// A result ready to show: its text, and the byte ranges of the text to highlight.
#[derive(Debug, Clone)]
pub struct Shown<'a> {
    pub kind: Kind,
    pub title: &'a str,
    pub url: &'a str,
    pub title_marks: Vec<Range<usize>>,
    pub excerpt: String,
    pub excerpt_marks: Vec<Range<usize>>,
}

/// One searchable record of a locale, with what results show of it.
#[derive(Debug)]
struct Entry {
    kind: Kind,
    title: String,
    url: String,
    /// The texts an excerpt is taken from, in order of preference; then, for an answer,
    /// its body.
    passages: Vec<String>,
    /// An answer's place in the snapshot's answers: its body's text is made from the
    /// snapshot when an excerpt needs it, not kept here (it would be a second copy of
    /// every body, BENCHMARKS.md "## Search").
    answer: Option<usize>,
    /// The compact code when the record is a certification's own (its page, its course,
    /// its exam topic).
    own_code: Option<String>,
}

/// What an entry is indexed with, besides its title and entry.
#[derive(Debug, Default)]
struct Fields {
    text: Vec<String>,
    codes: Vec<String>,
    topics: Vec<String>,
    vendors: Vec<String>,
}

/// The schema's fields.
#[derive(Debug, Clone, Copy)]
struct Fieldset {
    entry: Field,
    kind: Field,
    title: Field,
    text: Field,
    /// The same words unstemmed, for the typo rule.
    title_spelled: Field,
    text_spelled: Field,
    code: Field,
    topic: Field,
    vendor: Field,
}

impl Fieldset {
    fn build() -> (Schema, Self) {
        let mut b = Schema::builder();
        let words = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let spelled = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(SPELLING).set_index_option(IndexRecordOption::Basic),
        );
        let fields = Self {
            entry: b.add_u64_field("entry", FAST),
            kind: b.add_text_field("kind", STRING),
            title: b.add_text_field("title", words.clone()),
            text: b.add_text_field("text", words),
            title_spelled: b.add_text_field("title_spelled", spelled.clone()),
            text_spelled: b.add_text_field("text_spelled", spelled),
            code: b.add_text_field("code", STRING),
            topic: b.add_text_field("topic", STRING),
            vendor: b.add_text_field("vendor", STRING),
        };
        (b.build(), fields)
    }
}

/// The name the locale's analyzer is registered under in each index.
const ANALYZER: &str = "words";
/// The name of the analyzer of words as written.
const SPELLING: &str = "spelling";

/// Words as written: split, lower-cased, folded to ASCII; no stop words dropped, no stems.
fn spelling() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The analyzer of a locale: see the module docs.
fn analyzer(locale: &str) -> TextAnalyzer {
    let language = match locale.split(['-', '_']).next().unwrap_or_default() {
        "en" => Some(Language::English),
        "de" => Some(Language::German),
        "fr" => Some(Language::French),
        _ => None,
    };
    let base = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser);
    match language {
        Some(language) => base
            .filter(StopWordFilter::new(language).expect("English, German and French have stop words"))
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(language))
            .dynamic()
            .build(),
        None => base.filter(AsciiFoldingFilter).dynamic().build(),
    }
}

/// The letter-and-digit runs of `text`, lower-cased, with their byte ranges.
fn runs(text: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((text[s..i].to_lowercase(), s..i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The codes of `codes` (compact forms) that one, two or three adjacent runs of `text`
/// spell, with the byte range they cover; a run is used by one code at most.
fn code_hits(text: &str, codes: &HashSet<String>) -> Vec<(String, Range<usize>)> {
    let runs = runs(text);
    let mut hits = Vec::new();
    let mut i = 0;
    while i < runs.len() {
        let found = (1..=3).rev().filter(|n| i + n <= runs.len()).find_map(|n| {
            let joined: String = runs[i..i + n].iter().map(|(r, _)| r.as_str()).collect();
            codes.contains(&joined).then(|| (joined, runs[i].1.start..runs[i + n - 1].1.end, n))
        });
        match found {
            Some((code, range, n)) => {
                hits.push((code, range));
                i += n;
            }
            None => i += 1,
        }
    }
    hits
}

/// A code's compact form: `MD-102` → `md102`.
pub fn compact(code: &str) -> String {
    code.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// One word of a query, as the analyzers read it.
struct Word {
    /// Its stem.
    term: String,
    /// For a word long enough to forgive an edit: as written (lower-cased, folded), and the
    /// automaton of the words one edit away from that.
    near: Option<(String, levenshtein_automata::DFA)>,
}

impl Word {
    /// Whether a word of the content, as written, is within one edit of this one.
    fn near(&self, spelled: &str) -> bool {
        self.near.as_ref().is_some_and(|(_, dfa)| matches!(dfa.eval(spelled), Distance::Exact(d) if d <= 1))
    }
}

/// A query read: the codes it names and its other words.
#[derive(Default)]
struct Reading {
    codes: Vec<String>,
    words: Vec<Word>,
}

static ONE_EDIT: LazyLock<LevenshteinAutomatonBuilder> =
    LazyLock::new(|| LevenshteinAutomatonBuilder::new(1, true));

/// The index of one locale.
struct LocaleIndex {
    searcher: Searcher,
    /// The `entry` column of each segment.
    entries: Vec<Column<u64>>,
    analyzer: TextAnalyzer,
    spelling: TextAnalyzer,
    records: Vec<Entry>,
}

impl std::fmt::Debug for LocaleIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocaleIndex").field("records", &self.records.len()).finish_non_exhaustive()
    }
}

impl LocaleIndex {
    /// The byte ranges of `text` that match a code or a word of the reading.
    fn marks(&self, reading: &Reading, text: &str) -> Vec<Range<usize>> {
        if reading.codes.is_empty() && reading.words.is_empty() {
            return Vec::new();
        }
        let names: HashSet<String> = reading.codes.iter().cloned().collect();
        let mut marks: Vec<Range<usize>> = code_hits(text, &names).into_iter().map(|(_, r)| r).collect();
        let mut analyzer = self.analyzer.clone();
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            let range = token.offset_from..token.offset_to;
            if marks.iter().any(|m| m.contains(&range.start)) {
                continue;
            }
            if reading.words.iter().any(|w| w.term == token.text) {
                marks.push(range);
            }
        }
        if reading.words.iter().any(|w| w.near.is_some()) {
            let mut spelling = self.spelling.clone();
            let mut stream = spelling.token_stream(text);
            while let Some(token) = stream.next() {
                let range = token.offset_from..token.offset_to;
                if !marks.iter().any(|m| m.contains(&range.start))
                    && reading.words.iter().any(|w| w.near(&token.text))
                {
                    marks.push(range);
                }
            }
        }
        marks.sort_by_key(|r| r.start);
        marks
    }
}

/// The indexes of every locale of one snapshot.
pub struct Index {
    /// The snapshot's generation (`Snapshot::generation`).
    pub generation: u64,
    /// The snapshot indexed: answers' bodies for excerpts.
    snapshot: Arc<Snapshot>,
    locales: HashMap<String, LocaleIndex>,
    /// Every certification's code in compact form.
    codes: HashSet<String>,
    fields: Fieldset,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("generation", &self.generation)
            .field("locales", &self.locales)
            .finish_non_exhaustive()
    }
}

impl Index {
    /// Builds the indexes of every locale of `snapshot`, one thread per locale.
    pub fn build(snapshot: &Arc<Snapshot>) -> tantivy::Result<Self> {
        Self::build_with(snapshot, true)
    }

    /// Builds the indexes of every locale of `snapshot`: with `parallel`, one thread per
    /// locale (the first index of a process: search is ready sooner); without, one locale
    /// after another (a content swap: the previous index serves meanwhile, and the build's
    /// working memory is one locale's, not every locale's at once, while two snapshots
    /// are in memory).
    pub fn build_with(snapshot: &Arc<Snapshot>, parallel: bool) -> tantivy::Result<Self> {
        let (schema, fields) = Fieldset::build();
        let codes: HashSet<String> =
            snapshot.catalog.certifications.keys().map(|c| compact(c.as_str())).collect();
        let locales_of_site = &snapshot.catalog.site.locales;
        let built: Vec<(String, tantivy::Result<LocaleIndex>)> = if parallel {
            std::thread::scope(|scope| {
                let handles: Vec<_> = locales_of_site
                    .iter()
                    .map(|locale| (locale, scope.spawn(|| build_locale(snapshot, locale, &schema, fields))))
                    .collect();
                handles
                    .into_iter()
                    .map(|(locale, handle)| {
                        let index = handle.join().unwrap_or_else(|_| {
                            Err(tantivy::TantivyError::InternalError(format!(
                                "building the index of {locale} panicked"
                            )))
                        });
                        (locale.clone(), index)
                    })
                    .collect()
            })
        } else {
            locales_of_site
                .iter()
                .map(|locale| (locale.clone(), build_locale(snapshot, locale, &schema, fields)))
                .collect()
        };
        let mut locales = HashMap::new();
        for (locale, index) in built {
            locales.insert(locale, index?);
        }
        Ok(Self { generation: snapshot.generation, snapshot: snapshot.clone(), locales, codes, fields })
    }

    /// Every result of `query` in `locale`, grouped and best first (see the module docs).
    pub fn search(&self, locale: &str, query: &Query) -> Vec<Found> {
        let Some(index) = self.locales.get(locale) else { return Vec::new() };
        let reading = self.read(index, &query.text);
        let clauses = self.clauses(&reading);
        if clauses.is_empty() {
            return Vec::new();
        }
        let several = clauses.len() > 1;
        let mut found = self.run(index, query, clauses, Occur::Must, &reading);
        if found.is_empty() && several {
            found = self.run(index, query, self.clauses(&reading), Occur::Should, &reading);
        }
        found
    }

    /// The results `found` of `query` in `locale` ready to show, with their highlights
    /// and excerpts (only those of a page are asked for).
    pub fn show<'a>(&'a self, locale: &str, query: &Query, found: &[Found]) -> Vec<Shown<'a>> {
        let Some(index) = self.locales.get(locale) else { return Vec::new() };
        let reading = self.read(index, &query.text);
        found
            .iter()
            .filter_map(|f| index.records.get(f.entry as usize))
            .map(|entry| {
                // The first passage with a match, else the first passage. An answer's
                // body is read (from the snapshot) only when its short answer has no match.
                let body = entry.answer.and_then(|i| self.snapshot.catalog.answers.get(i));
                let (excerpt, excerpt_marks) = entry
                    .passages
                    .iter()
                    .map(|p| Cow::Borrowed(p.as_str()))
                    .chain(body.map(|a| Cow::Owned(crate::markdown::to_text(&a.body))))
                    .map(|p| {
                        let m = index.marks(&reading, &p);
                        (p, m)
                    })
                    .find(|(_, m)| !m.is_empty())
                    .or_else(|| entry.passages.first().map(|p| (Cow::Borrowed(p.as_str()), Vec::new())))
                    .map_or_else(|| (String::new(), Vec::new()), |(p, m)| excerpt(&p, &m));
                Shown {
                    kind: entry.kind,
                    title: &entry.title,
                    url: &entry.url,
                    title_marks: index.marks(&reading, &entry.title),
                    excerpt,
                    excerpt_marks,
                }
            })
            .collect()
    }

    /// How many records `locale` has (for tests and figures).
    pub fn len(&self, locale: &str) -> usize {
        self.locales.get(locale).map_or(0, |i| i.records.len())
    }

    pub fn is_empty(&self) -> bool {
        self.locales.values().all(|i| i.records.is_empty())
    }

    fn read(&self, index: &LocaleIndex, text: &str) -> Reading {
        let codes = code_hits(text, &self.codes);
        let mut spelled: HashMap<usize, String> = HashMap::new();
        let mut spelling = index.spelling.clone();
        let mut stream = spelling.token_stream(text);
        while let Some(token) = stream.next() {
            spelled.insert(token.offset_from, token.text.clone());
        }
        let mut analyzer = index.analyzer.clone();
        let mut stream = analyzer.token_stream(text);
        let mut words: Vec<Word> = Vec::new();
        while let Some(token) = stream.next() {
            if codes.iter().any(|(_, r)| r.contains(&token.offset_from)) {
                continue;
            }
            let typed = text.get(token.offset_from..token.offset_to).map_or(0, |t| t.chars().count());
            if !words.iter().any(|w| w.term == token.text) {
                let near = spelled.remove(&token.offset_from).filter(|_| typed >= FUZZY_FROM).map(|w| {
                    let dfa = ONE_EDIT.build_dfa(&w);
                    (w, dfa)
                });
                words.push(Word { term: token.text.clone(), near });
            }
        }
        let mut names: Vec<String> = codes.into_iter().map(|(c, _)| c).collect();
        names.dedup();
        Reading { codes: names, words }
    }

    /// One query per code and word of the reading.
    fn clauses(&self, reading: &Reading) -> Vec<Box<dyn TantivyQuery>> {
        let f = self.fields;
        let mut clauses: Vec<Box<dyn TantivyQuery>> = Vec::new();
        for code in &reading.codes {
            let term = TermQuery::new(Term::from_field_text(f.code, code), IndexRecordOption::Basic);
            clauses.push(Box::new(BoostQuery::new(Box::new(term), TITLE_BOOST)));
        }
        for word in &reading.words {
            let mut either: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
            for (field, spelled, boost) in
                [(f.title, f.title_spelled, TITLE_BOOST), (f.text, f.text_spelled, 1.0)]
            {
                let exact =
                    TermQuery::new(Term::from_field_text(field, &word.term), IndexRecordOption::WithFreqs);
                either.push((Occur::Should, Box::new(BoostQuery::new(Box::new(exact), boost))));
                if let Some((written, _)) = &word.near {
                    let near = FuzzyTermQuery::new(Term::from_field_text(spelled, written), 1, true);
                    either.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(near), FUZZY_BOOST * boost)),
                    ));
                }
            }
            clauses.push(Box::new(BooleanQuery::new(either)));
        }
        clauses
    }

    fn run(
        &self,
        index: &LocaleIndex,
        query: &Query,
        clauses: Vec<Box<dyn TantivyQuery>>,
        occur: Occur,
        reading: &Reading,
    ) -> Vec<Found> {
        let f = self.fields;
        let words = BooleanQuery::new(clauses.into_iter().map(|c| (occur, c)).collect());
        let mut all: Vec<(Occur, Box<dyn TantivyQuery>)> = vec![(Occur::Must, Box::new(words))];
        let mut filter = |field: Field, value: &str| {
            let term = TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic);
            all.push((Occur::Must, Box::new(BoostQuery::new(Box::new(term), 0.0))));
        };
        if let Some(kind) = query.kind {
            filter(f.kind, kind.as_str());
        }
        if let Some(topic) = &query.topic {
            filter(f.topic, topic.as_str());
        }
        if let Some(vendor) = &query.vendor {
            filter(f.vendor, vendor);
        }
        let limit = usize::try_from(index.searcher.num_docs()).unwrap_or(usize::MAX).max(1);
        let top = match index.searcher.search(&BooleanQuery::new(all), &TopDocs::with_limit(limit)) {
            Ok(top) => top,
            Err(e) => {
                tracing::error!(error = %e, "a search failed");
                return Vec::new();
            }
        };
        let mut found: Vec<Found> = top
            .into_iter()
            .filter_map(|(score, address)| {
                let entry = index.entries.get(address.segment_ord as usize)?.first(address.doc_id)?;
                let entry = u32::try_from(entry).ok()?;
                let own_code = index.records[entry as usize]
                    .own_code
                    .as_ref()
                    .is_some_and(|c| reading.codes.contains(c));
                Some(Found { entry, own_code, score })
            })
            .collect();
        found.sort_by(|a, b| {
            let kind = |x: &Found| index.records[x.entry as usize].kind;
            kind(a)
                .cmp(&kind(b))
                .then(b.own_code.cmp(&a.own_code))
                .then(b.score.total_cmp(&a.score))
                .then(a.entry.cmp(&b.entry))
        });
        found
    }
}

/// The index of one locale: its records, written by one indexing thread into RAM.
fn build_locale(
    snapshot: &Snapshot,
    locale: &str,
    schema: &Schema,
    fields: Fieldset,
) -> tantivy::Result<LocaleIndex> {
    let records = records(snapshot, locale);
    let index = TantivyIndex::create_in_ram(schema.clone());
    index.tokenizers().register(ANALYZER, analyzer(locale));
    index.tokenizers().register(SPELLING, spelling());
    let mut writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    for (i, (entry, indexed)) in records.iter().enumerate() {
        let mut doc = TantivyDocument::new();
        doc.add_u64(fields.entry, i as u64);
        doc.add_text(fields.kind, entry.kind.as_str());
        doc.add_text(fields.title, &entry.title);
        doc.add_text(fields.title_spelled, &entry.title);
        for t in &indexed.text {
            doc.add_text(fields.text, t);
            doc.add_text(fields.text_spelled, t);
        }
        for c in &indexed.codes {
            doc.add_text(fields.code, c);
        }
        for t in &indexed.topics {
            doc.add_text(fields.topic, t);
        }
        for v in &indexed.vendors {
            doc.add_text(fields.vendor, v);
        }
        writer.add_document(doc)?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    let searcher = index.reader()?.searcher();
    let entries = searcher
        .segment_readers()
        .iter()
        .map(|s| s.fast_fields().u64("entry"))
        .collect::<tantivy::Result<_>>()?;
    Ok(LocaleIndex {
        searcher,
        entries,
        analyzer: analyzer(locale),
        spelling: spelling(),
        records: records.into_iter().map(|(e, _)| e).collect(),
    })
}

/// A window of at most [`EXCERPT`] characters of `text` around its first mark, cut at
/// spaces, with `…` where it was cut; the marks moved into it.
fn excerpt(text: &str, marks: &[Range<usize>]) -> (String, Vec<Range<usize>>) {
    // The marks count from the text as given; the excerpt from the text trimmed. A mark
    // that is not on characters of the trimmed text is dropped, never sliced at.
    let lead = text.len() - text.trim_start().len();
    let text = text.trim();
    let marks: Vec<Range<usize>> = marks
        .iter()
        .filter(|m| m.start >= lead)
        .map(|m| m.start - lead..m.end - lead)
        .filter(|m| m.start < m.end && m.end <= text.len())
        .filter(|m| text.is_char_boundary(m.start) && text.is_char_boundary(m.end))
        .collect();
    if text.chars().count() <= EXCERPT {
        return (text.to_owned(), marks);
    }
    // Start a little before the first mark, at a space.
    let first = marks.first().map_or(0, |m| m.start);
    let mut start = text[..first].char_indices().rev().nth(60).map_or(0, |(i, _)| i);
    if start > 0 {
        start = text[start..].find(' ').map_or(start, |s| start + s + 1).min(first);
    }
    let mut end = text[start..].char_indices().nth(EXCERPT).map_or(text.len(), |(i, _)| start + i);
    if end < text.len() {
        end = text[start..end].rfind(' ').map_or(end, |e| start + e).max(start);
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    // Where the text's byte `start` lands in `out`.
    let prefix = out.len();
    out.push_str(text[start..end].trim_end());
    let body_end = out.len();
    if end < text.len() {
        out.push('…');
    }
    let moved = marks
        .iter()
        .filter(|m| m.start >= start && m.end <= end)
        .map(|m| m.start - start + prefix..m.end - start + prefix)
        .filter(|m| m.end <= body_end)
        .collect();
    (out, moved)
}

/// Every record of `locale` with what it is indexed with: answers, certifications with
/// their courses, topics.
fn records(snapshot: &Snapshot, locale: &str) -> Vec<(Entry, Fields)> {
    let mut out = answer_records(snapshot, locale);
    out.extend(certification_records(snapshot, locale));
    out.extend(topic_records(snapshot, locale));
    out
}

fn answer_records(snapshot: &Snapshot, locale: &str) -> Vec<(Entry, Fields)> {
    let catalog = &snapshot.catalog;
    let vendor_of = |code: &Code| catalog.certification(code).map(|c| c.vendor.clone());
    snapshot
        .answers_numbered(locale)
        .map(|(number, a)| {
            let body = crate::markdown::to_text(&a.body);
            let topics: Vec<String> = a
                .topics
                .iter()
                .map(|t| texts::topic(&catalog.topic(t), catalog.locales(locale)).title.into_owned())
                .collect();
            (
                Entry {
                    kind: Kind::Answer,
                    title: a.question.clone(),
                    url: format!("/{locale}/answers/{}", a.slug),
                    passages: vec![a.short_answer.clone()],
                    answer: Some(number),
                    own_code: None,
                },
                Fields {
                    text: vec![
                        a.short_answer.clone(),
                        body,
                        topics.join(", "),
                        a.certifications.iter().map(Code::as_str).collect::<Vec<_>>().join(" "),
                    ],
                    codes: a.certifications.iter().map(|c| compact(c.as_str())).collect(),
                    topics: a.topics.iter().map(ToString::to_string).collect(),
                    vendors: a.certifications.iter().filter_map(vendor_of).collect(),
                },
            )
        })
        .collect()
}

/// Certifications, each followed by its courses. A certification (and its courses) has
/// its exam topic and the topics of the locale's answers that name it.
fn certification_records(snapshot: &Snapshot, locale: &str) -> Vec<(Entry, Fields)> {
    let catalog = &snapshot.catalog;
    let mut cert_topics: HashMap<&Code, Vec<String>> = HashMap::new();
    for topic in snapshot.topics() {
        if let Some(cert) = catalog.topic_certification(topic) {
            cert_topics.entry(&cert.code).or_default().push(topic.to_string());
        }
    }
    for a in snapshot.answers(locale) {
        for c in &a.certifications {
            cert_topics.entry(c).or_default().extend(a.topics.iter().map(ToString::to_string));
        }
    }
    let list =
        |v: &[std::borrow::Cow<'_, str>]| v.iter().map(AsRef::as_ref).collect::<Vec<&str>>().join(", ");
    let mut out = Vec::new();
    for c in catalog.certifications.values() {
        let t = texts::certification(c, catalog.locales(locale));
        let mut topics = cert_topics.remove(&c.code).unwrap_or_default();
        topics.sort();
        topics.dedup();
        let own = compact(t.code);
        out.push((
            Entry {
                kind: Kind::Certification,
                title: format!("{}: {}", t.code, t.title),
                url: format!("/{locale}/certifications/{}", c.code.to_lowercase()),
                passages: vec![
                    t.summary.to_string(),
                    t.scope.to_string(),
                    list(&t.technologies),
                    list(&t.roles),
                ],
                answer: None,
                own_code: Some(own.clone()),
            },
            Fields {
                text: vec![
                    t.credential.to_string(),
                    t.scope.to_string(),
                    t.summary.to_string(),
                    list(&t.technologies),
                    list(&t.roles),
                    t.vendor.to_owned(),
                ],
                codes: vec![own.clone()],
                topics: topics.clone(),
                vendors: vec![t.vendor.to_owned()],
            },
        ));
        for course in catalog.courses_for(&c.code) {
            let ct = texts::course(course, catalog.locales(locale));
            out.push((
                Entry {
                    kind: Kind::Course,
                    title: ct.title.to_string(),
                    url: format!("/{locale}/courses/{}", course.slug),
                    passages: vec![format!("{}: {}", ct.certification, t.title), ct.delivery.join(", ")],
                    answer: None,
                    own_code: Some(own.clone()),
                },
                Fields {
                    text: vec![ct.certification.to_owned(), ct.delivery.join(" ")],
                    codes: vec![own.clone()],
                    topics: topics.clone(),
                    vendors: vec![t.vendor.to_owned()],
                },
            ));
        }
    }
    out
}

/// Every topic; an exam topic belongs to its certification's code and vendor.
fn topic_records(snapshot: &Snapshot, locale: &str) -> Vec<(Entry, Fields)> {
    let catalog = &snapshot.catalog;
    snapshot
        .topics()
        .iter()
        .map(|slug| {
            let topic = catalog.topic(slug);
            let t = texts::topic(&topic, catalog.locales(locale));
            let cert = catalog.topic_certification(slug);
            let own = cert.map(|c| compact(c.code.as_str()));
            (
                Entry {
                    kind: Kind::Topic,
                    title: t.title.to_string(),
                    url: format!("/{locale}/topics/{slug}"),
                    passages: vec![t.description.to_string()],
                    answer: None,
                    own_code: own.clone(),
                },
                Fields {
                    text: vec![t.description.to_string()],
                    codes: own.into_iter().collect(),
                    topics: vec![slug.to_string()],
                    vendors: cert.map(|c| c.vendor.clone()).into_iter().collect(),
                },
            )
        })
        .collect()
}

/// One record of a locale as a search without a server reads it (the static export's
/// index, `static_site::search_index`): the same records this index holds, with their
/// words as written (split, lower-cased, folded to ASCII: [`spelling`]) instead of stems,
/// since no Snowball stemmer runs in the browser, and their codes in compact form, so the
/// browser can apply the code rule (`md102`, `MD 102`, `md-102`).
#[derive(Debug, serde::Serialize)]
pub struct PlainRecord {
    pub kind: &'static str,
    pub title: String,
    pub url: String,
    /// The first passage (an answer's short answer, a certification's summary).
    pub excerpt: String,
    pub codes: Vec<String>,
    /// Every distinct word of the title and the indexed text, sorted.
    pub words: Vec<String>,
}

/// The records of `locale`, in the order [`records`] gives them (answers, certifications
/// each followed by its courses, topics).
pub fn plain_records(snapshot: &Snapshot, locale: &str) -> Vec<PlainRecord> {
    let mut analyzer = spelling();
    records(snapshot, locale)
        .into_iter()
        .map(|(entry, fields)| {
            let mut words = std::collections::BTreeSet::new();
            for text in std::iter::once(&entry.title).chain(&fields.text) {
                let mut stream = analyzer.token_stream(text);
                while let Some(token) = stream.next() {
                    words.insert(token.text.clone());
                }
            }
            PlainRecord {
                kind: entry.kind.as_str(),
                excerpt: entry.passages.into_iter().next().unwrap_or_default(),
                title: entry.title,
                url: entry.url,
                codes: fields.codes,
                words: words.into_iter().collect(),
            }
        })
        .collect()
}

/// The search index of the newest snapshot built so far: searches read it while a newer
/// one is being built.
#[derive(Debug, Default)]
pub struct Library {
    current: ArcSwapOption<Index>,
}

impl Library {
    /// The index to search, once one exists.
    pub fn current(&self) -> Option<Arc<Index>> {
        self.current.load_full()
    }

    /// Builds the index of `snapshot` here and installs it, unless a newer one is there.
    pub fn build(&self, snapshot: &Arc<Snapshot>) {
        let started = std::time::Instant::now();
        // In parallel for the first index, one locale at a time when one already serves.
        let parallel = self.current().is_none();
        match Index::build_with(snapshot, parallel) {
            Ok(index) => {
                let index = Arc::new(index);
                self.current.rcu(|current| match current {
                    Some(c) if c.generation > index.generation => Some(c.clone()),
                    _ => Some(index.clone()),
                });
                tracing::info!(
                    "search index of snapshot {} built in {} ms",
                    snapshot.generation,
                    started.elapsed().as_millis()
                );
            }
            Err(e) => tracing::error!(error = %e, "building the search index failed; the previous one stays"),
        }
    }

    /// Builds the index of `snapshot` on a thread of its own (off the async runtime), so
    /// neither start-up nor a content swap waits for it.
    pub fn build_in_background(self: &Arc<Self>, snapshot: Arc<Snapshot>) {
        let library = self.clone();
        let spawned = std::thread::Builder::new()
            .name("certwise-search-index".into())
            .spawn(move || library.build(&snapshot));
        if let Err(e) = spawned {
            tracing::error!(error = %e, "could not start building the search index");
        }
    }

    /// Waits until an index of `generation` or newer is installed, at most `limit`;
    /// whether it is.
    pub async fn ready(&self, generation: u64, limit: Duration) -> bool {
        let until = std::time::Instant::now() + limit;
        loop {
            if self.current().is_some_and(|i| i.generation >= generation) {
                return true;
            }
            if std::time::Instant::now() >= until {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes() -> HashSet<String> {
        ["md102", "ms102", "az104"].into_iter().map(String::from).collect()
    }

    #[test]
    fn codes_are_found_however_typed() {
        for q in ["md102", "MD 102", "md-102", "Md-102", "about MD  -  102 please"] {
            let hits = code_hits(q, &codes());
            assert_eq!(hits.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(), ["md102"], "{q}");
        }
        assert!(code_hits("md 10 2x", &codes()).is_empty());
        let hits = code_hits("MD-102 vs MS-102", &codes());
        assert_eq!(hits.len(), 2);
        assert_eq!(&"MD-102 vs MS-102"[hits[1].1.clone()], "MS-102");
    }

    /// The marked words of an excerpt.
    fn marked(text: &str, marks: &[Range<usize>]) -> Vec<String> {
        let (out, moved) = excerpt(text, marks);
        moved.iter().map(|m| out[m.clone()].to_owned()).collect()
    }

    #[test]
    #[expect(clippy::single_range_in_vec_init, reason = "a list of marks that has one mark")]
    fn excerpts_keep_their_marks_on_the_words_whatever_the_whitespace_and_the_cut() {
        // Leading whitespace before a word with a multi-byte first letter, short and long.
        let short = "  Évaluer les appareils";
        let at = short.find("Évaluer").unwrap();
        assert_eq!(marked(short, &[at..at + "Évaluer".len()]), ["Évaluer"]);
        let long = format!(" Évaluer {}", "les appareils et leurs applications ".repeat(10));
        assert_eq!(marked(&long, &[1..1 + "Évaluer".len()]), ["Évaluer"]);
        let last = long.trim_end().rfind("applications").unwrap();
        let (out, moved) = excerpt(&long, &[last..last + "applications".len()]);
        assert_eq!(moved.iter().map(|m| &out[m.clone()]).collect::<Vec<_>>(), ["applications"], "{out}");
        // A cut one or two bytes in: the mark stays on its word.
        for pad in ["a ", "ab "] {
            let text = format!("{pad}{}", "word ".repeat(12) + "target " + &"more ".repeat(50));
            let at = text.find("target").unwrap();
            assert_eq!(marked(&text, &[at..at + 6]), ["target"], "{pad:?}");
        }
        // Marks off the text's characters are dropped, never sliced at.
        assert!(marked("  é", &[0..1, 2..3, 5..9]).is_empty());
    }

    #[test]
    fn a_long_query_is_refused_with_its_length() {
        assert!(Query::new(&"a".repeat(200)).is_ok());
        assert_eq!(Query::new(&"é".repeat(201)).unwrap_err(), QueryError::TooLong(201));
    }

    #[test]
    fn an_excerpt_is_cut_at_spaces_around_the_first_mark() {
        let text = format!("{} needle {}", "word ".repeat(100), "tail ".repeat(100));
        let at = text.find("needle").unwrap();
        let needle = at..at + 6;
        let (excerpt, marks) = excerpt(&text, std::slice::from_ref(&needle));
        assert!(excerpt.starts_with('…') && excerpt.ends_with('…'), "{excerpt}");
        assert_eq!(&excerpt[marks[0].clone()], "needle");
        assert!(excerpt.chars().count() <= EXCERPT + 2);
    }

    #[test]
    fn analyzers_stem_and_fold_per_language() {
        let terms = |locale: &str, text: &str| {
            let mut a = analyzer(locale);
            let mut s = a.token_stream(text);
            let mut out = Vec::new();
            while let Some(t) = s.next() {
                out.push(t.text.clone());
            }
            out
        };
        assert_eq!(terms("de", "Geräte"), terms("de", "Gerat"));
        assert_eq!(terms("en", "certifications"), terms("en", "certification"));
        assert_eq!(terms("fr", "appareils"), terms("fr", "appareil"));
        assert!(terms("en", "the and of").is_empty());
    }
}
