//! `certwise consent export`: the proof-of-consent log as CSV or JSON Lines.

use anyhow::{Context, bail};

use crate::store::Store;

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
            csv.write_record([
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
            ])?;
            for r in &records {
                let grants = |c| r.choices.grants(c).to_string();
                csv.write_record([
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
                ])?;
            }
            csv.flush()?;
        }
    }
    Ok(records.len())
}
