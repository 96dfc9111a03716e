//! The "Team CSV" a training manager pastes or uploads into the team planner, read row by
//! row: who is on the team, what each person is responsible for (and how much it weighs),
//! which certifications they hold and which one they are assigned.
//!
//! A header row names the columns, in any order and any case: `name` and
//! `responsibilities` (required), `held` and `assigned` (optional). The delimiter, `,` or
//! `;`, is read from the header; lists inside a field are separated by `|`, or also by `;`
//! when the delimiter is `,`. A responsibility is an id, or `id:weight` with a weight of 1,
//! 2 or 3 (2 when none is given). The file is UTF-8, with or without a BOM, of at most
//! [`MAX_BYTES`] and [`MAX_ROWS`] rows.
//!
//! A file that cannot be read at all is a [`TeamError`]. Otherwise every bad row becomes a
//! [`RowProblem`] with its line and why, and the good rows are still planned. Ids and codes
//! are not checked against the catalog here: only the planner knows the catalog.
//!
//! The names are used for the answer only: never stored, never logged. That is why
//! [`TeamRow`] and [`JsonRow`] do not implement `Serialize` and why their `Debug` prints
//! `"…"` instead of the name; a [`RowProblem`] names the line, never the person.

use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// Limits of one team upload: data rows (the header excluded) and bytes.
pub const MAX_ROWS: usize = 500;
/// The most items one list of a row holds (responsibilities, held codes).
pub const MAX_ITEMS: usize = 64;
pub const MAX_BYTES: usize = 1024 * 1024;
/// The longest name, in characters.
pub const NAME_MAX: usize = 200;
/// The weight of a responsibility given without `:weight`.
pub const DEFAULT_WEIGHT: u8 = 2;

/// The columns a header may name, in the order of [`EXAMPLE_HEADER`].
const COLUMNS: [&str; 4] = ["name", "responsibilities", "held", "assigned"];
const COLUMN_LIST: &str = "`name`, `responsibilities`, `held` and `assigned`";
const EXAMPLE_HEADER: &str = "name,responsibilities,held,assigned";

/// One person as the file gives them, ids and codes not yet checked against the catalog
/// (the planner does that, since only it knows the catalog).
///
/// No `Serialize`, and a `Debug` that leaves the name out, so that a name is never
/// written anywhere by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct TeamRow {
    /// The line of the file the row starts on (the header is line 1 when it is the first
    /// line); for JSON rows, the row's position in the array, 1-based.
    pub line: u64,
    /// Trimmed, never empty, at most [`NAME_MAX`] characters.
    pub name: String,
    /// Responsibility ids, trimmed, each once (with the highest weight it was given), in
    /// the order of the file; the weight is 1 to 3, [`DEFAULT_WEIGHT`] when none is given.
    /// Never empty.
    pub responsibilities: Vec<(String, u8)>,
    /// Certification codes held: trimmed, upper-cased (codes are case-insensitive), each
    /// once, in the order of the file.
    pub held: Vec<String>,
    /// The certification code assigned: trimmed, upper-cased; `None` when left empty.
    pub assigned: Option<String>,
}

impl fmt::Debug for TeamRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TeamRow")
            .field("line", &self.line)
            .field("name", &"…")
            .field("responsibilities", &self.responsibilities)
            .field("held", &self.held)
            .field("assigned", &self.assigned)
            .finish()
    }
}

/// A row that could not be read, with why. It names the line, never the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowProblem {
    /// As [`TeamRow::line`].
    pub line: u64,
    pub reason: String,
}

/// What could be read of a team: the good rows and a problem for each bad one, both in the
/// order of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub rows: Vec<TeamRow>,
    pub problems: Vec<RowProblem>,
    /// The file's delimiter, `b','` or `b';'` (`b','` for JSON rows), so that an answer
    /// written back as CSV uses the one the manager's spreadsheet uses.
    pub delimiter: u8,
}

/// Why nothing could be read at all (a 4xx for the whole input).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeamError {
    #[error("the file is empty: expected a header row such as `{EXAMPLE_HEADER}`")]
    Empty,
    #[error("the file is {bytes} bytes long: at most 1 MiB ({max} bytes) can be read", max = MAX_BYTES)]
    TooLarge { bytes: usize },
    #[error("the team has {rows} rows: at most {max} can be planned at once", max = MAX_ROWS)]
    TooManyRows { rows: usize },
    /// Not UTF-8; the message names what it looks like instead.
    #[error("{0}")]
    Encoding(String),
    /// A header row that does not name the columns as expected.
    #[error("{0}")]
    Header(String),
}

