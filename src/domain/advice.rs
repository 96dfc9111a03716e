//! The advisor's rules: how well an exam fits a reader's responsibilities, the path of
//! exams that covers them, and the mismatches of an assigned exam. Written once here;
//! the advisor, the team planner, the comparison and the API all call them.
//!
//! # Score
//! A reader ticks responsibilities `R`, each with an emphasis `e(r)` ∈ {1, 2, 3}. Each
//! domain `d` of exam X weighs `w(d)`, the midpoint of its weight range, split equally
//! among its responsibilities `resp(d)` (a domain without responsibilities still counts
//! in the exam's total weight).
//!
//! - **Share** of X on a responsibility r: Σ over the domains with r of
//!   `w(d) / |resp(d)|`, divided by `Σ w(d)`.
//! - **Relevance** = Σ over X's domains of `w(d) × Σ_{r ∈ R ∩ resp(d)} e(r) / (3 × |resp(d)|)`,
//!   divided by `Σ w(d)`: the part of the exam that is about what the reader does,
//!   weighted by how much it matters to them.
//! - **Coverage** = Σ `e(r)` over the reader's r on which X's share is at least
//!   [`COVERED_SHARE`] (10 %), divided by Σ `e(r)`.
//! - **Score** = 100 × the harmonic mean of relevance and coverage, 0 when either is 0.
//!
//! The explanation ([`Focus`]) is drawn from the same numbers: the reader's
//! responsibility with the largest share of the exam, whether the reader weighted it
//! highest, and how many of their responsibilities the exam covers.
//!
//! # Path
//! An exam the catalog knows no domains of (a new exam is announced before its outline)
//! counts, everywhere in the path — held, chosen, taken, weighed as a prerequisite — with
//! the domains of the exam that *speaks for* it: the first exam by code that has domains
//! and whose successor chain leads to it (the exam it replaces); with none, its own (no)
//! domains. An exam with domains speaks for itself. In the path, an exam *covers* a
//! responsibility when the exam that speaks for it has a share of at least
//! [`COVERED_SHARE`] in it; the catalog *can cover* a responsibility when a current exam
//! (not retired that day) covers it.
//!
//! Exams are taken best score first — the score of the exam that speaks for each, on the
//! day of the advice; exams with domains, retired ones included (see below), and current
//! exams without domains; at equal scores, those with domains first, then by level, then
//! code — until every responsibility of
//! emphasis 2 or 3 that the catalog can cover is covered — by an exam of the path or one
//! the reader holds. An exam whose current form would cover none of the responsibilities
//! still open is passed over. The responsibilities of emphasis 2 or 3 the catalog cannot
//! cover are reported as uncovered.
//! - Nothing the reader holds is in the path, and no exam twice.
//! - A retired exam is replaced by its *current form*: the first current exam of its
//!   successor chain, with a note naming what it replaces; the step covers what its
//!   current form covers. When the chain leaves the catalog or ends on a retired exam, the
//!   exam is reported as having no successor in the catalog (when a domain of the exam
//!   that speaks for it names a responsibility still open), and the path goes on without
//!   it.
//! - Before an exam, its prerequisite — the catalog's "any one of". An alternative is
//!   *met* by itself or by any exam of its successor chain (whoever holds the successor of
//!   a retired exam is not asked to take the retired one), held or already in the path —
//!   except the exam itself. When no alternative is met, the current form of an
//!   alternative is added, neither held nor the exam itself, with the best score for this
//!   reader, ties by level then code — and that prerequisite's own, first. When the exam's
//!   prerequisites are `uncertain`, the step is marked unconfirmed.
//! - A retiring exam is flagged with its date.
//! - Order: a step comes after every step that meets an alternative of its prerequisite
//!   and after the step added as its prerequisite; then lower levels before higher, then
//!   the order they were chosen in (a prerequisite is chosen just before what needs it).
//! - Cycles: `check` refuses only an exam that requires itself, so prerequisites can close
//!   a cycle through successors (X requires A, retired for Y, and Y requires X). An exam
//!   counts as in the path from the moment it is chosen, so the exam that closes the
//!   cycle finds its prerequisite met and the path stays finite. Steps of a cycle wait
//!   for each other, so "after" cannot hold for all of them: a step may come next when
//!   every step left that it waits for (directly or through other steps) also waits for
//!   it, and of those the lower level comes first, then the order chosen. A step
//!   therefore comes before one it waits for only when that one waits, directly or
//!   through other steps, for it.
//!
//! # Mismatches
//! Of an exam assigned to a person, on the day of the plan:
//! - *coverage*: its score (an exam without domains scored by the exam that speaks for
//!   it, as in a path) is below half of the person's best score (over the exams one can
//!   take — not retired — and does not hold yet) and at least 20 points under it; the
//!   better exam is named;
//! - *prerequisite*: it has prerequisites and the person holds none of them (an
//!   alternative is met by itself or an exam of its successor chain, as in a path);
//! - *lifecycle*: it is retired that day, or retires within 90 days.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::{Catalog, Certification, Code, Course, Level, Lifecycle, Money, Slug};

