//! The comparison engine's rules (`src/domain/compare.rs`: module docs and doc comments;
//! INTERFACES.md: comparison URLs) on catalogs built here, small enough that every
//! expected number is worked out by hand in a comment; then the properties of comparisons
//! on generated catalogs — above all, comparing A with B mirrors B with A.

use std::collections::{BTreeMap, BTreeSet};

use certwise::domain::advice::{self, COVERED_SHARE};
use certwise::domain::compare::{self, CompareError, Comparison, MAX, MIN};
use certwise::domain::{
    Brand, Catalog, Certification, Code, Course, Delivery, Level, Lifecycle, Money, Prerequisites,
    Responsibility, Site, SkillDomain, Slug, Status,
};
use chrono::{Days, NaiveDate};

// ---------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------

/// The day of every comparison here.
fn today() -> NaiveDate {
    "2026-11-26".parse().expect("test date")
}

fn code(s: &str) -> Code {
    Code::parse(s).expect("test code")
}

fn slug(s: &str) -> Slug {
    Slug::parse(s).expect("test slug")
}

fn codes(list: &[&str]) -> Vec<Code> {
    list.iter().map(|c| code(c)).collect()
}

/// A domain weighing `min..=max` %, about `responsibilities`.
fn domain(min: u8, max: u8, responsibilities: &[&str]) -> SkillDomain {
    SkillDomain {
        name: format!("{min}-{max} {}", responsibilities.join(" ")),
        weight_min: min,
        weight_max: max,
        responsibilities: responsibilities.iter().map(|r| slug(r)).collect(),
    }
}

/// An active exam of "Vendor" at `level` with `domains`, nothing else.
fn cert(c: &str, level: Level, domains: Vec<SkillDomain>) -> Certification {
    Certification {
        code: code(c),
        vendor: "Vendor".into(),
        title: format!("{c} title"),
        credential: format!("{c} credential"),
        level,
        scope: "scope".into(),
        summary: String::new(),
        technologies: vec![],
        roles: vec![],
        prerequisites: Prerequisites::default(),
        status: Status::Active,
        retires_on: None,
        successor: None,
        exam_minutes: None,
        uncertain: vec![],
        domains,
        sources: vec![],
        translations: certwise::domain::Translations::new(),
    }
}

/// An exam at `level` without domains.
fn bare(c: &str, level: Level) -> Certification {
    cert(c, level, vec![])
}

/// An exam at `level` all about one responsibility.
fn about(c: &str, level: Level, responsibility: &str) -> Certification {
    cert(c, level, vec![domain(100, 100, &[responsibility])])
}

fn listing(mut c: Certification, technologies: &[&str]) -> Certification {
    c.technologies = technologies.iter().map(|t| (*t).to_owned()).collect();
    c
}

fn of_vendor(mut c: Certification, vendor: &str) -> Certification {
    c.vendor = vendor.into();
    c
}

fn requiring(mut c: Certification, alternatives: &[&str]) -> Certification {
    c.prerequisites = Prerequisites::any_one_of(codes(alternatives));
    c
}

fn uncertain(mut c: Certification, fields: &[&str]) -> Certification {
    c.uncertain = fields.iter().map(|f| (*f).to_owned()).collect();
    c
}

fn course(s: &str, c: &str, days: u32, price: &str) -> Course {
    Course {
        slug: slug(s),
        certification: code(c),
        title: s.into(),
        duration_days: days,
        price: Money::parse(price, "EUR").expect("test price"),
        price_note: None,
        delivery: vec![Delivery::Classroom],
        teachers: vec![],
        sessions: vec![],
        translations: certwise::domain::Translations::new(),
    }
}

fn responsibility(id: &str) -> Responsibility {
    Responsibility { id: slug(id), label: id.into(), translations: BTreeMap::new() }
}

fn catalog_of(certs: Vec<Certification>, courses: Vec<Course>, responsibilities: &[&str]) -> Catalog {
    Catalog {
        site: Site {
            name: "Test".into(),
            base_url: "https://example.test".into(),
            default_locale: "en".into(),
            locales: vec!["en".into()],
            region: None,
            policy_version: "1".into(),
            services: vec![],
            brand: Brand::default(),
        },
        responsibilities: responsibilities.iter().map(|r| responsibility(r)).collect(),
        certifications: certs.into_iter().map(|c| (c.code.clone(), c)).collect(),
        courses: courses.into_iter().map(|c| (c.slug.clone(), c)).collect(),
        experts: BTreeMap::new(),
        topics: BTreeMap::new(),
        answers: vec![],
        pages: vec![],
    }
}

fn certs_catalog(certs: Vec<Certification>) -> Catalog {
    catalog_of(certs, vec![], &[])
}

fn get<'c>(catalog: &'c Catalog, c: &str) -> &'c Certification {
    catalog.certification(&code(c)).expect("in the catalog")
}

fn pick<'c>(catalog: &'c Catalog, list: &[&str]) -> Vec<&'c Certification> {
    list.iter().map(|c| get(catalog, c)).collect()
}

fn compare<'c>(catalog: &'c Catalog, list: &[&str]) -> Comparison<'c> {
    Comparison::of(catalog, &pick(catalog, list), today())
}

fn names(certs: &[&Certification]) -> Vec<String> {
    certs.iter().map(|c| c.code.to_string()).collect()
}

fn order_of<'a>(comparison: &'a Comparison<'_>) -> Vec<&'a str> {
    comparison.order.iter().map(Code::as_str).collect()
}

fn close(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() < 1e-9
}

#[track_caller]
fn assert_close(actual: f64, expected: f64) {
    assert!(close(actual, expected), "{actual} ≠ {expected}");
}

#[track_caller]
fn assert_shares(actual: &[f64], expected: &[f64]) {
    assert_eq!(actual.len(), expected.len(), "{actual:?} ≠ {expected:?}");
    for (a, e) in actual.iter().zip(expected) {
        assert!(close(*a, *e), "{actual:?} ≠ {expected:?}");
    }
}

// ---------------------------------------------------------------------------------------
// URLs: split_path, resolve, canonical, path_segment
// ---------------------------------------------------------------------------------------