/// Reads a Team CSV: the header, then every row. `Err` only when nothing can be read at
/// all; a bad row is a [`RowProblem`] and the other rows are still read.
///
/// Blank lines (and rows whose fields are all empty) are skipped and not counted. A row
/// with fewer fields than the header has the missing ones empty; one with more is a
/// problem unless the extra fields are empty (spreadsheets add trailing delimiters).
pub fn read_team(bytes: &[u8]) -> Result<Team, TeamError> {
    if bytes.len() > MAX_BYTES {
        return Err(TeamError::TooLarge { bytes: bytes.len() });
    }
    let text = decode(bytes)?;
    let header_line = text
        .lines()
        .find(|line| line.chars().any(|c| !c.is_whitespace() && c != ',' && c != ';'))
        .ok_or(TeamError::Empty)?;
    let delimiter = delimiter_of(header_line)?;
    let lines = Lines::new(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());

    let mut columns = None;
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut count = 0;
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                // Not expected (the text is UTF-8), but never a reason to give up on the rest.
                let line = e.position().map_or(1, |p| lines.line_of(p.byte()));
                problems.push(RowProblem { line, reason: format!("the row could not be read: {e}") });
                continue;
            }
        };
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        let Some(columns) = &columns else {
            columns = Some(Columns::of(&record)?);
            continue;
        };
        count += 1;
        let line = lines.line_of(record.position().map_or(0, csv::Position::byte));
        match columns.row(line, &record, delimiter) {
            Ok(row) => rows.push(row),
            Err(reason) => problems.push(RowProblem { line, reason }),
        }
    }
    if columns.is_none() {
        return Err(TeamError::Empty);
    }
    if count > MAX_ROWS {
        return Err(TeamError::TooManyRows { rows: count });
    }
    Ok(Team { rows, problems, delimiter })
}

/// A row of a team sent as JSON (an array of these) instead of as a file.
///
/// Read as a row of a comma-separated file would be: a string may hold a list separated
/// by `|` or `;`. A row whose fields are all empty is skipped.
#[derive(Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonRow {
    pub name: String,
    #[serde(default)]
    pub responsibilities: ResponsibilitiesField,
    #[serde(default)]
    pub held: Vec<String>,
    #[serde(default)]
    pub assigned: Option<String>,
}

impl fmt::Debug for JsonRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonRow")
            .field("name", &"…")
            .field("responsibilities", &self.responsibilities)
            .field("held", &self.held)
            .field("assigned", &self.assigned)
            .finish()
    }
}

/// The responsibilities of a [`JsonRow`]: a list such as `["device-fleet",
/// "identity-access:3"]`, a map such as `{"device-fleet": 3}` (weights 1 to 3, as numbers
/// or strings), or one string such as `"device-fleet|identity-access:3"`.
#[derive(Debug, Clone, PartialEq, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum ResponsibilitiesField {
    List(Vec<String>),
    Map(WeightMap),
    Text(String),
}

impl Default for ResponsibilitiesField {
    fn default() -> Self {
        ResponsibilitiesField::List(Vec::new())
    }
}

/// A JSON object of responsibility ids and weights, in the order it was written (a weight
/// is checked with the row, so a bad one is a [`RowProblem`], not a bad request).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WeightMap(pub Vec<(String, serde_json::Value)>);

impl utoipa::PartialSchema for WeightMap {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, OneOfBuilder, Type};
        let weight = OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)).maximum(Some(3)))
            .item(ObjectBuilder::new().schema_type(Type::String).pattern(Some("^[1-3]$")));
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some("Responsibility ids and weights 1 to 3, as numbers or strings."))
            .additional_properties(Some(AdditionalProperties::RefOr(weight.into())))
            .into()
    }
}

impl utoipa::ToSchema for WeightMap {}

impl<'de> Deserialize<'de> for WeightMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = WeightMap;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of responsibility ids and weights")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WeightMap, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry()? {
                    pairs.push(pair);
                }
                Ok(WeightMap(pairs))
            }
        }
        deserializer.deserialize_map(Pairs)
    }
}

impl Team {
    /// Reads a team sent as JSON rows, with the rules of [`read_team`]. There are no lines
    /// here: a row's `line` is its position in the array, 1-based.
    pub fn from_json_rows(json: &[JsonRow]) -> Result<Team, TeamError> {
        if json.len() > MAX_ROWS {
            return Err(TeamError::TooManyRows { rows: json.len() });
        }
        let delimiter = b',';
        let mut rows = Vec::new();
        let mut problems = Vec::new();
        for (line, row) in (1..).zip(json) {
            if is_blank_json(row) {
                continue;
            }
            match json_row(line, row, delimiter) {
                Ok(row) => rows.push(row),
                Err(reason) => problems.push(RowProblem { line, reason }),
            }
        }
        Ok(Team { rows, problems, delimiter })
    }
}

fn is_blank_json(row: &JsonRow) -> bool {
    let blank = |s: &str| s.trim().is_empty();
    blank(&row.name)
        && match &row.responsibilities {
            ResponsibilitiesField::List(items) => items.iter().all(|s| blank(s)),
            ResponsibilitiesField::Map(map) => map.0.is_empty(),
            ResponsibilitiesField::Text(text) => blank(text),
        }
        && row.held.iter().all(|s| blank(s))
        && row.assigned.as_deref().is_none_or(blank)
}