/// The share of an exam a responsibility must have to count as covered by it.
pub const COVERED_SHARE: f64 = 0.10;

/// An exam assigned fewer than this many points under the person's best exam is not a
/// coverage mismatch, even when it scores under half of the best.
pub const MISMATCH_POINTS: f64 = 20.0;

/// An exam that retires within this many days of the plan is a lifecycle mismatch.
pub const RETIRING_SOON_DAYS: i64 = 90;

/// How much a responsibility matters to a reader: 1, 2 or 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "u8")]
pub struct Emphasis(u8);

impl Emphasis {
    pub const MAX: Emphasis = Emphasis(3);

    /// ```
    /// use certwise::domain::advice::Emphasis;
    /// assert_eq!(Emphasis::new(3).map(Emphasis::get), Some(3));
    /// assert!(Emphasis::new(0).is_none() && Emphasis::new(4).is_none());
    /// ```
    pub fn new(value: u8) -> Option<Self> {
        (1..=3).contains(&value).then_some(Self(value))
    }

    pub fn get(self) -> u8 {
        self.0
    }

    /// Whether the path must cover a responsibility of this emphasis (2 or 3).
    pub fn is_needed(self) -> bool {
        self.0 >= 2
    }
}

impl From<Emphasis> for u8 {
    fn from(e: Emphasis) -> u8 {
        e.0
    }
}

/// What a reader does and already holds: the input of every rule here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    pub responsibilities: BTreeMap<Slug, Emphasis>,
    pub held: BTreeSet<Code>,
}

impl Needs {
    fn total_emphasis(&self) -> u32 {
        self.responsibilities.values().map(|e| u32::from(e.0)).sum()
    }

    fn highest(&self) -> Option<Emphasis> {
        self.responsibilities.values().max().copied()
    }
}

/// The midpoint of a domain's weight range.
fn midpoint(domain: &super::SkillDomain) -> f64 {
    f64::midpoint(f64::from(domain.weight_min), f64::from(domain.weight_max))
}

/// How much of an exam is about each responsibility its domains name (fractions of 1,
/// summing to at most 1: domains without responsibilities keep their part).
pub fn shares(cert: &Certification) -> BTreeMap<&Slug, f64> {
    let total: f64 = cert.domains.iter().map(midpoint).sum();
    let mut shares: BTreeMap<&Slug, f64> = BTreeMap::new();
    if total <= 0.0 {
        return shares;
    }
    for domain in &cert.domains {
        if domain.responsibilities.is_empty() {
            continue;
        }
        #[expect(clippy::cast_precision_loss, reason = "a domain names a handful of responsibilities")]
        let each = midpoint(domain) / domain.responsibilities.len() as f64 / total;
        for r in &domain.responsibilities {
            *shares.entry(r).or_default() += each;
        }
    }
    shares
}

/// The share of `cert` on `responsibility`.
pub fn share(cert: &Certification, responsibility: &Slug) -> f64 {
    shares(cert).get(responsibility).copied().unwrap_or(0.0)
}

/// Whether `cert` covers `responsibility`: at least [`COVERED_SHARE`] of it is about it.
pub fn covers(cert: &Certification, responsibility: &Slug) -> bool {
    share(cert, responsibility) >= COVERED_SHARE
}

/// The reader's responsibility that takes the largest share of an exam: what its
/// explanation leads with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Focus {
    pub responsibility: Slug,
    /// 0..=1.
    pub share: f64,
    pub emphasis: Emphasis,
    /// Whether no responsibility of the reader has a higher emphasis.
    pub highest: bool,
}

/// How well one exam fits one reader.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub code: Code,
    /// 0..=1.
    pub relevance: f64,
    /// 0..=1.
    pub coverage: f64,
    /// 0..=100.
    pub score: f64,
    /// The reader's responsibilities the exam covers, in id order.
    pub covered: Vec<Slug>,
    /// How many responsibilities the reader ticked.
    pub of: usize,
    /// `None` when no part of the exam is about the reader's responsibilities.
    pub focus: Option<Focus>,
}

impl Score {
    /// The score rounded to a whole number, as pages show it.
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "0..=100, rounded")]
    pub fn points(&self) -> u8 {
        self.score.round().clamp(0.0, 100.0) as u8
    }
}

