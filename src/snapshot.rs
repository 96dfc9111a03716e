//! The published content held in memory, with the indexes and rendered Markdown that
//! pages need, so that a page view never touches the database.
//!
//! A `Snapshot` is immutable; a new import builds a new one and swaps it in atomically
//! ([`Published::replace`]), so a request sees either the old content or the new, never
//! a mix.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use arc_swap::ArcSwap;

use crate::domain::staleness::FactChange;
use crate::domain::{Answer, Catalog, Code, Slug, related};
use crate::markdown;

static NEXT_GENERATION: AtomicU64 = AtomicU64::new(1);

/// An answer's Markdown, rendered once.
#[derive(Debug)]
pub struct RenderedAnswer {
    pub body_html: String,
    pub insight_html: Option<String>,
}

#[derive(Debug)]
pub struct Snapshot {
    pub catalog: Catalog,
    /// The fact changes the store recorded (imports and publishes), which the staleness
    /// rule joins with the catalog's dated ones (`domain::staleness`).
    pub fact_changes: Vec<FactChange>,
    rendered: Vec<RenderedAnswer>,
    by_locale_slug: HashMap<(String, Slug), usize>,
    /// Per locale, newest first.
    by_locale: HashMap<String, Vec<usize>>,
    by_topic: BTreeMap<Slug, Vec<usize>>,
    by_certification: HashMap<Code, Vec<usize>>,
    by_expert: HashMap<Slug, Vec<usize>>,
    /// Answers by `translation_key` and locale: the versions of one answer.
    by_translation: HashMap<(String, String), usize>,
    bios: HashMap<Slug, String>,
    /// Every topic (with a file, or named by an answer): subjects, then exams, by title.
    topic_order: Vec<Slug>,
    /// Plain pages by locale and slug: the page's index and its HTML.
    pages: HashMap<(String, Slug), (usize, String)>,
    /// The logo and the accent stylesheet, with their fingerprinted addresses.
    pub brand: crate::brand::BrandFiles,
    /// Per answer, its related answers (best first), computed once per snapshot.
    related: Vec<Vec<usize>>,
    /// Unique per snapshot made in this process, so caches of what was rendered from one
    /// snapshot can tell it from the next.
    pub generation: u64,
    /// The database's content generation this snapshot was made from (0 when unknown).
    pub content_generation: i64,
}