fn json_row(line: u64, row: &JsonRow, delimiter: u8) -> Result<TeamRow, String> {
    let name = checked_name(&row.name)?;
    let mut responsibilities = Vec::new();
    match &row.responsibilities {
        ResponsibilitiesField::List(items) => {
            for item in items.iter().flat_map(|item| list(item, delimiter)) {
                add_item(&mut responsibilities, item)?;
            }
        }
        ResponsibilitiesField::Text(text) => {
            for item in list(text, delimiter) {
                add_item(&mut responsibilities, item)?;
            }
        }
        ResponsibilitiesField::Map(map) => {
            for (id, weight) in &map.0 {
                let id = id.trim();
                if id.is_empty() {
                    continue;
                }
                let weight = match weight {
                    serde_json::Value::Number(n) => n.as_u64().and_then(|w| u8::try_from(w).ok()),
                    serde_json::Value::String(s) => weight_of(s),
                    _ => None,
                }
                .filter(|w| (1..=3).contains(w))
                .ok_or_else(|| format!("`{id}: {weight}`: the weight must be 1, 2 or 3"))?;
                add(&mut responsibilities, id, weight);
            }
        }
    }
    let held = row.held.iter().flat_map(|item| list(item, delimiter));
    finish(line, name, responsibilities, held, row.assigned.as_deref().unwrap_or(""), delimiter)
}

/// Where each column is in the file's rows.
#[derive(Debug)]
struct Columns {
    /// The index of each of [`COLUMNS`], if the header names it.
    index: [Option<usize>; 4],
    /// How many columns the header names.
    len: usize,
}

impl Columns {
    fn of(header: &csv::StringRecord) -> Result<Columns, TeamError> {
        let mut cells: Vec<&str> = header.iter().map(str::trim).collect();
        while cells.last().is_some_and(|cell| cell.is_empty()) {
            cells.pop();
        }
        let mut index = [None; 4];
        let mut unknown = None;
        for (i, cell) in cells.iter().enumerate() {
            if cell.is_empty() {
                return Err(TeamError::Header(format!(
                    "column {} of the header has no name: the columns are {COLUMN_LIST}",
                    i + 1
                )));
            }
            match COLUMNS.iter().position(|column| column.eq_ignore_ascii_case(cell)) {
                Some(known) if index[known].is_some() => {
                    return Err(TeamError::Header(format!(
                        "the column `{}` appears twice in the header",
                        COLUMNS[known]
                    )));
                }
                Some(known) => index[known] = Some(i),
                None => unknown = unknown.or(Some(*cell)),
            }
        }
        if let Some(cell) = unknown {
            let hint =
                if index.iter().all(Option::is_none) { "; the first row must be the header" } else { "" };
            return Err(TeamError::Header(format!(
                "unknown column `{cell}` in the header: the columns are {COLUMN_LIST}{hint}"
            )));
        }
        for (column, at) in COLUMNS.iter().zip(index).take(2) {
            if at.is_none() {
                return Err(TeamError::Header(format!(
                    "the header has no `{column}` column: expected a header row such as `{EXAMPLE_HEADER}`"
                )));
            }
        }
        Ok(Columns { index, len: cells.len() })
    }

    fn row(&self, line: u64, record: &csv::StringRecord, delimiter: u8) -> Result<TeamRow, String> {
        if record.iter().skip(self.len).any(|field| !field.trim().is_empty()) {
            let d = char::from(delimiter);
            return Err(format!(
                "has {} fields but the header has {}: quote a field that holds a `{d}`, or separate a list with `|`",
                record.len(),
                self.len
            ));
        }
        let field = |column: usize| self.index[column].and_then(|i| record.get(i)).unwrap_or("");
        let name = checked_name(field(0))?;
        let mut responsibilities = Vec::new();
        for item in list(field(1), delimiter) {
            add_item(&mut responsibilities, item)?;
        }
        finish(line, name, responsibilities, list(field(2), delimiter), field(3), delimiter)
    }
}

/// The rest of a row, once its name and responsibilities are read.
fn finish<'a>(
    line: u64,
    name: &str,
    responsibilities: Vec<(String, u8)>,
    held: impl Iterator<Item = &'a str>,
    assigned: &str,
    delimiter: u8,
) -> Result<TeamRow, String> {
    if responsibilities.is_empty() {
        return Err("no responsibilities: list at least one responsibility id".to_owned());
    }
    let mut codes: Vec<String> = Vec::new();
    for code in held.map(str::to_uppercase) {
        if !codes.contains(&code) {
            // A bound, so that checking for repeats stays cheap whatever the file holds.
            if codes.len() >= MAX_ITEMS {
                return Err(format!("more than {MAX_ITEMS} certifications in `held`"));
            }
            codes.push(code);
        }
    }
    let assigned_codes: Vec<&str> = list(assigned, delimiter).collect();
    let assigned = match assigned_codes[..] {
        [] => None,
        [code] => Some(code.to_uppercase()),
        _ => {
            return Err(format!(
                "`assigned` holds one code, found {}: `{}`",
                assigned_codes.len(),
                assigned.trim()
            ));
        }
    };
    Ok(TeamRow { line, name: name.to_owned(), responsibilities, held: codes, assigned })
}