/// The score of `cert` for `needs` (module docs: Score). Relevance is summed as
/// Σ over the reader's responsibilities of `share(r) × e(r) / 3` — the formula of the
/// docs with the sum taken per responsibility — in id order, the order [`Advisor`]'s
/// scoring pass uses too, so both give the same number to the last bit.
pub fn score(cert: &Certification, needs: &Needs) -> Score {
    let shares = shares(cert);
    let mut relevance = 0.0;
    for (r, e) in &needs.responsibilities {
        if let Some(s) = shares.get(r) {
            relevance += s * f64::from(e.0) / 3.0;
        }
    }
    let covered: Vec<Slug> = needs
        .responsibilities
        .keys()
        .filter(|r| shares.get(r).is_some_and(|s| *s >= COVERED_SHARE))
        .cloned()
        .collect();
    let covered_emphasis: u32 = covered.iter().map(|r| u32::from(needs.responsibilities[r].0)).sum();
    let score = harmonic(relevance, covered_emphasis, needs.total_emphasis());
    let coverage = ratio(covered_emphasis, needs.total_emphasis());
    let highest = needs.highest();
    let focus = needs
        .responsibilities
        .iter()
        .filter_map(|(r, e)| shares.get(r).filter(|s| **s > 0.0).map(|s| (r, *e, *s)))
        // Largest share; then the higher emphasis; then the first id.
        .max_by(|a, b| a.2.total_cmp(&b.2).then(a.1.cmp(&b.1)).then(b.0.cmp(a.0)))
        .map(|(r, emphasis, share)| Focus {
            responsibility: r.clone(),
            share,
            emphasis,
            highest: Some(emphasis) == highest,
        });
    Score {
        code: cert.code.clone(),
        relevance,
        coverage,
        score,
        covered,
        of: needs.responsibilities.len(),
        focus,
    }
}

fn ratio(part: u32, all: u32) -> f64 {
    if all == 0 { 0.0 } else { f64::from(part) / f64::from(all) }
}

/// 100 × the harmonic mean of relevance and coverage; 0 when either is 0.
fn harmonic(relevance: f64, covered_emphasis: u32, all: u32) -> f64 {
    let coverage = ratio(covered_emphasis, all);
    if relevance > 0.0 && coverage > 0.0 {
        100.0 * 2.0 * relevance * coverage / (relevance + coverage)
    } else {
        0.0
    }
}

/// The catalog prepared for advice on one day: every exam's shares with the
/// responsibilities numbered, the exam that speaks for each (module docs: Path), and
/// whether it is retired — computed once, so that ranking 1,000 exams, or planning 500
/// people with one `Advisor`, scores each exam with a few integer comparisons.
#[derive(Debug)]
pub struct Advisor<'c> {
    catalog: &'c Catalog,
    today: NaiveDate,
    /// Exams in code order.
    entries: Vec<Entry<'c>>,
    at: HashMap<&'c Code, usize>,
    ids: HashMap<&'c Slug, u16>,
}

#[derive(Debug)]
struct Entry<'c> {
    cert: &'c Certification,
    /// Its own shares, by responsibility number, in id order.
    shares: Vec<(u16, f64)>,
    /// The exam that speaks for it (itself when it has domains).
    speaker: usize,
    retired: bool,
}

/// A reader's responsibilities by number, in id order, with the total emphasis.
struct Reader {
    items: Vec<(Option<u16>, u8)>,
    total: u32,
}

impl<'c> Advisor<'c> {
    pub fn new(catalog: &'c Catalog, today: NaiveDate) -> Self {
        let mut ids: HashMap<&Slug, u16> = HashMap::new();
        let mut entries: Vec<Entry<'c>> = Vec::with_capacity(catalog.certifications.len());
        for cert in catalog.certifications.values() {
            let shares = shares(cert)
                .into_iter()
                .map(|(r, s)| {
                    let next = u16::try_from(ids.len()).unwrap_or(u16::MAX);
                    (*ids.entry(r).or_insert(next), s)
                })
                .collect();
            let speaker = entries.len();
            entries.push(Entry { cert, shares, speaker, retired: Lifecycle::is_retired(cert, today) });
        }
        let at: HashMap<&Code, usize> = entries.iter().enumerate().map(|(i, e)| (&e.cert.code, i)).collect();
        // The first exam by code with domains whose chain leads to one without.
        for i in 0..entries.len() {
            if entries[i].cert.domains.is_empty() {
                continue;
            }
            for next in catalog.successor_chain(&entries[i].cert.code) {
                if let Some(&j) = at.get(&next.code) {
                    if next.domains.is_empty() && entries[j].speaker == j {
                        entries[j].speaker = i;
                    }
                }
            }
        }
        Self { catalog, today, entries, at, ids }
    }

    fn reader(&self, needs: &Needs) -> Reader {
        Reader {
            items: needs.responsibilities.iter().map(|(r, e)| (self.ids.get(r).copied(), e.0)).collect(),
            total: needs.total_emphasis(),
        }
    }

    fn index(&self, code: &Code) -> Option<usize> {
        self.at.get(code).copied()
    }