#[test]
fn split_path_splits_on_vs_in_any_case_and_keeps_hyphens_inside_codes() {
    assert_eq!(compare::split_path("md-102-vs-ms-102"), ["md-102", "ms-102"]);
    assert_eq!(compare::split_path("MD-102-VS-ms-102"), ["MD-102", "ms-102"]);
    assert_eq!(compare::split_path("a-1-Vs-b-2-vS-c-3"), ["a-1", "b-2", "c-3"]);
    // Codes with hyphens of their own: only `-vs-` separates.
    assert_eq!(compare::split_path("saa-c03-vs-clf-c02"), ["saa-c03", "clf-c02"]);
    assert_eq!(
        compare::split_path("sc-200-vs-sc-300-vs-sc-400-vs-sc-900"),
        ["sc-200", "sc-300", "sc-400", "sc-900"]
    );
    // A code beginning with `vs` is not a separator.
    assert_eq!(compare::split_path("md-102-vs-vs-100"), ["md-102", "vs-100"]);
    // Five codes are split all the same (resolve refuses them).
    assert_eq!(compare::split_path("a-1-vs-b-1-vs-c-1-vs-d-1-vs-e-1").len(), 5);
    // Nothing to split: one part, the whole segment.
    assert_eq!(compare::split_path("md-102"), ["md-102"]);
    assert_eq!(compare::split_path(""), [""]);
    // A trailing `-vs-` leaves an empty last part; a leading one an empty first part.
    assert_eq!(compare::split_path("md-102-vs-"), ["md-102", ""]);
    assert_eq!(compare::split_path("-vs-md-102"), ["", "md-102"]);
    assert_eq!(compare::split_path("md-102-vs--vs-ms-102"), ["md-102", "", "ms-102"]);
    // Not ASCII: split all the same, no panic.
    assert_eq!(compare::split_path("é-1-vs-ü-2"), ["é-1", "ü-2"]);
}

fn url_catalog() -> Catalog {
    certs_catalog(vec![
        bare("MD-102", Level::Associate),
        bare("MS-102", Level::Expert),
        bare("AZ-900", Level::Fundamentals),
        bare("AZ-104", Level::Associate),
        of_vendor(bare("SAA-C03", Level::Associate), "Amazon"),
        of_vendor(bare("CLF-C02", Level::Fundamentals), "Amazon"),
    ])
}

#[test]
fn resolve_finds_codes_in_any_case_in_the_order_given() {
    let catalog = url_catalog();
    let found = compare::resolve(&catalog, &["ms-102", "MD-102"]).expect("two known codes");
    assert_eq!(names(&found), ["MS-102", "MD-102"]);
    let found = compare::resolve(&catalog, &["Saa-C03", "clf-c02", "az-900", "AZ-104"]).expect("four");
    assert_eq!(names(&found), ["SAA-C03", "CLF-C02", "AZ-900", "AZ-104"]);
    // From a path segment, as the router does.
    let found = compare::resolve(&catalog, &compare::split_path("SAA-C03-VS-clf-c02")).expect("two");
    assert_eq!(names(&found), ["SAA-C03", "CLF-C02"]);
    // Owned strings work too.
    let owned: Vec<String> = vec!["az-900".into(), "az-104".into()];
    assert_eq!(names(&compare::resolve(&catalog, &owned).expect("two")), ["AZ-900", "AZ-104"]);
    assert_eq!((MIN, MAX), (2, 4));
}

#[test]
fn resolve_refuses_fewer_than_two_and_more_than_four_as_bad_requests() {
    let catalog = url_catalog();
    let count = |list: &[&str]| compare::resolve(&catalog, list).expect_err("a count error");
    let one = count(&["md-102"]);
    assert_eq!(one, CompareError::Count(1));
    assert_eq!(
        one.to_string(),
        "compare needs 2 to 4 certifications, separated by `-vs-` (like `md-102-vs-ms-102`); got 1"
    );
    assert!(!one.is_not_found());
    assert_eq!(count(&[]), CompareError::Count(0));
    let five = count(&["md-102", "ms-102", "az-900", "az-104", "saa-c03"]);
    assert_eq!(five, CompareError::Count(5));
    assert!(five.to_string().ends_with("got 5"));
    assert!(!five.is_not_found());
    // The count is checked first: five codes with an unknown one are still five.
    assert_eq!(count(&["md-102", "ms-102", "az-900", "az-104", "zz-1"]), CompareError::Count(5));
}

#[test]
fn resolve_refuses_the_same_code_twice_naming_it() {
    let catalog = url_catalog();
    let twice = compare::resolve(&catalog, &["md-102", "MD-102"]).expect_err("the same code twice");
    assert_eq!(twice, CompareError::Repeated(code("MD-102")));
    assert_eq!(twice.to_string(), "`MD-102` is named twice: compare two or more different certifications");
    assert!(!twice.is_not_found());
    let later = compare::resolve(&catalog, &["az-900", "md-102", "ms-102", "Md-102"]).expect_err("repeated");
    assert_eq!(later, CompareError::Repeated(code("MD-102")));
}

#[test]
fn resolve_names_an_unknown_code_as_written_and_it_is_not_found() {
    let catalog = url_catalog();
    let unknown = |list: &[&str]| compare::resolve(&catalog, list).expect_err("an unknown code");
    let e = unknown(&["md-102", "xx-999"]);
    assert_eq!(e, CompareError::Unknown("xx-999".into()));
    assert_eq!(e.to_string(), "no certification `xx-999` in the catalog");
    assert!(e.is_not_found());
    // As written, case kept.
    assert_eq!(unknown(&["Xx-999", "md-102"]), CompareError::Unknown("Xx-999".into()));
    // Not even a code: unknown all the same, named as written.
    let e = unknown(&["md-102", "not_a_code"]);
    assert_eq!(e, CompareError::Unknown("not_a_code".into()));
    assert_eq!(e.to_string(), "no certification `not_a_code` in the catalog");
    assert!(e.is_not_found());
    // The first problem in the order given.
    assert_eq!(unknown(&["zz-1", "md-102", "md-102"]), CompareError::Unknown("zz-1".into()));
    assert_eq!(
        compare::resolve(&catalog, &["md-102", "md-102", "zz-1"]),
        Err(CompareError::Repeated(code("MD-102")))
    );
    // A trailing `-vs-`: a code is missing, a malformed request (400), not an unknown code.
    let missing = compare::resolve(&catalog, &compare::split_path("md-102-vs-")).unwrap_err();
    assert_eq!(missing, CompareError::Empty);
    assert!(!missing.is_not_found());
}