impl Snapshot {
    pub fn new(catalog: Catalog) -> Self {
        // Exam codes of the catalog in Markdown bodies are kept on one line.
        let is_code = |c: &str| Code::parse(c).is_ok_and(|c| catalog.certifications.contains_key(&c));
        let rendered = catalog
            .answers
            .iter()
            .map(|a| RenderedAnswer {
                body_html: markdown::to_html_marking(&a.body, is_code),
                insight_html: a.insight.as_ref().map(|i| markdown::to_html_marking(&i.text, is_code)),
            })
            .collect();
        let mut by_locale_slug = HashMap::new();
        let mut by_locale: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_topic: BTreeMap<Slug, Vec<usize>> = BTreeMap::new();
        let mut by_certification: HashMap<Code, Vec<usize>> = HashMap::new();
        let mut by_expert: HashMap<Slug, Vec<usize>> = HashMap::new();
        let by_translation = catalog
            .answers
            .iter()
            .enumerate()
            .filter_map(|(i, a)| Some(((a.translation_key.clone()?, a.locale.clone()), i)))
            .collect();
        let mut order: Vec<usize> = (0..catalog.answers.len()).collect();
        // Newest first; ties by slug so the order is stable across imports.
        order.sort_by(|&x, &y| {
            let (a, b) = (&catalog.answers[x], &catalog.answers[y]);
            b.published_on.cmp(&a.published_on).then_with(|| a.slug.cmp(&b.slug))
        });
        for &i in &order {
            let a = &catalog.answers[i];
            by_locale_slug.insert((a.locale.clone(), a.slug.clone()), i);
            by_locale.entry(a.locale.clone()).or_default().push(i);
            for t in &a.topics {
                by_topic.entry(t.clone()).or_default().push(i);
            }
            for c in &a.certifications {
                by_certification.entry(c.clone()).or_default().push(i);
            }
            by_expert.entry(a.author.clone()).or_default().push(i);
            if let Some(insight) = a.insight.as_ref().filter(|x| x.expert != a.author) {
                by_expert.entry(insight.expert.clone()).or_default().push(i);
            }
        }
        let bios = catalog
            .experts
            .values()
            .map(|e| (e.slug.clone(), markdown::to_html_marking(&e.bio, is_code)))
            .collect();
        let related = related_of_all(&catalog, &by_locale, &by_topic, &by_certification);
        let pages = catalog
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| {
                ((p.locale.clone(), p.slug.clone()), (i, markdown::to_html_marking(&p.body, is_code)))
            })
            .collect();
        let brand = crate::brand::BrandFiles::of(&catalog.site.brand);
        let mut topic_order: Vec<(bool, String, Slug)> = by_topic
            .keys()
            .chain(catalog.topics.keys())
            // Subjects first, then the topics of single exams, each by title.
            .map(|slug| {
                let exam = crate::domain::Code::from_url(slug.as_str())
                    .is_some_and(|c| catalog.certifications.contains_key(&c));
                (exam, catalog.topic(slug).title.to_lowercase(), slug.clone())
            })
            .collect();
        topic_order.sort();
        topic_order.dedup();
        let topic_order = topic_order.into_iter().map(|(_, _, slug)| slug).collect();
        Self {
            pages,
            brand,
            topic_order,
            catalog,
            fact_changes: Vec::new(),
            rendered,
            by_locale_slug,
            by_locale,
            by_topic,
            by_certification,
            by_expert,
            by_translation,
            bios,
            related,
            generation: NEXT_GENERATION.fetch_add(1, Ordering::Relaxed),
            content_generation: 0,
        }
    }

    /// The snapshot of the database's content generation `number`.
    #[must_use]
    pub fn at_generation(mut self, number: i64) -> Self {
        self.content_generation = number;
        self
    }

    /// The snapshot with the fact changes the store recorded.
    #[must_use]
    pub fn with_fact_changes(mut self, recorded: Vec<FactChange>) -> Self {
        self.fact_changes = recorded;
        self
    }

    pub fn has_locale(&self, locale: &str) -> bool {
        self.catalog.site.locales.iter().any(|l| l == locale)
    }

    pub fn answer(&self, locale: &str, slug: &Slug) -> Option<(&Answer, &RenderedAnswer)> {
        let &i = self.by_locale_slug.get(&(locale.to_owned(), slug.clone()))?;
        Some((&self.catalog.answers[i], &self.rendered[i]))
    }

    /// The version of `answer` in `locale`: the answer there with the same
    /// `translation_key` (the answer itself for its own locale).
    pub fn translation<'a>(&'a self, answer: &'a Answer, locale: &str) -> Option<&'a Answer> {
        if answer.locale == locale {
            return Some(answer);
        }
        let key = answer.translation_key.as_ref()?;
        let &i = self.by_translation.get(&(key.clone(), locale.to_owned()))?;
        Some(&self.catalog.answers[i])
    }

    fn pick<'a>(
        &'a self,
        ids: Option<&'a Vec<usize>>,
        locale: &'a str,
    ) -> impl Iterator<Item = &'a Answer> + 'a {
        ids.into_iter().flatten().map(|&i| &self.catalog.answers[i]).filter(move |a| a.locale == locale)
    }

    /// A locale's answers, newest first.
    pub fn answers(&self, locale: &str) -> impl Iterator<Item = &Answer> + '_ {
        self.by_locale.get(locale).into_iter().flatten().map(|&i| &self.catalog.answers[i])
    }

    /// A locale's answers, newest first, each with its place in `catalog.answers`.
    pub fn answers_numbered(&self, locale: &str) -> impl Iterator<Item = (usize, &Answer)> + '_ {
        self.by_locale.get(locale).into_iter().flatten().map(|&i| (i, &self.catalog.answers[i]))
    }

    pub fn answers_with_topic<'a>(
        &'a self,
        locale: &'a str,
        topic: &Slug,
    ) -> impl Iterator<Item = &'a Answer> + 'a {
        self.pick(self.by_topic.get(topic), locale)
    }

    pub fn answers_naming<'a>(
        &'a self,
        locale: &'a str,
        code: &Code,
    ) -> impl Iterator<Item = &'a Answer> + 'a {
        self.pick(self.by_certification.get(code), locale)
    }

    pub fn answers_by_expert<'a>(
        &'a self,
        locale: &'a str,
        expert: &Slug,
    ) -> impl Iterator<Item = &'a Answer> + 'a {
        self.pick(self.by_expert.get(expert), locale)
    }

    /// Every topic, by title.
    pub fn topics(&self) -> &[Slug] {
        &self.topic_order
    }

    /// How many answers of `locale` have `topic`.
    pub fn topic_size(&self, locale: &str, topic: &Slug) -> usize {
        self.answers_with_topic(locale, topic).count()
    }

    pub fn is_topic(&self, slug: &Slug) -> bool {
        self.by_topic.contains_key(slug) || self.catalog.topics.contains_key(slug)
    }

    /// A plain page and its HTML.
    pub fn page(&self, locale: &str, slug: &Slug) -> Option<(&crate::domain::Page, &str)> {
        let (i, html) = self.pages.get(&(locale.to_owned(), slug.clone()))?;
        Some((&self.catalog.pages[*i], html.as_str()))
    }

    /// Whether `locale` has a plain page `slug` (for links to the imprint and the like).
    pub fn has_page(&self, locale: &str, slug: &str) -> bool {
        Slug::parse(slug).is_ok_and(|s| self.pages.contains_key(&(locale.to_owned(), s)))
    }

    pub fn bio_html(&self, expert: &Slug) -> &str {
        self.bios.get(expert).map_or("", String::as_str)
    }

    /// Other answers in the same locale that share the most topics or certifications
    /// (the rule: `domain::related::related_answers`), computed when the snapshot was made.
    pub fn related_answers(&self, answer: &Answer, limit: usize) -> Vec<&Answer> {
        let Some(&i) = self.by_locale_slug.get(&(answer.locale.clone(), answer.slug.clone())) else {
            return Vec::new();
        };
        self.related[i].iter().take(limit).map(|&j| &self.catalog.answers[j]).collect()
    }
}

