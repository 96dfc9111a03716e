//! Small catalogs built in code for the domain's unit tests.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::*;

pub fn day(s: &str) -> NaiveDate {
    s.parse().expect("test date")
}

pub fn code(s: &str) -> Code {
    Code::parse(s).expect("test code")
}

pub fn slug(s: &str) -> Slug {
    Slug::parse(s).expect("test slug")
}

pub fn cert(c: &str, scope: &str, technologies: &[&str]) -> Certification {
    Certification {
        code: code(c),
        vendor: "Microsoft".into(),
        title: format!("{c} title"),
        credential: format!("{c} credential"),
        level: Level::Associate,
        scope: scope.into(),
        summary: String::new(),
        technologies: technologies.iter().map(|t| (*t).to_owned()).collect(),
        roles: vec![],
        prerequisites: crate::domain::Prerequisites::default(),
        status: Status::Active,
        retires_on: None,
        successor: None,
        exam_minutes: None,
        uncertain: vec![],
        domains: vec![],
        sources: vec![],
        translations: crate::domain::Translations::new(),
    }
}

pub fn course(s: &str, c: &str, days: u32, price: &str, currency: &str) -> Course {
    Course {
        slug: slug(s),
        certification: code(c),
        title: s.into(),
        duration_days: days,
        price: Money::parse(price, currency).expect("test price"),
        price_note: None,
        delivery: vec![Delivery::Classroom],
        teachers: vec![],
        sessions: vec![],
        translations: crate::domain::Translations::new(),
    }
}

/// A session of 12 seats in English, with its default id.
pub fn session(starts_on: &str, location: &str) -> Session {
    let starts_on = day(starts_on);
    Session {
        id: Session::default_id(starts_on, location),
        starts_on,
        location: location.into(),
        language: "en".into(),
        seats: 12,
    }
}

pub fn answer(certs: &[&str]) -> Answer {
    Answer {
        locale: "en".into(),
        slug: slug("a"),
        question: "Q?".into(),
        short_answer: "A.".into(),
        certifications: certs.iter().map(|c| code(c)).collect(),
        topics: vec![],
        author: slug("expert"),
        published_on: day("2026-01-01"),
        reviewed_on: day("2026-01-01"),
        translation_key: None,
        choose: vec![],
        insight: None,
        body: String::new(),
    }
}

pub fn catalog(certs: Vec<Certification>, courses: Vec<Course>) -> Catalog {
    Catalog {
        site: Site {
            name: "Test".into(),
            base_url: "https://example.test".into(),
            default_locale: "en".into(),
            locales: vec!["en".into()],
            region: None,
            policy_version: "1".into(),
            services: vec![],
            brand: crate::domain::Brand::default(),
        },
        responsibilities: vec![],
        certifications: certs.into_iter().map(|c| (c.code.clone(), c)).collect(),
        courses: courses.into_iter().map(|c| (c.slug.clone(), c)).collect(),
        experts: BTreeMap::new(),
        topics: BTreeMap::new(),
        answers: vec![],
        pages: vec![],
    }
}