#[test]
fn canonical_order_is_level_then_code() {
    let catalog = url_catalog();
    let certs = pick(&catalog, &["MS-102", "AZ-104", "MD-102", "AZ-900"]);
    // Fundamentals AZ-900; associate AZ-104 before MD-102; expert MS-102.
    assert_eq!(names(&compare::canonical(&certs)), ["AZ-900", "AZ-104", "MD-102", "MS-102"]);
    assert_eq!(compare::path_segment(&certs), "az-900-vs-az-104-vs-md-102-vs-ms-102");
    // Level before code: the fundamentals exam comes first whatever its code.
    let levels = certs_catalog(vec![
        bare("ZZ-1", Level::Fundamentals),
        bare("AA-1", Level::Expert),
        bare("AA-2", Level::Specialty),
        bare("MM-1", Level::Professional),
    ]);
    let certs = pick(&levels, &["AA-2", "AA-1", "MM-1", "ZZ-1"]);
    assert_eq!(compare::path_segment(&certs), "zz-1-vs-mm-1-vs-aa-1-vs-aa-2");
    // Hyphenated codes stay whole and lower case.
    let amazon = url_catalog();
    assert_eq!(compare::path_segment(&pick(&amazon, &["SAA-C03", "CLF-C02"])), "clf-c02-vs-saa-c03");
}

#[test]
fn the_canonical_segment_resolves_to_the_canonical_order() {
    let catalog = url_catalog();
    let certs = pick(&catalog, &["MS-102", "SAA-C03", "AZ-900"]);
    let segment = compare::path_segment(&certs);
    assert_eq!(segment, "az-900-vs-saa-c03-vs-ms-102");
    let back = compare::resolve(&catalog, &compare::split_path(&segment)).expect("resolves");
    assert_eq!(names(&back), names(&compare::canonical(&certs)));
}

// ---------------------------------------------------------------------------------------
// Comparison::of
// ---------------------------------------------------------------------------------------

fn technology_catalog() -> Catalog {
    certs_catalog(vec![
        listing(bare("A-1", Level::Associate), &["Azure", "Intune", "PowerShell", "Entra ID"]),
        listing(bare("B-1", Level::Associate), &["entra id", "AZURE", "Defender"]),
        listing(bare("C-1", Level::Expert), &["azure", "ENTRA ID", "Intune"]),
        bare("D-1", Level::Expert),
    ])
}

#[test]
fn shared_technologies_match_in_any_case_in_the_first_certs_order_and_spelling() {
    let catalog = technology_catalog();
    let abc = compare(&catalog, &["A-1", "B-1", "C-1"]);
    assert_eq!(abc.shared, ["Azure", "Entra ID"]);
    let bac = compare(&catalog, &["B-1", "A-1", "C-1"]);
    assert_eq!(bac.shared, ["entra id", "AZURE"]);
    let ca = compare(&catalog, &["C-1", "A-1"]);
    assert_eq!(ca.shared, ["azure", "ENTRA ID", "Intune"]);
    // A certification listing nothing shares nothing.
    assert!(compare(&catalog, &["A-1", "D-1"]).shared.is_empty());
    assert!(compare(&catalog, &["D-1", "A-1"]).shared.is_empty());
}

#[test]
fn only_lists_what_no_other_compared_certification_lists_in_its_own_order() {
    fn only<'c>(c: &Comparison<'c>) -> Vec<Vec<&'c str>> {
        c.columns.iter().map(|col| col.only.clone()).collect()
    }
    let catalog = technology_catalog();
    // Intune is in A and C: in neither's `only`.
    let abc = compare(&catalog, &["A-1", "B-1", "C-1"]);
    assert_eq!(only(&abc), [vec!["PowerShell"], vec!["Defender"], vec![]]);
    let ab = compare(&catalog, &["A-1", "B-1"]);
    assert_eq!(only(&ab), [vec!["Intune", "PowerShell"], vec!["Defender"]]);
    let ad = compare(&catalog, &["A-1", "D-1"]);
    assert_eq!(only(&ad), [vec!["Azure", "Intune", "PowerShell", "Entra ID"], vec![]]);
    assert_eq!(
        abc.certs().map(|c| c.code.as_str()).collect::<Vec<_>>(),
        ["A-1", "B-1", "C-1"],
        "columns in the order asked for"
    );
}

/// The catalog lists `zeta`, `alpha`, `mid`, `never` in that order (not alphabetical).
/// A: midpoints 50 `alpha`, 30 `zeta` + `unlisted-b`, 20 bare: total 100.
/// B: 100 `mid` + `unlisted-a`.
fn responsibility_catalog() -> Catalog {
    catalog_of(
        vec![
            cert(
                "A-1",
                Level::Associate,
                vec![
                    domain(50, 50, &["alpha"]),
                    domain(20, 40, &["zeta", "unlisted-b"]),
                    domain(20, 20, &[]),
                ],
            ),
            cert("B-1", Level::Associate, vec![domain(100, 100, &["mid", "unlisted-a"])]),
            bare("E-1", Level::Expert),
        ],
        vec![],
        &["zeta", "alpha", "mid", "never"],
    )
}

#[test]
fn responsibilities_come_in_the_catalogs_order_then_unknown_ids() {
    let catalog = responsibility_catalog();
    let ab = compare(&catalog, &["A-1", "B-1"]);
    let ids: Vec<&str> = ab.responsibilities.iter().map(|r| r.responsibility.as_str()).collect();
    // `never` is no exam's: no row. Then the ids the catalog does not list, by id.
    assert_eq!(ids, ["zeta", "alpha", "mid", "unlisted-a", "unlisted-b"]);
    // zeta: 30 / 2 / 100 = 0.15 of A; alpha 0.5 of A; mid, unlisted-a 0.5 of B each.
    let shares: Vec<&[f64]> = ab.responsibilities.iter().map(|r| r.shares.as_slice()).collect();
    assert_shares(shares[0], &[0.15, 0.0]);
    assert_shares(shares[1], &[0.5, 0.0]);
    assert_shares(shares[2], &[0.0, 0.5]);
    assert_shares(shares[3], &[0.0, 0.5]);
    assert_shares(shares[4], &[0.15, 0.0]);
    // Reversed: the same rows, the shares reversed.
    let ba = compare(&catalog, &["B-1", "A-1"]);
    assert_eq!(ba.responsibilities.iter().map(|r| r.responsibility.as_str()).collect::<Vec<_>>(), ids);
    for (x, y) in ab.responsibilities.iter().zip(&ba.responsibilities) {
        assert_shares(&y.shares, &[x.shares[1], x.shares[0]]);
    }
    // An exam without domains adds no row and a share of 0 in every row.
    let ae = compare(&catalog, &["A-1", "E-1"]);
    assert_eq!(ae.responsibilities.len(), 3);
    assert!(ae.responsibilities.iter().all(|r| close(r.shares[1], 0.0)));
    // Nothing to compare by: no rows.
    let bare_only = certs_catalog(vec![bare("X-1", Level::Associate), bare("Y-1", Level::Associate)]);
    assert!(compare(&bare_only, &["X-1", "Y-1"]).responsibilities.is_empty());
}