    /// The score of exam `i`'s own domains for `reader` (the number [`score`] gives).
    fn points(&self, i: usize, reader: &Reader) -> f64 {
        let shares = &self.entries[i].shares;
        let mut relevance = 0.0;
        let mut covered = 0;
        for (id, e) in &reader.items {
            let Some(id) = id else { continue };
            if let Some((_, s)) = shares.iter().find(|(r, _)| r == id) {
                relevance += s * f64::from(*e) / 3.0;
                if *s >= COVERED_SHARE {
                    covered += u32::from(*e);
                }
            }
        }
        harmonic(relevance, covered, reader.total)
    }

    /// Whether exam `i`'s own domains cover responsibility `id`.
    fn covers(&self, i: usize, id: u16) -> bool {
        self.entries[i].shares.iter().any(|(r, s)| *r == id && *s >= COVERED_SHARE)
    }

    fn speaks_for(&self, cert: &'c Certification) -> &'c Certification {
        self.index(&cert.code).map_or(cert, |i| self.entries[self.entries[i].speaker].cert)
    }

    fn speaker(&self, i: usize) -> usize {
        self.entries[i].speaker
    }

    /// The exams one can take (not retired) that fit the reader at all, best first
    /// (module docs: [`rank`]).
    pub fn rank(&self, needs: &Needs) -> Vec<Score> {
        let reader = self.reader(needs);
        let mut scored: Vec<(f64, usize)> = (0..self.entries.len())
            .filter(|i| !self.entries[*i].retired && !needs.held.contains(&self.entries[*i].cert.code))
            .map(|i| (self.points(i, &reader), i))
            .filter(|(s, _)| *s > 0.0)
            .collect();
        scored.sort_by(|a, b| self.by_rank(*a, *b));
        scored.into_iter().map(|(_, i)| score(self.entries[i].cert, needs)).collect()
    }

    /// Best first; equal scores by level, then code.
    fn by_rank(&self, a: (f64, usize), b: (f64, usize)) -> std::cmp::Ordering {
        let (ca, cb) = (self.entries[a.1].cert, self.entries[b.1].cert);
        b.0.total_cmp(&a.0).then(ca.level.cmp(&cb.level)).then(ca.code.cmp(&cb.code))
    }
}

/// Best first; equal scores by level (lower first), then code.
fn by_rank(a: &(Score, &Certification), b: &(Score, &Certification)) -> std::cmp::Ordering {
    b.0.score.total_cmp(&a.0.score).then(a.1.level.cmp(&b.1.level)).then(a.1.code.cmp(&b.1.code))
}

/// The exams one can take on `today` (not retired) that fit the reader at all (score
/// above 0), best first; equal scores by level, then code. Exams the reader holds are
/// left out. (One call; several readers share an [`Advisor`].)
pub fn rank(catalog: &Catalog, needs: &Needs, today: NaiveDate) -> Vec<Score> {
    Advisor::new(catalog, today).rank(needs)
}

/// Why an exam is in a path.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(tag = "reason", rename_all = "lowercase")]
pub enum Reason {
    /// Chosen for the reader's responsibilities, with its score: the score of the exam
    /// chosen (the oldest it replaces, if any), by the exam that speaks for it (module
    /// docs: Path).
    Match { score: f64 },
    /// Needed before `of`.
    Prerequisite { of: Code },
}

/// One exam of a path.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Step {
    pub code: Code,
    pub level: Level,
    pub reason: Reason,
    /// The retired exams this one stands in for (the chain from the one chosen, oldest
    /// first), empty when it was chosen itself.
    pub replaces: Vec<Code>,
    /// When it retires, for an exam that is retiring on the day of the path.
    #[schema(required = true)]
    pub retiring_on: Option<NaiveDate>,
    /// A prerequisite taken from a record whose prerequisites are `uncertain`.
    pub unconfirmed: bool,
    /// The reader's responsibilities this exam covers (by the exam that speaks for it:
    /// module docs, Path).
    pub covers: Vec<Slug>,
}

/// A retired exam the path would have taken, whose successor chain does not reach a
/// current exam in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct NoSuccessor {
    pub code: Code,
    /// The successor named by the last record of the chain, outside the catalog.
    #[schema(required = true)]
    pub named: Option<Code>,
}

/// The exams to take, in order, and what could not be placed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Path {
    pub steps: Vec<Step>,
    /// Retired exams left out for want of a successor in the catalog.
    pub no_successor: Vec<NoSuccessor>,
    /// Responsibilities of emphasis 2 or 3 that no exam of the catalog covers.
    pub uncovered: Vec<Slug>,
}

