//! `cargo xtask fetch-docs`: refreshes the vendored documentation pages from the docs site, so
//! that the next `cargo xtask codegen` sees upstream changes (as a reviewable diff).

use crate::spec;
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Deserialize)]
struct Manifest {
    pages: Vec<Page>,
}

#[derive(Debug, Deserialize)]
struct Page {
    file: String,
    url: String,
}

/// Where each page comes from: the page's own header link when it has one, else the manifest.
fn page_url(page: &Page, vendored: &str) -> String {
    header_markdown_url(vendored).unwrap_or_else(|| page.url.clone())
}

/// The URL in a page header like "this page is available as [Markdown](https://…/x.md)".
pub fn header_markdown_url(text: &str) -> Option<String> {
    let header = text
        .lines()
        .take(5)
        .find(|line| line.contains("available as [Markdown]("))?;
    let start = header.find("[Markdown](")? + "[Markdown](".len();
    let end = header[start..].find(')')? + start;
    Some(header[start..end].to_string())
}

/// Replaces scheme and host of `url` with `origin` (e.g. a local mirror or test server).
fn with_origin(url: &str, origin: Option<&str>) -> String {
    match (origin, url.split_once("://")) {
        (Some(origin), Some((_, rest))) => {
            let path = rest.find('/').map(|i| &rest[i..]).unwrap_or("/");
            format!("{}{path}", origin.trim_end_matches('/'))
        }
        _ => url.to_string(),
    }
}

/// Downloads every page of `openapi/pages.json` into `dir`. Returns the files that changed.
pub fn run(dir: &Path, origin: Option<&str>) -> Result<Vec<String>> {
    let manifest: Manifest =
        serde_json::from_str(&std::fs::read_to_string(dir.join("pages.json")).context("reading openapi/pages.json")?)
            .context("parsing openapi/pages.json")?;
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .timeout_global(Some(std::time::Duration::from_secs(60)))
            .build(),
    );
    let mut changed = Vec::new();
    for page in &manifest.pages {
        let path = dir.join(&page.file);
        let vendored = std::fs::read_to_string(&path).unwrap_or_default();
        let url = with_origin(&page_url(page, &vendored), origin);
        let text = agent
            .get(&url)
            .call()
            .with_context(|| format!("fetching {} from {url}", page.file))?
            .body_mut()
            .read_to_string()
            .with_context(|| format!("reading {url}"))?;
        if page.file.contains("reference") {
            // Refuse a page codegen could not read (an error page, a redesign) before it lands.
            spec::merge_page(&page.file, &text).with_context(|| format!("{url} is not a usable reference page"))?;
        }
        if text != vendored {
            std::fs::write(&path, &text)?;
            changed.push(page.file.clone());
        }
    }
    if manifest.pages.is_empty() {
        bail!("openapi/pages.json lists no pages");
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_link_is_found() {
        let page = "> For the complete documentation index, see [llms.txt](https://d/llms.txt). Markdown versions ...; this page is available as [Markdown](https://docs.example/a/b.md).\n\n# T\n";
        assert_eq!(
            header_markdown_url(page).as_deref(),
            Some("https://docs.example/a/b.md")
        );
        assert_eq!(header_markdown_url("# no header\n"), None);
    }

    #[test]
    fn origin_replaces_scheme_and_host() {
        assert_eq!(
            with_origin("https://docs.x/a/b.md", Some("http://127.0.0.1:9/")),
            "http://127.0.0.1:9/a/b.md"
        );
        assert_eq!(with_origin("https://docs.x/a/b.md", None), "https://docs.x/a/b.md");
    }

    #[test]
    fn vendored_v2_reference_header_matches_the_manifest() {
        let dir = crate::workspace_root().join("openapi");
        let manifest: Manifest =
            serde_json::from_str(&std::fs::read_to_string(dir.join("pages.json")).unwrap()).unwrap();
        for page in &manifest.pages {
            let text = std::fs::read_to_string(dir.join(&page.file)).unwrap();
            if let Some(url) = header_markdown_url(&text) {
                assert_eq!(url, page.url, "{} header and pages.json disagree", page.file);
            }
        }
    }
}