#[test]
fn each_column_sums_to_the_exams_shares_as_the_advisor_counts_them() {
    let catalog = responsibility_catalog();
    let ab = compare(&catalog, &["A-1", "B-1"]);
    for (i, c) in ab.certs().enumerate() {
        let column: f64 = ab.responsibilities.iter().map(|r| r.shares[i]).sum();
        let advisor: f64 = advice::shares(c).values().sum();
        assert_close(column, advisor);
        for row in &ab.responsibilities {
            assert_close(row.shares[i], advice::share(c, &row.responsibility));
        }
    }
    // A's bare domain keeps its 20 %: its column sums to 0.8; B's to 1.
    let column = |i: usize| ab.responsibilities.iter().map(|r| r.shares[i]).sum::<f64>();
    assert_close(column(0), 0.8);
    assert_close(column(1), 1.0);
}

#[test]
fn a_share_of_exactly_ten_percent_is_covered_and_of_9_9_percent_is_not() {
    // Totals of 500: `a` has 50/500 = 10 % of T and 49.5/500 = 9.9 % of L.
    let catalog = certs_catalog(vec![
        cert(
            "T-1",
            Level::Associate,
            vec![domain(50, 50, &["a"]), domain(250, 250, &["b"]), domain(200, 200, &[])],
        ),
        cert(
            "L-1",
            Level::Associate,
            vec![domain(49, 50, &["a"]), domain(250, 250, &["b"]), domain(200, 201, &[])],
        ),
    ]);
    let tl = compare(&catalog, &["T-1", "L-1"]);
    let a = &tl.responsibilities[0];
    assert_eq!(a.responsibility.as_str(), "a");
    assert_shares(&a.shares, &[COVERED_SHARE, 0.099]);
    assert!(a.covered(0), "exactly 10 % is covered");
    assert!(!a.covered(1), "9.9 % is not");
    assert!(!a.covered(2), "no third column");
    let b = &tl.responsibilities[1];
    assert!(b.covered(0) && b.covered(1));
    assert_close(COVERED_SHARE, 0.10);
}

#[test]
fn a_compared_prerequisite_comes_first_even_at_a_higher_level() {
    // X (associate) requires P (expert); F (fundamentals) requires nothing compared.
    let catalog = certs_catalog(vec![
        requiring(bare("AA-100", Level::Associate), &["ZZ-900"]),
        bare("ZZ-900", Level::Expert),
        requiring(bare("MM-100", Level::Fundamentals), &["OUT-1"]),
        bare("BB-100", Level::Associate),
    ]);
    for list in
        [["AA-100", "ZZ-900", "MM-100"], ["MM-100", "ZZ-900", "AA-100"], ["ZZ-900", "AA-100", "MM-100"]]
    {
        assert_eq!(order_of(&compare(&catalog, &list)), ["MM-100", "ZZ-900", "AA-100"], "{list:?}");
    }
    assert_eq!(order_of(&compare(&catalog, &["AA-100", "ZZ-900"])), ["ZZ-900", "AA-100"]);
    // Without the prerequisite compared: by level, then code.
    assert_eq!(order_of(&compare(&catalog, &["BB-100", "AA-100", "MM-100"])), ["MM-100", "AA-100", "BB-100"]);
    assert_eq!(compare::take_order(&pick(&catalog, &["ZZ-900", "BB-100"])), codes(&["BB-100", "ZZ-900"]));
}

#[test]
fn an_exam_comes_after_every_compared_alternative_of_its_prerequisite_and_chains_hold() {
    // E requires any one of A1 and A2, both compared and both at higher levels.
    let catalog = certs_catalog(vec![
        requiring(bare("E-1", Level::Fundamentals), &["A-1", "A-2"]),
        bare("A-1", Level::Expert),
        bare("A-2", Level::Professional),
        // A chain upwards in level: X needs P, P needs Q.
        requiring(bare("X-1", Level::Fundamentals), &["P-1"]),
        requiring(bare("P-1", Level::Associate), &["Q-1"]),
        bare("Q-1", Level::Expert),
        bare("Y-1", Level::Specialty),
    ]);
    assert_eq!(order_of(&compare(&catalog, &["E-1", "A-1", "A-2"])), ["A-2", "A-1", "E-1"]);
    assert_eq!(order_of(&compare(&catalog, &["E-1", "A-1"])), ["A-1", "E-1"]);
    assert_eq!(order_of(&compare(&catalog, &["Y-1", "X-1", "P-1", "Q-1"])), ["Q-1", "P-1", "X-1", "Y-1"]);
}

#[test]
fn prerequisites_are_unconfirmed_only_when_there_are_some_and_they_are_uncertain() {
    let catalog = certs_catalog(vec![
        uncertain(requiring(bare("U-1", Level::Expert), &["W-1"]), &["prerequisites"]),
        uncertain(bare("V-1", Level::Associate), &["prerequisites"]),
        uncertain(requiring(bare("W-1", Level::Expert), &["V-1"]), &["domains"]),
        bare("N-1", Level::Associate),
    ]);
    let c = compare(&catalog, &["U-1", "V-1", "W-1", "N-1"]);
    let flags: Vec<bool> = c.columns.iter().map(|col| col.prerequisites_unconfirmed).collect();
    assert_eq!(flags, [true, false, false, false]);
}

