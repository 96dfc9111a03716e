//! `certwise consent export` and `certwise leads export`: the proof-of-consent log and the
//! course inquiries as CSV or JSON Lines.
//!
//! Every CSV cell goes through [`neutralise`]: a lead's name or message is typed by anyone,
//! and a spreadsheet would run `=HYPERLINK(…)` as a formula on the operator's machine.

use std::borrow::Cow;

use anyhow::{Context, bail};

use crate::store::Store;

/// A CSV cell a spreadsheet will not run as a formula: a cell starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return gets a leading `'` (OWASP, "CSV Injection"). Other
/// cells are returned as they are. The `'` is visible in a text editor; spreadsheets show
/// the text without it.
///
/// ```
/// use certwise::export::neutralise;
/// assert_eq!(neutralise("=1+1"), "'=1+1");
/// assert_eq!(neutralise("Ada"), "Ada");
/// ```
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Writes one CSV row, every cell through [`neutralise`].
fn write_row<'a>(
    csv: &mut csv::Writer<impl std::io::Write>,
    cells: impl IntoIterator<Item = &'a str>,
) -> csv::Result<()> {
    csv.write_record(cells.into_iter().map(neutralise).map(Cow::into_owned))
}

/// The UTC times `[from 00:00, the day after to 00:00)`: days `from..=to`.
fn days(
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> anyhow::Result<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)> {
    if to < from {
        bail!("--to ({to}) is before --from ({from})");
    }
    let start = from.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
    let end = to
        .succ_opt()
        .context("--to is the last representable day")?
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc();
    Ok((start, end))
}

/// The format of `certwise consent export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    JsonLines,
}

/// Writes the proof-of-consent records of days `from..=to` (UTC) to `out`.
pub async fn export_consent(
    store: &dyn Store,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    format: ExportFormat,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<usize> {
    use crate::domain::ConsentCategory as C;
    let (start, end) = days(from, to)?;
    let records = store.consent_records(start, end).await.context("reading proof-of-consent records")?;
    match format {
        ExportFormat::JsonLines => {
            for r in &records {
                serde_json::to_writer(&mut *out, r)?;
                writeln!(out)?;
            }
        }
        ExportFormat::Csv => {
            let mut csv = csv::Writer::from_writer(&mut *out);
            write_row(
                &mut csv,
                [
                    "record_id",
                    "consent_id",
                    "recorded_at",
                    "policy_version",
                    "notice_hash",
                    "locale",
                    "action",
                    "preferences",
                    "analytics",
                    "marketing",
                    "channel",
                    "javascript",
                    "gpc",
                ],
            )?;
            for r in &records {
                let grants = |c| r.choices.grants(c).to_string();
                write_row(
                    &mut csv,
                    [
                        r.record_id.as_str(),
                        &r.consent_id,
                        &crate::store::timestamp(r.recorded_at),
                        &r.policy_version,
                        &r.notice_hash,
                        &r.locale,
                        r.action.as_str(),
                        &grants(C::Preferences),
                        &grants(C::Analytics),
                        &grants(C::Marketing),
                        r.channel.as_str(),
                        &r.javascript.to_string(),
                        &r.gpc.to_string(),
                    ],
                )?;
            }
            csv.flush()?;
        }
    }
    Ok(records.len())
}

/// The columns of `certwise leads export --format csv`, in order.
pub const LEAD_COLUMNS: [&str; 13] = [
    "id",
    "received_at",
    "locale",
    "course",
    "course_title",
    "session_id",
    "session_starts_on",
    "session_location",
    "name",
    "email",
    "company",
    "message",
    "consent_text",
];

/// Writes the leads received on days `from..=to` (UTC) to `out`, oldest first: CSV with
/// the header [`LEAD_COLUMNS`] (absent values empty), or one JSON object per line (the
/// stored `Lead` as the webhook receives it).
pub async fn export_leads(
    store: &dyn Store,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    format: ExportFormat,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<usize> {
    days(from, to)?;
    let leads = store.leads_between(from, to).await.context("reading leads")?;
    match format {
        ExportFormat::JsonLines => {
            for lead in &leads {
                serde_json::to_writer(&mut *out, lead)?;
                writeln!(out)?;
            }
        }
        ExportFormat::Csv => {
            let mut csv = csv::Writer::from_writer(&mut *out);
            write_row(&mut csv, LEAD_COLUMNS)?;
            for l in &leads {
                let session = l.session.as_ref();
                let starts_on = session.map(|s| s.starts_on.to_string());
                write_row(
                    &mut csv,
                    [
                        l.id.as_str(),
                        &crate::store::timestamp(l.received_at),
                        &l.locale,
                        l.course.as_str(),
                        &l.course_title,
                        session.map_or("", |s| s.id.as_str()),
                        starts_on.as_deref().unwrap_or_default(),
                        session.map_or("", |s| s.location.as_str()),
                        &l.name,
                        &l.email,
                        l.company.as_deref().unwrap_or_default(),
                        l.message.as_deref().unwrap_or_default(),
                        &l.consent_text,
                    ],
                )?;
            }
            csv.flush()?;
        }
    }
    Ok(leads.len())
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn cells_a_spreadsheet_would_run_get_a_leading_quote() {
        for cell in
            ["=1+1", "+41 44 000 00 00", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", "=", "=HYPERLINK(\"x\")"]
        {
            assert_eq!(neutralise(cell), format!("'{cell}"), "{cell:?}");
        }
    }

    #[test]
    fn other_cells_are_left_as_they_are() {
        for cell in [
            "",
            "Ada Lovelace",
            "ada@example.ch",
            " =1",
            "2026-11-26T10:00:00.000000Z",
            "'=1",
            "a=b",
            "\n=1",
            "Zürich",
        ] {
            assert!(matches!(neutralise(cell), std::borrow::Cow::Borrowed(_)), "{cell:?}");
            assert_eq!(neutralise(cell), cell);
        }
    }

    #[test]
    fn a_neutralised_cell_still_round_trips_through_the_csv_crate() {
        let mut out = Vec::new();
        let mut csv = csv::Writer::from_writer(&mut out);
        super::write_row(&mut csv, ["=cmd|' /C calc'!A0", "plain, with \"quotes\""]).unwrap();
        drop(csv);
        let mut read = csv::ReaderBuilder::new().has_headers(false).from_reader(out.as_slice());
        let row = read.records().next().unwrap().unwrap();
        assert_eq!(&row[0], "'=cmd|' /C calc'!A0");
        assert_eq!(&row[1], "plain, with \"quotes\"");
    }
}
