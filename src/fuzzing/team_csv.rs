//! The team planner's CSV parser ([`read_team`]): any bytes are read or refused without
//! panicking, rows keep the invariants [`TeamRow`] documents, and the rows written back as
//! CSV (with the file's delimiter) read back the same.

use crate::domain::team::{MAX_ITEMS, MAX_ROWS, NAME_MAX, Team, TeamRow, read_team};

pub fn check(data: &[u8]) {
    let Ok(team) = read_team(data) else { return };
    assert!(matches!(team.delimiter, b',' | b';'), "delimiter {:?}", team.delimiter);
    assert!(team.rows.len() <= MAX_ROWS, "more rows than the limit");
    let mut lines: Vec<u64> =
        team.rows.iter().map(|r| r.line).chain(team.problems.iter().map(|p| p.line)).collect();
    assert!(lines.iter().all(|&l| l >= 1), "a line 0");
    lines.sort_unstable();
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "two rows or problems on one line: {lines:?}");
    for row in &team.rows {
        assert_row(row);
    }
    let again = read_team(&write(&team)).expect("rows written back read back");
    assert!(again.problems.is_empty(), "rows written back have problems: {:?}", again.problems);
    assert_eq!(again.delimiter, team.delimiter);
    let strip = |rows: &[TeamRow]| -> Vec<TeamRow> {
        rows.iter().map(|r| TeamRow { line: 0, ..r.clone() }).collect()
    };
    assert!(strip(&again.rows) == strip(&team.rows), "rows written back read back differently");
}

fn assert_row(row: &TeamRow) {
    assert!(!row.name.is_empty() && row.name.trim() == row.name, "a name not trimmed");
    assert!(row.name.chars().count() <= NAME_MAX, "a name too long");
    assert!(!row.responsibilities.is_empty() && row.responsibilities.len() <= MAX_ITEMS, "responsibilities");
    for (i, (id, weight)) in row.responsibilities.iter().enumerate() {
        assert!((1..=3).contains(weight), "weight {weight}");
        assert!(!id.is_empty() && id.trim() == id, "an id not trimmed: {id:?}");
        assert!(row.responsibilities[..i].iter().all(|(other, _)| other != id), "a repeated id");
    }
    assert!(row.held.len() <= MAX_ITEMS, "too many held");
    for (i, code) in row.held.iter().chain(&row.assigned).enumerate() {
        assert!(!code.is_empty() && *code == code.to_uppercase(), "a code not upper-cased: {code:?}");
        assert!(i >= row.held.len() || row.held[..i].iter().all(|other| other != code), "a repeated code");
    }
}

/// The rows as a Team CSV with the team's delimiter.
fn write(team: &Team) -> Vec<u8> {
    let mut out = csv::WriterBuilder::new().delimiter(team.delimiter).from_writer(Vec::new());
    out.write_record(["name", "responsibilities", "held", "assigned"]).expect("writing to memory");
    for row in &team.rows {
        let responsibilities: Vec<String> =
            row.responsibilities.iter().map(|(id, w)| format!("{id}:{w}")).collect();
        out.write_record([
            row.name.as_str(),
            &responsibilities.join("|"),
            &row.held.join("|"),
            row.assigned.as_deref().unwrap_or(""),
        ])
        .expect("writing to memory");
    }
    out.into_inner().expect("writing to memory")
}