#[test]
fn each_column_has_its_lifecycle_on_the_day() {
    let mut retiring = bare("R-1", Level::Associate);
    retiring.retires_on = today().checked_add_days(Days::new(30));
    retiring.successor = Some(code("S-1"));
    let mut retired = bare("O-1", Level::Associate);
    retired.retires_on = Some(today());
    let mut beta = bare("B-1", Level::Associate);
    beta.status = Status::Beta;
    let catalog = certs_catalog(vec![retiring, retired, beta, bare("S-1", Level::Associate)]);
    let c = compare(&catalog, &["R-1", "O-1", "B-1", "S-1"]);
    let lifecycles: Vec<&Lifecycle> = c.columns.iter().map(|col| &col.lifecycle).collect();
    assert_eq!(
        lifecycles,
        [
            &Lifecycle::Retiring {
                on: today().checked_add_days(Days::new(30)).expect("a day"),
                successor: Some(code("S-1"))
            },
            &Lifecycle::Retired { on: Some(today()), successor: None },
            &Lifecycle::Beta,
            &Lifecycle::Active,
        ]
    );
}

#[test]
fn the_course_quoted_is_the_shortest_then_the_cheapest() {
    let catalog = catalog_of(
        vec![bare("A-1", Level::Associate), bare("B-1", Level::Associate), bare("C-1", Level::Associate)],
        vec![
            course("a-long", "A-1", 3, "500"),
            course("a-dear", "A-1", 2, "900"),
            course("a-cheap", "A-1", 2, "700"),
            // Another exam's course, shorter and cheaper: not A's.
            course("c-short", "C-1", 1, "100"),
        ],
        &[],
    );
    let c = compare(&catalog, &["A-1", "B-1", "C-1"]);
    let quoted: Vec<Option<&str>> = c.columns.iter().map(|col| col.course.map(|k| k.slug.as_str())).collect();
    assert_eq!(quoted, [Some("a-cheap"), None, Some("c-short")]);
}

// ---------------------------------------------------------------------------------------
// confusion, confusable
// ---------------------------------------------------------------------------------------

/// "Microsoft" uses fundamentals, associate and expert; "Other" all four first levels.
fn confusion_catalog() -> Catalog {
    let mut sc_400 = about("SC-400", Level::Associate, "sec");
    sc_400.status = Status::Retired;
    let mut sc_500 = about("SC-500", Level::Associate, "sec");
    sc_500.retires_on = Some(today());
    let mut sc_600 = cert("SC-600", Level::Associate, vec![domain(20, 20, &["sec"]), domain(80, 80, &["x"])]);
    sc_600.retires_on = today().checked_add_days(Days::new(10));
    let ms = |c: Certification| of_vendor(c, "Microsoft");
    let other = |c: Certification| of_vendor(c, "Other");
    certs_catalog(vec![
        ms(about("SC-200", Level::Associate, "sec")),
        ms(cert("SC-300", Level::Associate, vec![domain(50, 50, &["sec"]), domain(50, 50, &["id"])])),
        ms(bare("SC-900", Level::Fundamentals)),
        ms(about("MS-102", Level::Expert, "id")),
        ms(cert("AZ-900", Level::Fundamentals, vec![domain(50, 50, &["cloud"]), domain(50, 50, &["id"])])),
        ms(about("AZ-104", Level::Associate, "cloud")),
        ms(sc_400),
        ms(sc_500),
        ms(sc_600),
        other(about("SC-100", Level::Professional, "sec")),
        other(about("OT-1", Level::Fundamentals, "sec")),
        other(about("OT-2", Level::Associate, "sec")),
        other(about("OT-3", Level::Professional, "sec")),
        other(about("OT-4", Level::Expert, "sec")),
    ])
}

fn confusion_of(catalog: &Catalog, a: &str, b: &str) -> Option<f64> {
    let score = compare::confusion(catalog, get(catalog, a), get(catalog, b));
    let back = compare::confusion(catalog, get(catalog, b), get(catalog, a));
    assert_eq!(score.map(f64::to_bits), back.map(f64::to_bits), "{a} and {b} both ways");
    score
}

#[track_caller]
fn assert_confusion(catalog: &Catalog, a: &str, b: &str, expected: f64) {
    let score = confusion_of(catalog, a, b).unwrap_or_else(|| panic!("{a} and {b} are confusable"));
    assert_close(score, expected);
}

#[test]
fn confusion_counts_only_pairs_of_the_same_vendor_and_never_an_exam_with_itself() {
    let catalog = confusion_catalog();
    // Same content, other vendor.
    assert_eq!(confusion_of(&catalog, "SC-200", "SC-100"), None);
    assert_eq!(confusion_of(&catalog, "SC-200", "OT-2"), None);
    // Itself.
    assert_eq!(confusion_of(&catalog, "SC-200", "SC-200"), None);
    // Same vendor, nothing in common, different families: not confusable.
    assert_eq!(confusion_of(&catalog, "SC-900", "MS-102"), None);
    assert_eq!(confusion_of(&catalog, "SC-200", "AZ-104"), None);
}

#[test]
fn confusion_adds_content_in_common_family_and_adjacent_levels() {
    let catalog = confusion_catalog();
    // min(1, 0.5) = 0.5 in common → 50; family SC +25; the same level +15.
    assert_confusion(&catalog, "SC-200", "SC-300", 90.0);
    // Family alone: 0 in common + 25, fundamentals next to associate +15.
    assert_confusion(&catalog, "SC-900", "SC-200", 40.0);
    // Content alone: AZ-900 and AZ-104 0.5 in common, same family, neighbours: 50 + 25 + 15.
    assert_confusion(&catalog, "AZ-900", "AZ-104", 90.0);
    // AZ-900 and SC-300: 0.5 of `id` in common, other family, neighbours: 65.
    assert_confusion(&catalog, "AZ-900", "SC-300", 65.0);
}

#[test]
fn adjacency_is_among_the_levels_the_vendors_catalog_uses() {
    let catalog = confusion_catalog();
    // Microsoft has no professional exam: associate and expert are neighbours.
    // SC-300 and MS-102: 0.5 of `id` in common → 50, + 15.
    assert_confusion(&catalog, "SC-300", "MS-102", 65.0);
    // Fundamentals and expert are two steps apart: no bonus. AZ-900 and MS-102: 50.
    assert_confusion(&catalog, "AZ-900", "MS-102", 50.0);
    // "Other" has a professional level: its associate and expert are two steps apart.
    // OT-2 and OT-4: all `sec` both → 100, family OT +25, no bonus.
    assert_confusion(&catalog, "OT-2", "OT-4", 125.0);
    assert_confusion(&catalog, "OT-2", "OT-3", 140.0);
    assert_confusion(&catalog, "OT-1", "OT-2", 140.0);
    assert_confusion(&catalog, "OT-1", "OT-3", 125.0);
}

