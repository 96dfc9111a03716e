//! The interface phrases of search, in English: the header's search box, the search page
//! and its errors. The lead moves them into the Fluent files with the others.

/// The interface phrases of search (English; moved into Fluent with the others).
#[derive(Debug)]
pub struct SearchText {
    pub search: &'static str,
    pub label: &'static str,
    pub button: &'static str,
    pub title: &'static str,
    pub results_for: &'static str,
    pub lead: &'static str,
    pub kind: &'static str,
    pub answers: &'static str,
    pub certifications: &'static str,
    pub courses: &'static str,
    pub topics: &'static str,
    pub one_result: &'static str,
    pub results: &'static str,
    pub nothing: &'static str,
    pub try_these: &'static str,
    pub latest_answers: &'static str,
    pub suggestions: &'static str,
    pub not_ready: &'static str,
    pub filters: &'static str,
}

pub static SEARCH_EN: SearchText = SearchText {
    search: "Search",
    label: "Search answers, exams and courses",
    button: "Search",
    title: "Search",
    results_for: "Search results for",
    lead: "Search the answers, certifications, courses and topics. Exam codes work however you type them (md102, MD 102, md-102).",
    kind: "Show",
    answers: "Answers",
    certifications: "Certifications",
    courses: "Courses",
    topics: "Topics",
    one_result: "1 result",
    results: "results",
    nothing: "Nothing matches your search. Check the spelling, use fewer words, or start from one of these.",
    try_these: "Browse by topic",
    latest_answers: "Latest answers",
    suggestions: "Suggestions",
    not_ready: "Search is starting up. Please try again in a second.",
    filters: "Filters",
};