/// The codes that meet a prerequisite alternative: itself and its successors (whoever
/// holds the successor of a retired exam is not asked to take the retired one).
fn meets(catalog: &Catalog, alternative: &Code) -> Vec<Code> {
    std::iter::once(alternative.clone())
        .chain(catalog.successor_chain(alternative).into_iter().map(|c| c.code.clone()))
        .collect()
}

/// The responsibilities of `needs` that `cert` covers, in id order.
fn covered(cert: &Certification, needs: &Needs) -> Vec<Slug> {
    let shares = shares(cert);
    needs
        .responsibilities
        .keys()
        .filter(|r| shares.get(r).is_some_and(|s| *s >= COVERED_SHARE))
        .cloned()
        .collect()
}

/// The current exam that stands for `cert` on `today`: itself when not retired,
/// otherwise the first current exam of its successor chain, with the retired exams
/// passed on the way. `Err` names the chain's end when none is current.
fn current_form<'a>(
    catalog: &'a Catalog,
    cert: &'a Certification,
    today: NaiveDate,
) -> Result<(&'a Certification, Vec<Code>), NoSuccessor> {
    if !Lifecycle::is_retired(cert, today) {
        return Ok((cert, Vec::new()));
    }
    let mut replaced = vec![cert.code.clone()];
    for next in catalog.successor_chain(&cert.code) {
        if !Lifecycle::is_retired(next, today) {
            return Ok((next, replaced));
        }
        replaced.push(next.code.clone());
    }
    let last = replaced.last().and_then(|c| catalog.certification(c));
    Err(NoSuccessor { code: cert.code.clone(), named: last.and_then(|c| c.successor.clone()) })
}

struct Builder<'a, 'c> {
    advisor: &'a Advisor<'c>,
    needs: &'a Needs,
    chosen: Vec<Step>,
    in_path: BTreeSet<Code>,
    covered: BTreeSet<Slug>,
}

impl<'c> Builder<'_, 'c> {
    fn satisfied(&self, cert: &Certification) -> bool {
        cert.prerequisites.satisfied_by(|alternative| {
            meets(self.advisor.catalog, alternative)
                .iter()
                .any(|c| c != &cert.code && (self.needs.held.contains(c) || self.in_path.contains(c)))
        })
    }

    /// Adds `cert`'s prerequisite (recursively) and then `cert`. An exam is marked as in
    /// the path before its prerequisite is looked for, so a cycle of prerequisites (through
    /// successors: `check` refuses only an exam that requires itself) ends where it started;
    /// `depth` is a further bound.
    fn add(
        &mut self,
        cert: &'c Certification,
        reason: Reason,
        replaces: Vec<Code>,
        unconfirmed: bool,
        depth: usize,
    ) {
        if self.in_path.contains(&cert.code) || self.needs.held.contains(&cert.code) || depth > 16 {
            return;
        }
        // Mark first, so a cycle cannot bring the exam back in.
        self.in_path.insert(cert.code.clone());
        if !self.satisfied(cert) {
            if let Some((before, passed)) = self.best_alternative(cert) {
                let uncertain = cert.is_uncertain("prerequisites");
                self.add(
                    before,
                    Reason::Prerequisite { of: cert.code.clone() },
                    passed,
                    uncertain,
                    depth + 1,
                );
            }
        }
        let covers = covered(self.advisor.speaks_for(cert), self.needs);
        self.covered.extend(covers.iter().cloned());
        let retiring_on = match Lifecycle::of(cert, self.advisor.today) {
            Lifecycle::Retiring { on, .. } => Some(on),
            _ => None,
        };
        self.chosen.push(Step {
            code: cert.code.clone(),
            level: cert.level,
            reason,
            replaces,
            retiring_on,
            unconfirmed,
            covers,
        });
    }

    /// The alternative of `cert`'s prerequisite to take: the current form of each
    /// alternative, neither held nor `cert` itself, best score for the reader first (by
    /// the exam that speaks for it), then level, then code.
    fn best_alternative(&self, cert: &Certification) -> Option<(&'c Certification, Vec<Code>)> {
        let catalog = self.advisor.catalog;
        let mut options: Vec<(Score, &'c Certification, Vec<Code>)> = cert
            .prerequisites
            .alternatives()
            .iter()
            .filter_map(|c| catalog.certification(c))
            .filter_map(|c| current_form(catalog, c, self.advisor.today).ok())
            .filter(|(takes, _)| !self.needs.held.contains(&takes.code) && takes.code != cert.code)
            .map(|(takes, passed)| (score(self.advisor.speaks_for(takes), self.needs), takes, passed))
            .collect();
        options.sort_by(|a, b| by_rank(&(a.0.clone(), a.1), &(b.0.clone(), b.1)));
        options.into_iter().next().map(|(_, takes, passed)| (takes, passed))
    }
}

/// The reader's path on `today` (module docs: Path). (One call; several readers share
/// an [`Advisor`].)
pub fn path(catalog: &Catalog, needs: &Needs, today: NaiveDate) -> Path {
    Advisor::new(catalog, today).path(needs)
}

