//! The team planner: each person of a team file (`team`) read against the catalog,
//! given their path (`advice::path`) and the mismatches of the exam assigned to them
//! (`advice::mismatches`), and the team's totals: days, price per currency, and how many
//! people each course would take.
//!
//! A person's path is the advisor's path for their responsibilities and held
//! certifications; an assigned exam is judged, not added (a manager sees what the
//! person's work calls for next to what was assigned, and why they differ).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::advice::{self, Choices, Mismatch, Needs, Path, Totals};
use super::team::{RowProblem, Team, TeamRow};
use super::{Catalog, Code};

/// One person's plan. The name is the file's, used for this answer only.
#[derive(Clone, PartialEq)]
pub struct PersonPlan {
    pub line: u64,
    pub name: String,
    pub needs: Needs,
    pub assigned: Option<Code>,
    pub path: Path,
    pub mismatches: Vec<Mismatch>,
}

impl std::fmt::Debug for PersonPlan {
    /// Names are never logged: `Debug` leaves the name out.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonPlan")
            .field("line", &self.line)
            .field("name", &"…")
            .field("needs", &self.needs)
            .field("assigned", &self.assigned)
            .field("path", &self.path)
            .field("mismatches", &self.mismatches)
            .finish()
    }
}

/// How many people one exam's course would take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Places {
    pub code: Code,
    pub people: u32,
}

/// The plan of a whole team.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TeamPlan {
    pub people: Vec<PersonPlan>,
    /// Rows that could not be planned, by line, with why.
    pub problems: Vec<RowProblem>,
    /// Per exam of anyone's path: how many people take it, most people first, then code.
    pub places: Vec<Places>,
    /// Every path's courses, summed (each person counted).
    pub totals: Totals,
}

/// Reads one row against the catalog: its needs and assigned exam, or why it cannot be
/// planned (every unknown id or code named).
fn resolve(catalog: &Catalog, row: &TeamRow) -> Result<(Needs, Option<Code>), String> {
    let weights: Vec<(String, String)> =
        row.responsibilities.iter().map(|(id, weight)| (id.clone(), weight.to_string())).collect();
    let pairs = weights
        .iter()
        .map(|(id, w)| (id.as_str(), w.as_str()))
        .chain(row.held.iter().map(|c| ("held", c.as_str())));
    let choices = Choices::read(catalog, pairs);
    let mut reasons: Vec<String> = choices.problems.iter().map(ToString::to_string).collect();
    let assigned = match &row.assigned {
        Some(written) => {
            match Code::parse(&written.to_ascii_uppercase())
                .ok()
                .filter(|c| catalog.certification(c).is_some())
            {
                Some(code) => Some(code),
                None => {
                    reasons.push(format!("`assigned`: no certification `{written}` in the catalog"));
                    None
                }
            }
        }
        None => None,
    };
    if reasons.is_empty() { Ok((choices.needs, assigned)) } else { Err(reasons.join("; ")) }
}

/// Plans `team` on `today`. Rows the file reader refused and rows naming what the catalog
/// does not have are reported by line; every other row is planned.
pub fn plan(catalog: &Catalog, team: &Team, today: NaiveDate) -> TeamPlan {
    let advisor = advice::Advisor::new(catalog, today);
    let mut problems = team.problems.clone();
    let mut people = Vec::with_capacity(team.rows.len());
    for row in &team.rows {
        match resolve(catalog, row) {
            Ok((needs, assigned)) => {
                let path = advisor.path(&needs);
                let mismatches = assigned
                    .as_ref()
                    .and_then(|code| catalog.certification(code))
                    .map(|cert| advisor.mismatches(&needs, cert))
                    .unwrap_or_default();
                people.push(PersonPlan {
                    line: row.line,
                    name: row.name.clone(),
                    needs,
                    assigned,
                    path,
                    mismatches,
                });
            }
            Err(reason) => problems.push(RowProblem { line: row.line, reason }),
        }
    }
    problems.sort_by_key(|p| p.line);
    let mut counts: BTreeMap<&Code, u32> = BTreeMap::new();
    for person in &people {
        for step in &person.path.steps {
            *counts.entry(&step.code).or_default() += 1;
        }
    }
    let totals = Totals::of(catalog, counts.iter().map(|(code, n)| (*code, *n)));
    let mut places: Vec<Places> =
        counts.into_iter().map(|(code, people)| Places { code: code.clone(), people }).collect();
    places.sort_by(|a, b| b.people.cmp(&a.people).then(a.code.cmp(&b.code)));
    TeamPlan { people, problems, places, totals }
}