fn checked_name(name: &str) -> Result<&str, String> {
    let name = name.trim();
    if name.is_empty() {
        Err("no name".to_owned())
    } else if name.chars().count() > NAME_MAX {
        Err(format!("the name is longer than {NAME_MAX} characters"))
    } else {
        Ok(name)
    }
}

/// The items of a list field, trimmed, empty ones dropped: separated by `|`, and by `;`
/// too when the file's delimiter is `,`.
fn list(field: &str, delimiter: u8) -> impl Iterator<Item = &str> {
    field
        .split(move |c| c == '|' || (c == ';' && delimiter == b','))
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

/// Adds `id` or `id:weight` (trimmed, not empty).
fn add_item(responsibilities: &mut Vec<(String, u8)>, item: &str) -> Result<(), String> {
    let (id, weight) = match item.split_once(':') {
        None => (item, DEFAULT_WEIGHT),
        Some((id, weight)) => {
            let id = id.trim();
            if id.is_empty() {
                return Err(format!("`{item}`: no responsibility id before the weight"));
            }
            let weight =
                weight_of(weight).ok_or_else(|| format!("`{item}`: the weight must be 1, 2 or 3"))?;
            (id, weight)
        }
    };
    if responsibilities.len() >= MAX_ITEMS && !responsibilities.iter().any(|(known, _)| known == id) {
        return Err(format!("more than {MAX_ITEMS} responsibilities in one row"));
    }
    add(responsibilities, id, weight);
    Ok(())
}

fn weight_of(s: &str) -> Option<u8> {
    match s.trim() {
        "1" => Some(1),
        "2" => Some(2),
        "3" => Some(3),
        _ => None,
    }
}

/// Adds a responsibility, or raises the weight of one already there.
fn add(responsibilities: &mut Vec<(String, u8)>, id: &str, weight: u8) {
    match responsibilities.iter_mut().find(|(known, _)| known == id) {
        Some((_, known)) => *known = (*known).max(weight),
        None => responsibilities.push((id.to_owned(), weight)),
    }
}

/// The delimiter the header row uses.
fn delimiter_of(header: &str) -> Result<u8, TeamError> {
    let known = |d: char| header.split(d).filter(|cell| is_column(cell)).count();
    match (header.contains(','), header.contains(';')) {
        (false, true) => Ok(b';'),
        (true, true) if known(';') > known(',') => Ok(b';'),
        (false, false) if header.contains('\t') => {
            Err(TeamError::Header("the header is separated by tabs; use `,` or `;`".to_owned()))
        }
        (false, false) if header.split('|').filter(|cell| is_column(cell)).count() > 1 => {
            Err(TeamError::Header("the header is separated by `|`; use `,` or `;`".to_owned()))
        }
        // `,`, or a single column: the header check then says which one is missing.
        _ => Ok(b','),
    }
}

fn is_column(cell: &str) -> bool {
    let cell = cell.trim().trim_matches('"').trim();
    COLUMNS.iter().any(|column| column.eq_ignore_ascii_case(cell))
}

/// The text of the file: UTF-8 without its BOM, or what it looks like instead.
fn decode(bytes: &[u8]) -> Result<&str, TeamError> {
    let utf16 = |order: &str| {
        TeamError::Encoding(format!("the file is UTF-16 ({order}), not UTF-8; save it as UTF-8"))
    };
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Err(utf16("little-endian"));
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(utf16("big-endian"));
    }
    // Without a BOM, UTF-16 text of the Latin alphabet has a NUL every other byte.
    let pairs: Vec<&[u8]> = bytes.chunks_exact(2).take(64).collect();
    if pairs.len() >= 2 {
        let share =
            |test: fn(&[u8]) -> bool| pairs.iter().filter(|pair| test(pair)).count() * 4 >= pairs.len() * 3;
        if share(|pair| pair[0] != 0 && pair[1] == 0) {
            return Err(utf16("little-endian"));
        }
        if share(|pair| pair[0] == 0 && pair[1] != 0) {
            return Err(utf16("big-endian"));
        }
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = memchr::memchr_iter(b'\n', &bytes[..at]).count() + 1;
        TeamError::Encoding(format!(
            "the file is not UTF-8: the byte 0x{:02X} on line {line} is not valid UTF-8; \
             save the file as UTF-8 (Windows-1252 or Latin-1 perhaps)",
            bytes[at]
        ))
    })
}

