//! `certwise consent export` and `certwise leads export`: the proof-of-consent log and the
//! course inquiries as CSV or JSON Lines.
//!
//! Every CSV cell goes through [`neutralise`]: a lead's name or message is typed by anyone,
//! and a spreadsheet would run `=HYPERLINK(…)` as a formula on the operator's machine.
//! The editors' area downloads leads with the same writer ([`write_staff_leads`]: the
//! command line's columns, then the lead's handled state and its notification's).

use std::borrow::Cow;

use anyhow::{Context, bail};

use crate::domain::lead::Lead;
use crate::store::{StaffLead, Store, timestamp};

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
                        &timestamp(r.recorded_at),
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
            for lead in &leads {
                write_row(&mut csv, lead_cells(lead).iter().map(String::as_str))?;
            }
            csv.flush()?;
        }
    }
    Ok(leads.len())
}

/// A lead's cells under [`LEAD_COLUMNS`] (absent values empty).
fn lead_cells(l: &Lead) -> [String; LEAD_COLUMNS.len()] {
    let session = l.session.as_ref();
    [
        l.id.clone(),
        timestamp(l.received_at),
        l.locale.clone(),
        l.course.as_str().to_owned(),
        l.course_title.clone(),
        session.map(|s| s.id.clone()).unwrap_or_default(),
        session.map(|s| s.starts_on.to_string()).unwrap_or_default(),
        session.map(|s| s.location.clone()).unwrap_or_default(),
        l.name.clone(),
        l.email.clone(),
        l.company.clone().unwrap_or_default(),
        l.message.clone().unwrap_or_default(),
        l.consent_text.clone(),
    ]
}

/// The columns the editors' area adds after [`LEAD_COLUMNS`] (`/admin/leads.csv`): who
/// marked the lead handled and when, and its webhook notification's status (`pending`,
/// `delivered`, `failed`; empty when none was queued), attempts and last error.
pub const STAFF_LEAD_COLUMNS: [&str; 5] =
    ["handled_at", "handled_by", "notification", "notification_attempts", "notification_last_error"];

/// Writes `leads`, in their order, as CSV with the header [`LEAD_COLUMNS`] then
/// [`STAFF_LEAD_COLUMNS`], every cell through [`neutralise`].
pub fn write_staff_leads(leads: &[StaffLead], out: impl std::io::Write) -> csv::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    write_row(&mut csv, LEAD_COLUMNS.into_iter().chain(STAFF_LEAD_COLUMNS))?;
    for l in leads {
        let handled = l.handled.as_ref();
        let notification = l.notification.as_ref();
        let extra = [
            handled.map(|h| timestamp(h.at)).unwrap_or_default(),
            handled.map(|h| h.by.clone()).unwrap_or_default(),
            notification.map(|n| n.status.as_str().to_owned()).unwrap_or_default(),
            notification.map(|n| n.attempts.to_string()).unwrap_or_default(),
            notification.and_then(|n| n.last_error.clone()).unwrap_or_default(),
        ];
        write_row(&mut csv, lead_cells(&l.lead).iter().chain(&extra).map(String::as_str))?;
    }
    csv.flush()?;
    Ok(())
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
