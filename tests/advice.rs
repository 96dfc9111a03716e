//! The advisor's rules on the sample catalog: the decisions of issue 10's "Done when".

use std::collections::{BTreeMap, BTreeSet};

use certwise::domain::advice::{self, Emphasis, Mismatch, Needs, Reason};
use certwise::domain::{Catalog, Code, Slug};

mod common;

fn catalog() -> Catalog {
    certwise::content::check_dir(&common::sample_content()).catalog.expect("the sample content is valid")
}

fn needs(pairs: &[(&str, u8)], held: &[&str]) -> Needs {
    Needs {
        responsibilities: pairs
            .iter()
            .map(|(r, e)| (Slug::parse(r).unwrap(), Emphasis::new(*e).unwrap()))
            .collect::<BTreeMap<_, _>>(),
        held: held.iter().map(|c| Code::parse(c).unwrap()).collect::<BTreeSet<_>>(),
    }
}

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

fn codes(path: &advice::Path) -> Vec<String> {
    path.steps.iter().map(|s| s.code.to_string()).collect()
}

#[test]
fn a_device_and_endpoint_security_reader_is_told_md_102_first() {
    let catalog = catalog();
    let reader = needs(&[("device-fleet", 3), ("endpoint-security", 3)], &[]);
    let ranked = advice::rank(&catalog, &reader, day("2026-11-26"));
    assert_eq!(
        ranked[0].code.as_str(),
        "MD-102",
        "{:?}",
        ranked.iter().map(|s| (&s.code, s.points())).collect::<Vec<_>>()
    );
    let path = advice::path(&catalog, &reader, day("2026-11-26"));
    assert_eq!(codes(&path)[0], "MD-102", "{path:#?}");
}

#[test]
fn a_tenant_reader_takes_an_associate_exam_before_ms_102_then_its_successor() {
    let catalog = catalog();
    let reader = needs(
        &[("tenant-administration", 3), ("identity-access", 2), ("compliance-data-protection", 2)],
        &[],
    );
    let before = advice::path(&catalog, &reader, day("2026-11-26"));
    let ms = before
        .steps
        .iter()
        .position(|s| s.code.as_str() == "MS-102")
        .unwrap_or_else(|| panic!("{before:#?}"));
    let prerequisite = before.steps[..ms]
        .iter()
        .find(|s| matches!(&s.reason, Reason::Prerequisite { of } if of.as_str() == "MS-102"))
        .unwrap_or_else(|| panic!("an associate prerequisite before MS-102: {before:#?}"));
    assert!(prerequisite.unconfirmed, "MS-102's prerequisites are uncertain");
    assert_eq!(before.steps[ms].retiring_on, Some(day("2026-11-30")));
    eprintln!("{before:#?}");
    let after = advice::path(&catalog, &reader, day("2026-12-01"));
    eprintln!("{after:#?}");
    assert!(!codes(&after).contains(&"MS-102".to_owned()));
    let successor = after
        .steps
        .iter()
        .find(|s| s.replaces.iter().any(|c| c.as_str() == "MS-102"))
        .unwrap_or_else(|| panic!("{after:#?}"));
    assert_eq!(successor.code.as_str(), "AB-650");
}

#[test]
fn ms_102_for_a_device_admin_without_an_associate_exam_is_two_mismatches() {
    let catalog = catalog();
    let reader = needs(&[("device-fleet", 3), ("endpoint-security", 2)], &[]);
    let ms = catalog.certification(&Code::parse("MS-102").unwrap()).unwrap();
    let found = advice::mismatches(&catalog, &reader, ms, day("2026-11-26"));
    eprintln!("{found:#?}");
    assert!(
        found.iter().any(|m| matches!(m, Mismatch::Coverage { better, .. } if better.as_str() == "MD-102"))
    );
    assert!(found.iter().any(|m| matches!(m, Mismatch::Prerequisite { .. })));
}