/// Where the lines of a text start, to turn a record's byte offset into its line.
struct Lines<'a> {
    text: &'a [u8],
    /// The offset of every line break: `\n`, and a `\r` not followed by one, which ends a
    /// record for the CSV reader too (old Mac files; found by the `team_csv` fuzz target,
    /// `fuzz/regressions/team_csv/`).
    breaks: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let text = text.as_bytes();
        let breaks = memchr::memchr2_iter(b'\n', b'\r', text)
            .filter(|&i| text[i] == b'\n' || text.get(i + 1) != Some(&b'\n'))
            .collect();
        Lines { text, breaks }
    }

    /// The 1-based line of the record at `offset`. The reader gives the offset where it
    /// started looking, so the line breaks of blank lines before the record are skipped.
    fn line_of(&self, offset: u64) -> u64 {
        let mut at = usize::try_from(offset).unwrap_or(usize::MAX).min(self.text.len());
        while self.text.get(at).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            at += 1;
        }
        let line = self.breaks.partition_point(|&b| b < at) + 1;
        u64::try_from(line).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Team {
        read_team(text.as_bytes()).unwrap()
    }

    fn row(
        line: u64,
        name: &str,
        responsibilities: &[(&str, u8)],
        held: &[&str],
        assigned: Option<&str>,
    ) -> TeamRow {
        TeamRow {
            line,
            name: name.to_owned(),
            responsibilities: responsibilities.iter().map(|&(id, w)| (id.to_owned(), w)).collect(),
            held: held.iter().map(|&c| c.to_owned()).collect(),
            assigned: assigned.map(str::to_owned),
        }
    }

    fn problem(line: u64, reason: &str) -> RowProblem {
        RowProblem { line, reason: reason.to_owned() }
    }

    fn header_error(text: &str) -> String {
        match read_team(text.as_bytes()) {
            Err(TeamError::Header(message)) => message,
            other => panic!("expected a header error, got {other:?}"),
        }
    }

    fn encoding_error(bytes: &[u8]) -> String {
        match read_team(bytes) {
            Err(TeamError::Encoding(message)) => message,
            other => panic!("expected an encoding error, got {other:?}"),
        }
    }

    #[test]
    fn rows_ended_by_a_lone_carriage_return_are_on_their_own_lines() {
        let team = read("name,responsibilities\rAnn,a\rBo,b\r\nCy,c\n");
        let lines: Vec<u64> = team.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 4]);
    }

    #[test]
    fn a_comma_file_is_read_row_by_row() {
        let team = read(
            "name,responsibilities,held,assigned\n\
             Ann Example,device-fleet:3|identity-access,az-104|MS-102,az-500\n\
             Bo Sample,endpoint-security,,\n",
        );
        assert_eq!(team.delimiter, b',');
        assert_eq!(team.problems, []);
        assert_eq!(
            team.rows,
            [
                row(
                    2,
                    "Ann Example",
                    &[("device-fleet", 3), ("identity-access", 2)],
                    &["AZ-104", "MS-102"],
                    Some("AZ-500")
                ),
                row(3, "Bo Sample", &[("endpoint-security", 2)], &[], None),
            ]
        );
    }

    #[test]
    fn a_semicolon_file_lists_with_bars_only() {
        let team = read(
            "name;responsibilities;held;assigned\n\
             Müller, Anna;device-fleet|identity-access:1;AZ-104|ms-102;\n",
        );
        assert_eq!(team.delimiter, b';');
        assert_eq!(
            team.rows,
            [row(
                2,
                "Müller, Anna",
                &[("device-fleet", 2), ("identity-access", 1)],
                &["AZ-104", "MS-102"],
                None
            )]
        );
        // `,` is not a list separator in a `;` file: one (unknown) code, for the planner to report.
        let team = read("name;responsibilities;held\nAnn;device-fleet;AZ-104,MS-102\n");
        assert_eq!(team.rows[0].held, ["AZ-104,MS-102"]);
    }

    #[test]
    fn a_comma_file_lists_with_semicolons_or_bars() {
        let team =
            read("name,responsibilities,held\nAnn, device-fleet ; identity-access:3 | ,  az-104;;Ms-102 \n");
        assert_eq!(
            team.rows,
            [row(2, "Ann", &[("device-fleet", 2), ("identity-access", 3)], &["AZ-104", "MS-102"], None)]
        );
    }

    #[test]
    fn weights_are_1_2_or_3_the_highest_kept_and_2_by_default() {
        let team = read(
            "name,responsibilities\n\
             Ann,a:1|b: 3 |c|a:2|c:1|b\n",
        );
        assert_eq!(team.rows[0].responsibilities, [("a".into(), 2), ("b".into(), 3), ("c".into(), 2)]);
        for bad in ["a:0", "a:4", "a:5", "a:", "a:two", "a:2.5", "a:-1"] {
            let team = read(&format!("name,responsibilities\nAnn,{bad}\n"));
            assert_eq!(team.problems, [problem(2, &format!("`{bad}`: the weight must be 1, 2 or 3"))]);
        }
        let team = read("name,responsibilities\nAnn,:3\n");
        assert_eq!(team.problems, [problem(2, "`:3`: no responsibility id before the weight")]);
    }

    #[test]
    fn held_codes_are_upper_cased_and_each_kept_once_in_order() {
        let team = read("name,responsibilities,held\nAnn,a,ms-102|AZ-104|az-104|MS-102|sc-300\n");
        assert_eq!(team.rows[0].held, ["MS-102", "AZ-104", "SC-300"]);
    }

    #[test]
    fn a_bom_and_crlf_line_ends_are_read() {
        let team = read("\u{feff}Name,Responsibilities\r\nAnn,a\r\n\r\nBo,b\r\n");
        assert_eq!(team.rows, [row(2, "Ann", &[("a", 2)], &[], None), row(4, "Bo", &[("b", 2)], &[], None)]);
    }

    #[test]
    fn quoted_fields_may_hold_the_delimiter_and_line_breaks() {
        let team = read(
            "name,responsibilities,held\n\
             \"Example, Ann\",\"device-fleet,\nidentity-access\",AZ-104\n\
             \"Bo \"\"B\"\" Sample\",a\n\
             \n\
             Cy,\"b\r\n\r\n|c\",\n",
        );
        assert_eq!(team.problems, []);
        assert_eq!(
            team.rows,
            [
                // `,` inside a quoted field is not a list separator: one (unknown) id.
                row(2, "Example, Ann", &[("device-fleet,\nidentity-access", 2)], &["AZ-104"], None),
                row(4, "Bo \"B\" Sample", &[("a", 2)], &[], None),
                row(6, "Cy", &[("b", 2), ("c", 2)], &[], None),
            ]
        );
    }

    #[test]
    fn headers_are_case_insensitive_in_any_order_and_the_optional_columns_may_be_absent() {
        let team = read(" ASSIGNED ; Responsibilities ;NAME\nms-102;a;Ann\n");
        assert_eq!(team.rows, [row(2, "Ann", &[("a", 2)], &[], Some("MS-102"))]);
        let team = read("responsibilities,name\na,Ann\n");
        assert_eq!(team.rows, [row(2, "Ann", &[("a", 2)], &[], None)]);
        let team = read("\"name\",\"held\",\"responsibilities\"\nAnn,AZ-104,a\n");
        assert_eq!(team.rows, [row(2, "Ann", &[("a", 2)], &["AZ-104"], None)]);
    }

    #[test]
    fn a_header_alone_is_a_team_of_nobody() {
        let team = read("name,responsibilities\n");
        assert_eq!((team.rows.len(), team.problems.len()), (0, 0));
    }

    #[test]
    fn blank_lines_and_empty_rows_are_skipped_and_missing_trailing_fields_are_empty() {
        let team =
            read("\n\nname,responsibilities,held,assigned,\n\n,,,\n  \t  \nAnn,a\n,,,,\nBo,b,AZ-104,,,\n");
        assert_eq!(team.problems, []);
        assert_eq!(
            team.rows,
            [row(7, "Ann", &[("a", 2)], &[], None), row(9, "Bo", &[("b", 2)], &["AZ-104"], None)]
        );
    }

    #[test]
    fn each_bad_row_is_named_with_its_line_and_the_good_rows_still_come_through() {
        let long = "é".repeat(201);
        let team = read(&format!(
            "name,responsibilities,held,assigned\n\
             Ann,a\n\
             ,a,AZ-104\n\
             Bo,,AZ-104\n\
             Cy, | ;\n\
             Di,a:5\n\
             Ed,a,,AZ-104|MS-102\n\
             Fa,a,b,c,d\n\
             {long},a\n\
             Gu,b,=cmd,@x\n\
             \"Ha\nHo\",a:4\n\
             Io,c\n"
        ));
        assert_eq!(
            team.problems,
            [
                problem(3, "no name"),
                problem(4, "no responsibilities: list at least one responsibility id"),
                problem(5, "no responsibilities: list at least one responsibility id"),
                problem(6, "`a:5`: the weight must be 1, 2 or 3"),
                problem(7, "`assigned` holds one code, found 2: `AZ-104|MS-102`"),
                problem(
                    8,
                    "has 5 fields but the header has 4: quote a field that holds a `,`, or separate a list with `|`"
                ),
                problem(9, "the name is longer than 200 characters"),
                problem(11, "`a:4`: the weight must be 1, 2 or 3"),
            ]
        );
        assert_eq!(
            team.rows,
            [
                row(2, "Ann", &[("a", 2)], &[], None),
                row(10, "Gu", &[("b", 2)], &["=CMD"], Some("@X")),
                row(13, "Io", &[("c", 2)], &[], None),
            ]
        );
        let exactly = "é".repeat(200);
        assert_eq!(read(&format!("name,responsibilities\n{exactly},a\n")).rows[0].name, exactly);
    }

    #[test]
    fn a_row_problem_never_names_the_person() {
        let team = read("name,responsibilities,assigned\nAnn Secret,a:9\nBo Secret,a,x;y\nCy Secret,a,b,c\n");
        assert_eq!(team.problems.len(), 3);
        for p in &team.problems {
            assert!(!p.reason.contains("Secret"), "{}", p.reason);
            assert!(!serde_json::to_string(p).unwrap().contains("Secret"));
        }
    }

    #[test]
    fn an_empty_file_is_an_error() {
        for empty in ["", "\u{feff}", "\n\r\n  \n", ",,,\n;;\n"] {
            assert_eq!(read_team(empty.as_bytes()), Err(TeamError::Empty), "{empty:?}");
        }
        assert_eq!(
            TeamError::Empty.to_string(),
            "the file is empty: expected a header row such as `name,responsibilities,held,assigned`"
        );
    }

    #[test]
    fn header_errors_say_what_is_wrong() {
        assert_eq!(
            header_error("name\nAnn\n"),
            "the header has no `responsibilities` column: \
             expected a header row such as `name,responsibilities,held,assigned`"
        );
        assert_eq!(
            header_error("responsibilities;held\na;b\n"),
            "the header has no `name` column: expected a header row such as `name,responsibilities,held,assigned`"
        );
        assert_eq!(
            header_error("name,responsibilities,email\n"),
            "unknown column `email` in the header: the columns are `name`, `responsibilities`, `held` and `assigned`"
        );
        assert_eq!(
            header_error("Ann,device-fleet\n"),
            "unknown column `Ann` in the header: the columns are `name`, `responsibilities`, `held` and \
             `assigned`; the first row must be the header"
        );
        assert_eq!(
            header_error("name,Held,responsibilities,held\n"),
            "the column `held` appears twice in the header"
        );
        assert_eq!(
            header_error("name,,responsibilities\n"),
            "column 2 of the header has no name: the columns are `name`, `responsibilities`, `held` and `assigned`"
        );
        assert_eq!(
            header_error("name\tresponsibilities\nAnn\ta\n"),
            "the header is separated by tabs; use `,` or `;`"
        );
        assert_eq!(header_error("name|responsibilities\n"), "the header is separated by `|`; use `,` or `;`");
    }

    #[test]
    fn a_header_with_both_delimiters_uses_the_one_that_splits_it_into_columns() {
        assert_eq!(
            header_error("name;responsibilities;held,assigned\n"),
            "unknown column `held,assigned` in the header: \
             the columns are `name`, `responsibilities`, `held` and `assigned`"
        );
        assert_eq!(
            header_error("name,responsibilities,held;assigned\n"),
            "unknown column `held;assigned` in the header: \
             the columns are `name`, `responsibilities`, `held` and `assigned`"
        );
    }

    #[test]
    fn more_than_500_rows_is_an_error_and_500_are_fine() {
        let file = |rows: usize| {
            let mut text = String::from("name,responsibilities\n");
            text.extend((0..rows).map(|i| format!("Person {i},a\n\n")));
            text
        };
        let team = read(&file(500));
        assert_eq!(team.rows.len(), 500);
        assert_eq!(team.rows[499].line, 1000);
        assert_eq!(read_team(file(501).as_bytes()), Err(TeamError::TooManyRows { rows: 501 }));
        assert_eq!(
            TeamError::TooManyRows { rows: 501 }.to_string(),
            "the team has 501 rows: at most 500 can be planned at once"
        );
        // Bad rows count too; blank ones do not.
        let mut text = file(500);
        text.push_str(",,\n");
        assert_eq!(read(&text).rows.len(), 500);
        text.push_str("Ann,\n");
        assert_eq!(read_team(text.as_bytes()), Err(TeamError::TooManyRows { rows: 501 }));
    }

    #[test]
    fn exactly_1_mib_is_read_and_a_byte_more_is_too_large() {
        let start = "name,responsibilities\nAnn,a";
        let mut text = format!("{start}{}", " ".repeat(MAX_BYTES - start.len()));
        assert_eq!(text.len(), MAX_BYTES);
        assert_eq!(read(&text).rows, [row(2, "Ann", &[("a", 2)], &[], None)]);
        text.push(' ');
        assert_eq!(read_team(text.as_bytes()), Err(TeamError::TooLarge { bytes: MAX_BYTES + 1 }));
        assert_eq!(
            TeamError::TooLarge { bytes: MAX_BYTES + 1 }.to_string(),
            "the file is 1048577 bytes long: at most 1 MiB (1048576 bytes) can be read"
        );
        // The size comes first, before the encoding is looked at.
        assert_eq!(read_team(&vec![0xFF; MAX_BYTES + 1]), Err(TeamError::TooLarge { bytes: MAX_BYTES + 1 }));
    }

    #[test]
    fn utf16_is_named_with_or_without_a_bom() {
        let text = "name,responsibilities\nAnn,a\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let with_bom = |bom: &[u8], body: &[u8]| [bom, body].concat();
        for bytes in [with_bom(&[0xFF, 0xFE], &le), le] {
            assert_eq!(
                encoding_error(&bytes),
                "the file is UTF-16 (little-endian), not UTF-8; save it as UTF-8"
            );
        }
        for bytes in [with_bom(&[0xFE, 0xFF], &be), be] {
            assert!(encoding_error(&bytes).contains("UTF-16 (big-endian)"));
        }
    }

    #[test]
    fn latin1_is_named_with_the_byte_and_its_line() {
        let bytes = b"name,responsibilities\nAnn,a\nJos\xE9,b\n";
        assert_eq!(
            encoding_error(bytes),
            "the file is not UTF-8: the byte 0xE9 on line 3 is not valid UTF-8; \
             save the file as UTF-8 (Windows-1252 or Latin-1 perhaps)"
        );
        // Cut off in the middle of a character, at the end.
        assert!(encoding_error(b"name,responsibilities\nAnn,a\xC3").contains("the byte 0xC3 on line 2"));
    }

    #[test]
    fn json_rows_take_a_list_a_map_or_a_string_of_responsibilities() {
        let json = r#"[
            {"name": " Ann ", "responsibilities": ["device-fleet", "identity-access:3", "a|b"], "held": ["az-104", "AZ-104"], "assigned": "ms-102"},
            {"name": "Bo", "responsibilities": {"device-fleet": 3, "identity-access": "1", "": 2}},
            {"name": "Cy", "responsibilities": "x;y:1"},
            {"name": ""},
            {"name": "Di", "responsibilities": {"device-fleet": 5}},
            {"name": "Ed", "responsibilities": {"device-fleet": 1.5}},
            {"name": "Fa", "responsibilities": ["a"], "assigned": "AZ-104|MS-102"},
            {"name": "Gu"}
        ]"#;
        let rows: Vec<JsonRow> = serde_json::from_str(json).unwrap();
        let team = Team::from_json_rows(&rows).unwrap();
        assert_eq!(team.delimiter, b',');
        assert_eq!(
            team.rows,
            [
                row(
                    1,
                    "Ann",
                    &[("device-fleet", 2), ("identity-access", 3), ("a", 2), ("b", 2)],
                    &["AZ-104"],
                    Some("MS-102")
                ),
                row(2, "Bo", &[("device-fleet", 3), ("identity-access", 1)], &[], None),
                row(3, "Cy", &[("x", 2), ("y", 1)], &[], None),
            ]
        );
        assert_eq!(
            team.problems,
            [
                problem(5, "`device-fleet: 5`: the weight must be 1, 2 or 3"),
                problem(6, "`device-fleet: 1.5`: the weight must be 1, 2 or 3"),
                problem(7, "`assigned` holds one code, found 2: `AZ-104|MS-102`"),
                problem(8, "no responsibilities: list at least one responsibility id"),
            ]
        );
        assert!(serde_json::from_str::<Vec<JsonRow>>(r#"[{"name": "Ann", "email": "x"}]"#).is_err());
        let many = vec![rows[2].clone(); 501];
        assert_eq!(Team::from_json_rows(&many), Err(TeamError::TooManyRows { rows: 501 }));
        assert_eq!(Team::from_json_rows(&many[..500]).unwrap().rows.len(), 500);
    }

    #[test]
    fn debug_never_prints_the_name() {
        let team = read("name,responsibilities\nAnn Secret,a\n");
        let debug = format!("{team:?}");
        assert!(!debug.contains("Secret"), "{debug}");
        assert!(debug.contains(r#"name: "…""#), "{debug}");
        let rows: Vec<JsonRow> = serde_json::from_str(r#"[{"name": "Bo Secret"}]"#).unwrap();
        assert!(!format!("{rows:?}").contains("Secret"));
    }

    /// Lines end at `\n`, `\r\n` or a lone `\r`.
    fn lines_in(bytes: &[u8]) -> u64 {
        let lone_cr =
            bytes.iter().enumerate().filter(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        (memchr::memchr_iter(b'\n', bytes).count() + lone_cr.count()) as u64 + 1
    }

    fn lines_are_within(bytes: &[u8]) -> Result<(), proptest::test_runner::TestCaseError> {
        if let Ok(team) = read_team(bytes) {
            let lines = team.rows.iter().map(|r| r.line).chain(team.problems.iter().map(|p| p.line));
            for line in lines {
                proptest::prop_assert!((1..=lines_in(bytes)).contains(&line), "line {} of {:?}", line, bytes);
            }
        }
        Ok(())
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_are_read_without_a_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2048)) {
            lines_are_within(&bytes)?;
        }

        #[test]
        fn any_csv_like_text_is_read_with_lines_in_the_file(
            header in proptest::sample::select(vec!["", "name,responsibilities,held,assigned\n", "name;held;responsibilities\r\n"]),
            body in "[ab:1-4,;|\"\r\n ]{0,2000}",
        ) {
            let text = format!("{header}{body}");
            lines_are_within(text.as_bytes())?;
        }
    }
}