impl Advisor<'_> {
    /// The reader's path (module docs: Path).
    pub fn path(&self, needs: &Needs) -> Path {
        let catalog = self.catalog;
        let reader = self.reader(needs);
        let mut builder = Builder {
            advisor: self,
            needs,
            chosen: Vec::new(),
            in_path: BTreeSet::new(),
            covered: BTreeSet::new(),
        };
        // What the reader holds already covers its responsibilities.
        for cert in needs.held.iter().filter_map(|c| catalog.certification(c)) {
            builder.covered.extend(covered(self.speaks_for(cert), needs));
        }
        let needed: Vec<(&Slug, Option<u16>)> = needs
            .responsibilities
            .iter()
            .filter(|(_, e)| e.is_needed())
            .map(|(r, _)| (r, self.ids.get(r).copied()))
            .collect();
        // What the catalog can cover: its current exams, each by the exam that speaks for
        // it (every retired exam's current form is one of them).
        let coverable: Vec<(&Slug, u16)> = needed
            .iter()
            .filter_map(|(r, id)| id.map(|id| (*r, id)))
            .filter(|(_, id)| {
                (0..self.entries.len()).any(|i| !self.entries[i].retired && self.covers(self.speaker(i), *id))
            })
            .collect();
        // The exams with domains, and the current ones without (a retired one is reached
        // through the exam it replaces); at equal scores, those with domains first.
        let mut candidates: Vec<(f64, usize)> = (0..self.entries.len())
            .filter(|i| {
                let e = &self.entries[*i];
                !needs.held.contains(&e.cert.code) && (!e.cert.domains.is_empty() || !e.retired)
            })
            .map(|i| (self.points(self.speaker(i), &reader), i))
            .filter(|(s, _)| *s > 0.0)
            .collect();
        candidates.sort_by(|a, b| {
            let bare = |i: usize| self.entries[i].cert.domains.is_empty();
            b.0.total_cmp(&a.0).then(bare(a.1).cmp(&bare(b.1))).then(self.by_rank(*a, *b))
        });
        let mut no_successor = Vec::new();
        for (points, i) in candidates {
            let open: Vec<(&Slug, u16)> =
                coverable.iter().copied().filter(|(r, _)| !builder.covered.contains(*r)).collect();
            if open.is_empty() {
                break;
            }
            let cert = self.entries[i].cert;
            let (takes, replaces) = match current_form(catalog, cert, self.today) {
                Ok(found) => found,
                Err(none) => {
                    let speaker = self.entries[self.speaker(i)].cert;
                    if speaker
                        .domains
                        .iter()
                        .any(|d| d.responsibilities.iter().any(|r| open.iter().any(|(o, _)| *o == r)))
                    {
                        no_successor.push(none);
                    }
                    continue;
                }
            };
            let Some(t) = self.index(&takes.code) else { continue };
            let opens = open.iter().any(|(_, id)| self.covers(self.speaker(t), *id));
            if !opens || builder.in_path.contains(&takes.code) || needs.held.contains(&takes.code) {
                continue;
            }
            builder.add(takes, Reason::Match { score: points }, replaces, false, 0);
        }
        let uncovered = needed
            .iter()
            .filter(|(r, _)| !coverable.iter().any(|(c, _)| c == r))
            .map(|(r, _)| (*r).clone())
            .collect();
        Path { steps: order(builder.chosen, catalog), no_successor, uncovered }
    }

    /// The mismatches of `assigned` for a person with `needs` (module docs: Mismatches).
    pub fn mismatches(&self, needs: &Needs, assigned: &Certification) -> Vec<Mismatch> {
        let today = self.today;
        let mut found = Vec::new();
        let reader = self.reader(needs);
        // An exam without domains is judged by the exam that speaks for it, as in a path.
        let own = match self.index(&assigned.code) {
            Some(i) => self.points(self.speaker(i), &reader),
            None => score(assigned, needs).score,
        };
        let best = (0..self.entries.len())
            .filter(|i| !self.entries[*i].retired && !needs.held.contains(&self.entries[*i].cert.code))
            .map(|i| (self.points(i, &reader), i))
            .min_by(|a, b| self.by_rank(*a, *b));
        if let Some((best, i)) = best {
            let cert = self.entries[i].cert;
            if cert.code != assigned.code && own < best / 2.0 && best - own >= MISMATCH_POINTS {
                found.push(Mismatch::Coverage { score: own, better: cert.code.clone(), better_score: best });
            }
        }
        let met = |alternative: &Code| {
            meets(self.catalog, alternative).iter().any(|c| c != &assigned.code && needs.held.contains(c))
        };
        if !assigned.prerequisites.satisfied_by(met) {
            found.push(Mismatch::Prerequisite {
                alternatives: assigned.prerequisites.alternatives().to_vec(),
                unconfirmed: assigned.is_uncertain("prerequisites"),
            });
        }
        let lifecycle = Lifecycle::of(assigned, today);
        if matches!(lifecycle, Lifecycle::Retired { .. })
            || lifecycle.days_left(today, RETIRING_SOON_DAYS).is_some()
        {
            found.push(Mismatch::Lifecycle { lifecycle });
        }
        found
    }
}