/// How many related answers are kept per answer.
const RELATED: usize = 3;
/// How many answers of one topic or certification are considered as candidates.
const BUCKET: usize = 1000;

/// Every answer's related answers. Only answers that share a topic or a certification
/// can be related, so the candidates come from those indexes (not from every answer),
/// in the locale's newest-first order that breaks ties. A topic shared by a huge number
/// of answers contributes its newest [`BUCKET`] only, so the work stays linear in the
/// catalog.
fn related_of_all(
    catalog: &Catalog,
    by_locale: &HashMap<String, Vec<usize>>,
    by_topic: &BTreeMap<Slug, Vec<usize>>,
    by_certification: &HashMap<Code, Vec<usize>>,
) -> Vec<Vec<usize>> {
    let mut rank = vec![0usize; catalog.answers.len()];
    for ids in by_locale.values() {
        for (position, &i) in ids.iter().enumerate() {
            rank[i] = position;
        }
    }
    catalog
        .answers
        .iter()
        .map(|answer| {
            let mut candidates: Vec<usize> = answer
                .topics
                .iter()
                .filter_map(|t| by_topic.get(t))
                .chain(answer.certifications.iter().filter_map(|c| by_certification.get(c)))
                .flat_map(|ids| ids.iter().take(BUCKET))
                .copied()
                .filter(|&j| catalog.answers[j].locale == answer.locale)
                .collect();
            candidates.sort_unstable_by_key(|&j| rank[j]);
            candidates.dedup();
            let chosen =
                related::related_answers(answer, candidates.iter().map(|&j| &catalog.answers[j]), RELATED);
            chosen
                .into_iter()
                .filter_map(|a| candidates.iter().copied().find(|&j| catalog.answers[j].slug == a.slug))
                .collect()
        })
        .collect()
}

/// The snapshot currently served, swapped atomically on import.
#[derive(Debug, Clone)]
pub struct Published(Arc<ArcSwap<Snapshot>>);

impl Published {
    pub fn new(snapshot: Snapshot) -> Self {
        Self(Arc::new(ArcSwap::from_pointee(snapshot)))
    }

    pub fn current(&self) -> Arc<Snapshot> {
        self.0.load_full()
    }

    pub fn replace(&self, snapshot: Snapshot) {
        self.0.store(Arc::new(snapshot));
    }
}
