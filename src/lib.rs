//! certwise: an IT-training provider's answers hub.
//!
//! See ARCHITECTURE.md for the map of modules and the data flow.

pub mod accounts;
pub mod app;
pub mod backup;
pub mod brand;
pub mod content;
pub mod domain;
pub mod editorial;
pub mod export;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod i18n;
pub mod live;
pub mod markdown;
pub mod metrics;
pub mod outbox;
pub mod seal;
pub mod search;
pub mod server;
pub mod settings;
pub mod snapshot;
pub mod static_site;
pub mod store;
pub mod web;
