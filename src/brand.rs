//! The files a site's `[brand]` adds: its logo (SVG, checked at import) and a stylesheet
//! that sets the accent colour (the Content-Security-Policy forbids inline styles). Both
//! are made once per snapshot and served under addresses that carry a hash of their
//! bytes, so they can be cached for a year.

use bytes::Bytes;
use sha2::{Digest, Sha256};

use crate::domain::Brand;

/// One generated file.
#[derive(Debug, Clone)]
pub struct BrandFile {
    /// `/brand/logo.1a2b3c4d.svg`
    pub url: String,
    pub content_type: &'static str,
    pub body: Bytes,
}

impl BrandFile {
    fn new(stem: &str, extension: &str, content_type: &'static str, body: Vec<u8>) -> Self {
        let hash = crate::seal::hex(&Sha256::digest(&body)[..4]);
        Self { url: format!("/brand/{stem}.{hash}.{extension}"), content_type, body: body.into() }
    }
}

#[derive(Debug, Clone, Default)]
pub struct BrandFiles {
    pub logo: Option<BrandFile>,
    /// The logo's width when shown 40 pixels high (from its `viewBox`), so the page
    /// reserves its place before it loads.
    pub logo_width: u32,
    pub accent: Option<BrandFile>,
}

/// The height the header shows the logo at.
pub const LOGO_HEIGHT: u32 = 40;

/// The width of an SVG shown [`LOGO_HEIGHT`] high, from its `viewBox` (square when it
/// has none that reads).
fn width_at_logo_height(svg: &str) -> u32 {
    let ratio = svg
        .split_once("viewBox=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .and_then(|(view_box, _)| {
            let n: Vec<f64> = view_box
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter_map(|v| v.parse().ok())
                .collect();
            (n.len() == 4 && n[2] > 0.0 && n[3] > 0.0).then(|| n[2] / n[3])
        })
        .unwrap_or(1.0);
    // At most a wide wordmark (8:1); the value is a layout hint, not a size limit.
    let width = (f64::from(LOGO_HEIGHT) * ratio.clamp(0.1, 8.0)).round();
    // Clamped above to 8 × 40, so the cast is exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let width = width as u32;
    width
}

impl BrandFiles {
    pub fn of(brand: &Brand) -> Self {
        Self {
            logo_width: brand.logo_svg.as_deref().map_or(LOGO_HEIGHT, width_at_logo_height),
            logo: brand
                .logo_svg
                .as_ref()
                .map(|svg| BrandFile::new("logo", "svg", "image/svg+xml", svg.clone().into_bytes())),
            accent: brand.accent.as_ref().map(|colour| {
                // Checked on import as `#rrggbb`; the colour is the only thing that varies.
                let css = format!(":root {{ --accent: {colour}; }}\n");
                BrandFile::new("accent", "css", "text/css; charset=utf-8", css.into_bytes())
            }),
        }
    }

    /// The file at `path`, if this snapshot has it.
    pub fn get(&self, path: &str) -> Option<&BrandFile> {
        [&self.logo, &self.accent].into_iter().flatten().find(|f| f.url == path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_follow_the_bytes_and_only_present_files_are_served() {
        let brand = Brand { accent: Some("#0b5cab".into()), ..Brand::default() };
        let files = BrandFiles::of(&brand);
        assert!(files.logo.is_none());
        let css = files.accent.as_ref().unwrap();
        assert!(
            css.url.starts_with("/brand/accent.") && css.url.rsplit('.').next() == Some("css"),
            "{}",
            css.url
        );
        assert_eq!(&css.body[..], b":root { --accent: #0b5cab; }\n");
        assert!(files.get(&css.url).is_some());
        assert!(files.get("/brand/accent.00000000.css").is_none());
        assert_eq!(width_at_logo_height(r#"<svg viewBox="0 0 248 48">"#), 207);
        assert_eq!(width_at_logo_height(r#"<svg viewBox="0,0,10,10">"#), 40);
        assert_eq!(width_at_logo_height("<svg>"), 40);
        let other = BrandFiles::of(&Brand { accent: Some("#123456".into()), ..Brand::default() });
        assert_ne!(other.accent.unwrap().url, css.url);
    }
}
