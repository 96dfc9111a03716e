//! What every form POST checks before anything else: that it comes from this site.

use axum::http::{HeaderMap, header};

use super::visitor::host;
use crate::domain::Site;

/// A form's request must come from this site: a foreign `Origin` or a cross-site
/// `Sec-Fetch-Site` is refused. Origins are compared as the URL standard defines them
/// (scheme, host and port, the default port implied).
pub fn same_origin(headers: &HeaderMap, site: &Site, https: bool) -> Result<(), String> {
    if let Some(fetch_site) = headers.get("sec-fetch-site") {
        if !matches!(fetch_site.as_bytes(), b"same-origin" | b"none") {
            return Err(format!(
                "cross-site request refused (Sec-Fetch-Site: {})",
                fetch_site.to_str().unwrap_or("?")
            ));
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("null");
        let origin_of =
            |url: &str| url::Url::parse(url).ok().map(|u| u.origin()).filter(url::Origin::is_tuple);
        let own = origin_of(&format!("{}://{}", if https { "https" } else { "http" }, host(headers)));
        let theirs = origin_of(origin);
        if theirs.is_none() || (theirs != own && theirs != origin_of(&site.base_url)) {
            return Err(format!("request from a foreign origin refused ({origin})"));
        }
    }
    Ok(())
}