#[test]
fn confusable_leaves_out_retired_exams_most_confusable_first_then_by_code() {
    let catalog = confusion_catalog();
    let sc_300 = get(&catalog, "SC-300");
    // SC-200 90; AZ-900 65 and MS-102 65 (by code); SC-600 (retiring, not retired):
    // min(0.5, 0.2) of `sec` = 20 + 25 + 15 = 60; SC-900 40. SC-400 and SC-500 are retired
    // (both would score 90); AZ-104 shares nothing and no family; "Other" is another vendor.
    let all = compare::confusable(&catalog, sc_300, today(), 10);
    assert_eq!(names(&all), ["SC-200", "AZ-900", "MS-102", "SC-600", "SC-900"]);
    assert_eq!(names(&compare::confusable(&catalog, sc_300, today(), 2)), ["SC-200", "AZ-900"]);
    assert!(compare::confusable(&catalog, sc_300, today(), 0).is_empty());
    // Before SC-500 retired (the day before its date), it counts: 90, by code after SC-200.
    let before = today().checked_sub_days(Days::new(1)).expect("a day");
    assert_eq!(names(&compare::confusable(&catalog, sc_300, before, 3)), ["SC-200", "SC-500", "AZ-900"]);
}

// ---------------------------------------------------------------------------------------
// Properties on generated catalogs
// ---------------------------------------------------------------------------------------

mod generated {
    use proptest::collection::vec;
    use proptest::prelude::*;
    use proptest::sample::subsequence;
    use proptest::test_runner::TestCaseError;

    use super::*;

    const LEVELS: [Level; 5] =
        [Level::Fundamentals, Level::Associate, Level::Professional, Level::Expert, Level::Specialty];
    const FAMILIES: [&str; 3] = ["AZ", "SC", "SAA-C"];
    const TECHNOLOGIES: [&str; 5] = ["Azure", "Entra ID", "PowerShell", "Intune", "Defender"];
    const RESPONSIBILITIES: usize = 5;

    /// A generated certification before its links are resolved against the catalog.
    #[derive(Debug, Clone)]
    struct Raw {
        family: usize,
        other_vendor: bool,
        level: usize,
        retired: bool,
        /// (which technology, which case: as is, lower, upper).
        technologies: Vec<(usize, u8)>,
        /// (`weight_min`, span, responsibilities).
        domains: Vec<(u8, u8, Vec<usize>)>,
        /// Which earlier certifications.
        prerequisites: Vec<usize>,
        uncertain: bool,
        /// (days, price) of 0–2 courses.
        courses: Vec<(u32, u32)>,
    }

    fn raw() -> impl Strategy<Value = Raw> {
        let domain = (0u8..=60, 0u8..=20, subsequence((0..RESPONSIBILITIES).collect::<Vec<_>>(), 0..=3));
        (
            (
                0..FAMILIES.len(),
                proptest::bool::weighted(0.2),
                0..LEVELS.len(),
                proptest::bool::weighted(0.15),
            ),
            vec((0..TECHNOLOGIES.len(), 0u8..3), 0..=4),
            vec(domain, 0..=3),
            vec(0usize..64, 0..=2),
            proptest::bool::weighted(0.3),
            vec((1u32..=5, 100u32..=3000), 0..=2),
        )
            .prop_map(
                |(
                    (family, other_vendor, level, retired),
                    technologies,
                    domains,
                    prerequisites,
                    uncertain,
                    courses,
                )| {
                    Raw {
                        family,
                        other_vendor,
                        level,
                        retired,
                        technologies,
                        domains,
                        prerequisites,
                        uncertain,
                        courses,
                    }
                },
            )
    }

    fn gen_code(raw: &Raw, i: usize) -> Code {
        code(&format!("{}-{}", FAMILIES[raw.family], 100 + 7 * (8 - i)))
    }

    fn spelled(which: usize, case: u8) -> String {
        let t = TECHNOLOGIES[which];
        match case {
            0 => t.to_owned(),
            1 => t.to_lowercase(),
            _ => t.to_uppercase(),
        }
    }

    /// The catalog of `raws`, listing the responsibilities `listed` in that order (the
    /// others are ids it does not list); prerequisites point to earlier certifications.
    fn build(raws: &[Raw], listed: &[usize]) -> Catalog {
        let mut courses = vec![];
        let certs = raws
            .iter()
            .enumerate()
            .map(|(i, raw)| {
                let c = gen_code(raw, i);
                let mut prerequisites: Vec<Code> = vec![];
                if i > 0 {
                    for p in raw.prerequisites.iter().map(|p| gen_code(&raws[p % i], p % i)) {
                        if !prerequisites.contains(&p) {
                            prerequisites.push(p);
                        }
                    }
                }
                for (k, (days, price)) in raw.courses.iter().enumerate() {
                    courses.push(course(&format!("course-{i}-{k}"), c.as_str(), *days, &price.to_string()));
                }
                let domains = raw
                    .domains
                    .iter()
                    .map(|(min, span, rs)| SkillDomain {
                        name: "d".into(),
                        weight_min: *min,
                        weight_max: min + span,
                        responsibilities: rs.iter().map(|r| slug(&format!("r{r}"))).collect(),
                    })
                    .collect();
                Certification {
                    vendor: if raw.other_vendor { "Other".into() } else { "Vendor".into() },
                    technologies: raw.technologies.iter().map(|(t, case)| spelled(*t, *case)).collect(),
                    prerequisites: Prerequisites::any_one_of(prerequisites),
                    status: if raw.retired { Status::Retired } else { Status::Active },
                    uncertain: if raw.uncertain { vec!["prerequisites".into()] } else { vec![] },
                    ..cert(c.as_str(), LEVELS[raw.level], domains)
                }
            })
            .collect();
        let listed: Vec<String> = listed.iter().map(|r| format!("r{r}")).collect();
        let listed: Vec<&str> = listed.iter().map(String::as_str).collect();
        catalog_of(certs, courses, &listed)
    }