/// For each step, the steps it must follow (indices into `steps`): those that meet its
/// prerequisite (an alternative or an exam of an alternative's successor chain, not the
/// step itself), and those added as its prerequisite.
fn waits_for(steps: &[Step], catalog: &Catalog) -> Vec<BTreeSet<usize>> {
    let at: BTreeMap<&Code, usize> = steps.iter().enumerate().map(|(i, s)| (&s.code, i)).collect();
    steps
        .iter()
        .enumerate()
        .map(|(j, step)| {
            let mut first: BTreeSet<usize> = catalog
                .certification(&step.code)
                .map(|c| {
                    c.prerequisites
                        .alternatives()
                        .iter()
                        .flat_map(|a| meets(catalog, a))
                        .filter_map(|m| at.get(&m).copied())
                        .collect()
                })
                .unwrap_or_default();
            first.extend(steps.iter().enumerate().filter_map(|(k, s)| match &s.reason {
                Reason::Prerequisite { of } if *of == step.code => Some(k),
                _ => None,
            }));
            first.remove(&j);
            first
        })
        .collect()
}

/// The steps `from` waits for, directly or through others, among those not `placed`.
fn reach(waits: &[BTreeSet<usize>], placed: &[bool], from: usize) -> BTreeSet<usize> {
    let mut seen = BTreeSet::new();
    let mut todo: Vec<usize> = waits[from].iter().copied().filter(|k| !placed[*k]).collect();
    while let Some(k) = todo.pop() {
        if seen.insert(k) {
            todo.extend(waits[k].iter().copied().filter(|k| !placed[*k]));
        }
    }
    seen
}

/// Prerequisites before what needs them, then lower levels first, then the order chosen;
/// a cycle is taken as the module docs say (Path: Cycles).
fn order(chosen: Vec<Step>, catalog: &Catalog) -> Vec<Step> {
    let waits = waits_for(&chosen, catalog);
    let mut placed = vec![false; chosen.len()];
    let mut sequence: Vec<usize> = Vec::with_capacity(chosen.len());
    while sequence.len() < chosen.len() {
        let unplaced: Vec<usize> = (0..chosen.len()).filter(|i| !placed[*i]).collect();
        // A step can come next when every step left that it waits for waits for it too
        // (a cycle): with no cycle, when it waits for no step left.
        let next = unplaced
            .iter()
            .copied()
            .filter(|i| reach(&waits, &placed, *i).iter().all(|k| reach(&waits, &placed, *k).contains(i)))
            .min_by_key(|i| (chosen[*i].level, *i))
            .unwrap_or(unplaced[0]);
        placed[next] = true;
        sequence.push(next);
    }
    let mut steps: Vec<Option<Step>> = chosen.into_iter().map(Some).collect();
    sequence.into_iter().filter_map(|i| steps[i].take()).collect()
}

/// The days and the price of a path's courses: the course each exam quotes (the
/// shortest, then the cheapest), summed per currency.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub days: u32,
    /// One sum per currency, in currency order.
    pub prices: Vec<Money>,
    /// Exams of the path the provider has no course for.
    pub without_course: Vec<Code>,
}

impl Totals {
    /// The totals of the courses for `codes`, each exam counted `times` (people).
    pub fn of<'c>(catalog: &Catalog, codes: impl IntoIterator<Item = (&'c Code, u32)>) -> Self {
        let mut days = 0;
        let mut sums: BTreeMap<String, Decimal> = BTreeMap::new();
        let mut without_course = Vec::new();
        for (code, times) in codes {
            match catalog.primary_course(code) {
                Some(course) => {
                    days += course.duration_days * times;
                    *sums.entry(course.price.currency.clone()).or_default() +=
                        course.price.amount * Decimal::from(times);
                }
                None => without_course.push(code.clone()),
            }
        }
        let prices = sums.into_iter().map(|(currency, amount)| Money { amount, currency }).collect();
        Self { days, prices, without_course }
    }
}

impl Path {
    /// The course each step quotes, in the path's order.
    pub fn courses<'c>(&self, catalog: &'c Catalog) -> Vec<(&Step, Option<&'c Course>)> {
        self.steps.iter().map(|s| (s, catalog.primary_course(&s.code))).collect()
    }

    pub fn totals(&self, catalog: &Catalog) -> Totals {
        Totals::of(catalog, self.steps.iter().map(|s| (&s.code, 1)))
    }
}