    /// 2–8 certifications, the responsibilities the catalog lists (in a random order),
    /// and 2–4 distinct certifications to compare, in a random order.
    fn case() -> impl Strategy<Value = (Vec<Raw>, Vec<usize>, Vec<usize>)> {
        (
            vec(raw(), 2..=8),
            subsequence((0..RESPONSIBILITIES).collect::<Vec<_>>(), 0..=RESPONSIBILITIES).prop_shuffle(),
        )
            .prop_flat_map(|(raws, listed)| {
                let n = raws.len();
                let chosen = subsequence((0..n).collect::<Vec<_>>(), 2..=n.min(MAX)).prop_shuffle();
                (Just(raws), Just(listed), chosen)
            })
    }

    fn chosen<'c>(catalog: &'c Catalog, raws: &[Raw], which: &[usize]) -> Vec<&'c Certification> {
        which.iter().map(|i| catalog.certification(&gen_code(&raws[*i], *i)).expect("built")).collect()
    }

    fn folded(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|t| t.trim().to_lowercase()).collect()
    }

    fn lists(cert: &Certification, t: &str) -> bool {
        cert.technologies.iter().any(|x| x.trim().eq_ignore_ascii_case(t.trim()))
    }

    /// Every order of `items`.
    fn permutations<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
        if items.len() <= 1 {
            return vec![items.to_vec()];
        }
        let mut all = vec![];
        for i in 0..items.len() {
            let mut rest = items.to_vec();
            let first = rest.remove(i);
            for mut tail in permutations(&rest) {
                tail.insert(0, first.clone());
                all.push(tail);
            }
        }
        all
    }

    fn mirrors(forward: &Comparison<'_>, backward: &Comparison<'_>) -> Result<(), TestCaseError> {
        let reversed: Vec<_> = backward.columns.iter().rev().cloned().collect();
        prop_assert_eq!(&forward.columns, &reversed, "the same facts per certification");
        prop_assert_eq!(folded(&forward.shared), folded(&backward.shared), "the same shared technologies");
        prop_assert_eq!(&forward.order, &backward.order, "the same order to take them in");
        let ids = |c: &Comparison<'_>| {
            c.responsibilities.iter().map(|r| r.responsibility.clone()).collect::<Vec<_>>()
        };
        prop_assert_eq!(ids(forward), ids(backward), "the same responsibilities");
        for (f, b) in forward.responsibilities.iter().zip(&backward.responsibilities) {
            let back: Vec<u64> = b.shares.iter().rev().map(|s| s.to_bits()).collect();
            let front: Vec<u64> = f.shares.iter().map(|s| s.to_bits()).collect();
            prop_assert_eq!(front, back, "{}: reversed shares", f.responsibility);
            for i in 0..f.shares.len() {
                prop_assert_eq!(f.covered(i), b.covered(f.shares.len() - 1 - i));
            }
        }
        Ok(())
    }

    fn technologies_are_never_lost(
        certs: &[&Certification],
        c: &Comparison<'_>,
    ) -> Result<(), TestCaseError> {
        let shared = folded(&c.shared);
        for (i, cert) in certs.iter().enumerate() {
            for t in &cert.technologies {
                let listed_by = certs.iter().filter(|other| lists(other, t)).count();
                let in_shared = shared.contains(&t.trim().to_lowercase());
                let in_only = c.columns[i].only.contains(&t.as_str());
                let elsewhere = c.columns.iter().enumerate().any(|(j, col)| {
                    j != i && col.only.iter().any(|o| o.trim().eq_ignore_ascii_case(t.trim()))
                });
                prop_assert!(!elsewhere, "{}'s {} is in another column's `only`", cert.code, t);
                if listed_by == certs.len() {
                    prop_assert!(in_shared && !in_only, "{} is listed by all: shared", t);
                } else if listed_by == 1 {
                    prop_assert!(in_only && !in_shared, "{} is listed by {} alone: only", t, cert.code);
                } else {
                    prop_assert!(
                        !in_only && !in_shared,
                        "{} is listed by {} of {}",
                        t,
                        listed_by,
                        certs.len()
                    );
                }
            }
        }
        // Nothing appears from nowhere: shared from the first, `only` from its own column.
        for t in &c.shared {
            prop_assert!(certs[0].technologies.iter().any(|x| x == t));
        }
        for (col, cert) in c.columns.iter().zip(certs) {
            for t in &col.only {
                prop_assert!(cert.technologies.iter().any(|x| x == t));
            }
        }
        Ok(())
    }

    fn shares_are_the_advisors(certs: &[&Certification], c: &Comparison<'_>) -> Result<(), TestCaseError> {
        for row in &c.responsibilities {
            prop_assert_eq!(row.shares.len(), certs.len());
            for (i, share) in row.shares.iter().enumerate() {
                prop_assert!((0.0..=1.0).contains(share), "{}: share {}", row.responsibility, share);
                prop_assert_eq!(share.to_bits(), advice::share(certs[i], &row.responsibility).to_bits());
                prop_assert_eq!(row.covered(i), *share >= COVERED_SHARE);
            }
        }
        for (i, cert) in certs.iter().enumerate() {
            let shares = advice::shares(cert);
            let rows: BTreeSet<&Slug> = c.responsibilities.iter().map(|r| &r.responsibility).collect();
            // Every responsibility the exam is about (a share above 0) has a row.
            for (r, share) in &shares {
                prop_assert!(*share <= 0.0 || rows.contains(r), "{}'s {} has no row", cert.code, r);
            }
            let column: f64 = c.responsibilities.iter().map(|r| r.shares[i]).sum();
            prop_assert!(close(column, shares.values().sum()));
            prop_assert!(column <= 1.0 + 1e-9, "{}: column sums to {}", cert.code, column);
        }
        Ok(())
    }

    fn rows_in_the_catalogs_order(catalog: &Catalog, c: &Comparison<'_>) -> Result<(), TestCaseError> {
        let listed: Vec<&Slug> = catalog.responsibilities.iter().map(|r| &r.id).collect();
        let rank = |r: &Slug| listed.iter().position(|x| *x == r);
        for pair in c.responsibilities.windows(2) {
            let (first, then) = (&pair[0].responsibility, &pair[1].responsibility);
            let in_order = match (rank(first), rank(then)) {
                (Some(x), Some(y)) => x < y,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => first < then,
            };
            prop_assert!(in_order, "{} before {}", first, then);
        }
        Ok(())
    }

    fn columns_are_right(
        catalog: &Catalog,
        certs: &[&Certification],
        c: &Comparison<'_>,
    ) -> Result<(), TestCaseError> {
        for (col, cert) in c.columns.iter().zip(certs) {
            prop_assert_eq!(&col.cert.code, &cert.code);
            prop_assert_eq!(&col.lifecycle, &Lifecycle::of(cert, today()));
            prop_assert_eq!(
                col.prerequisites_unconfirmed,
                !cert.prerequisites.is_empty() && cert.uncertain.iter().any(|f| f == "prerequisites")
            );
            let best = catalog
                .courses
                .values()
                .filter(|k| k.certification == cert.code)
                .map(|k| (k.duration_days, k.price.amount))
                .min();
            prop_assert_eq!(col.course.map(|k| (k.duration_days, k.price.amount)), best);
        }
        Ok(())
    }

    fn order_is_right(certs: &[&Certification], c: &Comparison<'_>) -> Result<(), TestCaseError> {
        let mut sorted = c.order.clone();
        sorted.sort();
        let mut expected: Vec<Code> = certs.iter().map(|c| c.code.clone()).collect();
        expected.sort();
        prop_assert_eq!(sorted, expected, "each compared exam once");
        let at = |code: &Code| c.order.iter().position(|x| x == code);
        for cert in certs {
            for p in cert.prerequisites.alternatives() {
                if let Some(p_at) = at(p) {
                    prop_assert!(p_at < at(&cert.code).expect("in the order"), "{} before {}", p, cert.code);
                }
            }
        }
        Ok(())
    }

    fn config() -> ProptestConfig {
        ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(256) }
    }

    proptest! {
        #![proptest_config(config())]

        // Comparing A with B mirrors B with A: reversed columns with the same facts, the
        // same shared technologies, the same order, the same rows with reversed shares.
        #[test]
        fn comparing_a_with_b_mirrors_b_with_a((raws, listed, which) in case()) {
            let catalog = build(&raws, &listed);
            let certs = chosen(&catalog, &raws, &which);
            let backwards: Vec<&Certification> = certs.iter().rev().copied().collect();
            let forward = Comparison::of(&catalog, &certs, today());
            let backward = Comparison::of(&catalog, &backwards, today());
            mirrors(&forward, &backward)?;
            prop_assert_eq!(Comparison::of(&catalog, &certs, today()), forward, "the same comparison twice");
        }

        // Every fact of the docs, for the comparison as asked.
        #[test]
        fn a_comparison_keeps_the_promises_of_the_docs((raws, listed, which) in case()) {
            let catalog = build(&raws, &listed);
            let certs = chosen(&catalog, &raws, &which);
            let c = Comparison::of(&catalog, &certs, today());
            prop_assert_eq!(c.certs().map(|x| &x.code).collect::<Vec<_>>(), certs.iter().map(|x| &x.code).collect::<Vec<_>>());
            technologies_are_never_lost(&certs, &c)?;
            shares_are_the_advisors(&certs, &c)?;
            rows_in_the_catalogs_order(&catalog, &c)?;
            columns_are_right(&catalog, &certs, &c)?;
            order_is_right(&certs, &c)?;
        }

        // Any order is served; the canonical URL is one for all of them, sorted by level
        // then code, and resolves (in any case) to the canonical order.
        #[test]
        fn every_order_has_one_canonical_segment((raws, listed, which) in case()) {
            let catalog = build(&raws, &listed);
            let certs = chosen(&catalog, &raws, &which);
            let segment = compare::path_segment(&certs);
            let order = compare::take_order(&certs);
            for permutation in permutations(&certs) {
                prop_assert_eq!(&compare::path_segment(&permutation), &segment);
                prop_assert_eq!(&compare::take_order(&permutation), &order);
                let c = Comparison::of(&catalog, &permutation, today());
                prop_assert_eq!(folded(&c.shared), folded(&Comparison::of(&catalog, &certs, today()).shared));
            }
            let canonical = compare::canonical(&certs);
            for pair in canonical.windows(2) {
                prop_assert!((pair[0].level, &pair[0].code) < (pair[1].level, &pair[1].code));
            }
            prop_assert_eq!(segment.to_lowercase(), segment.clone());
            for written in [segment.clone(), segment.to_uppercase()] {
                let back = compare::resolve(&catalog, &compare::split_path(&written)).expect("the canonical segment resolves");
                prop_assert_eq!(names(&back), names(&canonical));
            }
        }

        // Confusion is symmetric, counts only the same vendor, and `confusable` keeps its
        // order and its bounds.
        #[test]
        fn confusion_is_symmetric_and_confusable_is_sorted((raws, listed, _which) in case(), n in 0usize..=4) {
            let catalog = build(&raws, &listed);
            for a in catalog.certifications.values() {
                for b in catalog.certifications.values() {
                    let ab = compare::confusion(&catalog, a, b);
                    prop_assert_eq!(ab.map(f64::to_bits), compare::confusion(&catalog, b, a).map(f64::to_bits));
                    if a.code == b.code || a.vendor != b.vendor {
                        prop_assert_eq!(ab, None);
                    }
                }
                let found = compare::confusable(&catalog, a, today(), n);
                prop_assert!(found.len() <= n);
                let score = |c: &Certification| compare::confusion(&catalog, a, c).expect("confusable");
                for c in &found {
                    prop_assert!(!matches!(Lifecycle::of(c, today()), Lifecycle::Retired { .. }), "{} is retired", c.code);
                    prop_assert!(c.code != a.code && c.vendor == a.vendor);
                }
                for pair in found.windows(2) {
                    let (x, y) = (score(pair[0]), score(pair[1]));
                    prop_assert!(x > y || (close(x, y) && pair[0].code < pair[1].code));
                }
                let candidates = catalog
                    .certifications
                    .values()
                    .filter(|c| !matches!(Lifecycle::of(c, today()), Lifecycle::Retired { .. }))
                    .filter(|c| compare::confusion(&catalog, a, c).is_some())
                    .count();
                prop_assert_eq!(found.len(), candidates.min(n));
            }
        }
    }
}