/// What is wrong with assigning an exam to a person (module docs: Mismatches).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Mismatch {
    Coverage {
        score: f64,
        better: Code,
        better_score: f64,
    },
    /// None of `alternatives` is held.
    Prerequisite {
        alternatives: Vec<Code>,
        unconfirmed: bool,
    },
    Lifecycle {
        lifecycle: Lifecycle,
    },
}

/// The mismatches of `assigned` for a person with `needs`, on `today`. (One call;
/// several people share an [`Advisor`].)
pub fn mismatches(
    catalog: &Catalog,
    needs: &Needs,
    assigned: &Certification,
    today: NaiveDate,
) -> Vec<Mismatch> {
    Advisor::new(catalog, today).mismatches(needs, assigned)
}

/// Something a reader's choices name that the catalog does not have, or a value out of
/// range: named back to them, never a failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChoiceProblem {
    /// A responsibility id the catalog does not list.
    UnknownResponsibility { id: String },
    /// An emphasis that is not 1, 2 or 3.
    BadEmphasis { id: String, value: String },
    /// A held certification the catalog does not list.
    UnknownCertification { code: String },
}

impl ChoiceProblem {
    /// The input the problem is about, as the API names fields:
    /// `responsibilities.device-flet`, `held`.
    pub fn field(&self) -> String {
        match self {
            ChoiceProblem::UnknownResponsibility { id } | ChoiceProblem::BadEmphasis { id, .. } => {
                format!("responsibilities.{id}")
            }
            ChoiceProblem::UnknownCertification { .. } => "held".to_owned(),
        }
    }
}

impl std::fmt::Display for ChoiceProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChoiceProblem::UnknownResponsibility { id } => {
                write!(f, "no responsibility `{id}` in the catalog")
            }
            ChoiceProblem::BadEmphasis { id, value } => {
                write!(f, "`{id}` has the emphasis `{value}`; an emphasis is 1, 2 or 3")
            }
            ChoiceProblem::UnknownCertification { code } => {
                write!(f, "no certification `{code}` in the catalog")
            }
        }
    }
}

/// A reader's choices read against the catalog: what is understood, and what is not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choices {
    pub needs: Needs,
    pub problems: Vec<ChoiceProblem>,
}

/// The most held certifications one set of choices names.
pub const MAX_HELD: usize = 100;

impl Choices {
    /// Reads `responsibility-id = emphasis` and `held = CODE` pairs (the advisor's query
    /// string, in order). An empty value or `0` means "not chosen"; `held` may list
    /// several codes separated by commas or spaces, in any case; a later emphasis for the
    /// same id replaces an earlier one.
    pub fn read<'p>(catalog: &Catalog, pairs: impl IntoIterator<Item = (&'p str, &'p str)>) -> Self {
        let mut choices = Choices::default();
        for (name, value) in pairs {
            let value = value.trim();
            if name == "held" {
                for written in value.split([',', ' ', ';', '|']).filter(|c| !c.is_empty()) {
                    let known = Code::parse(&written.to_ascii_uppercase())
                        .ok()
                        .filter(|c| catalog.certification(c).is_some());
                    match known {
                        Some(code) if choices.needs.held.len() < MAX_HELD => {
                            choices.needs.held.insert(code);
                        }
                        Some(_) => {}
                        None => choices
                            .problems
                            .push(ChoiceProblem::UnknownCertification { code: written.to_owned() }),
                    }
                }
                continue;
            }
            let Some(id) = catalog.responsibilities.iter().map(|r| &r.id).find(|id| id.as_str() == name)
            else {
                choices.problems.push(ChoiceProblem::UnknownResponsibility { id: name.to_owned() });
                continue;
            };
            if value.is_empty() || value == "0" {
                choices.needs.responsibilities.remove(id);
                continue;
            }
            match value.parse::<u8>().ok().and_then(Emphasis::new) {
                Some(emphasis) => {
                    choices.needs.responsibilities.insert(id.clone(), emphasis);
                }
                None => {
                    choices
                        .problems
                        .push(ChoiceProblem::BadEmphasis { id: name.to_owned(), value: value.to_owned() });
                }
            }
        }
        choices
    }

    /// The choices as the advisor's canonical query string: responsibilities in the
    /// catalog's order, then the held codes in order (`device-fleet=3&held=AZ-900`).
    pub fn query(&self, catalog: &Catalog) -> String {
        let mut parts: Vec<String> = catalog
            .responsibilities
            .iter()
            .filter_map(|r| self.needs.responsibilities.get(&r.id).map(|e| format!("{}={}", r.id, e.get())))
            .collect();
        parts.extend(self.needs.held.iter().map(|c| format!("held={c}")));
        parts.join("&")
    }
}
