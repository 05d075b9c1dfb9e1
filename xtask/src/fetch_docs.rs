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
///
/// Nothing is written unless every page arrived and codegen can read the new set: a reference
/// page must still hold its OpenAPI blocks, and the guides' tables codegen reads (business codes,
/// rate limits, the GPU catalogue) must still be there, checked by building the specs from a
/// scratch copy of `dir` with the new pages in it.
pub fn run(dir: &Path, origin: Option<&str>) -> Result<Vec<String>> {
    let manifest: Manifest =
        serde_json::from_str(&std::fs::read_to_string(dir.join("pages.json")).context("reading openapi/pages.json")?)
            .context("parsing openapi/pages.json")?;
    if manifest.pages.is_empty() {
        bail!("openapi/pages.json lists no pages");
    }
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .timeout_global(Some(std::time::Duration::from_secs(60)))
            .build(),
    );
    let mut fetched = Vec::new();
    for page in &manifest.pages {
        let vendored = std::fs::read_to_string(dir.join(&page.file)).unwrap_or_default();
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
            fetched.push((page.file.clone(), text));
        }
    }
    if dir.join(spec::OVERLAY).exists() {
        check_codegen_reads(dir, &fetched)?;
    }
    let mut changed = Vec::new();
    for (file, text) in fetched {
        std::fs::write(dir.join(&file), &text)?;
        changed.push(file);
    }
    Ok(changed)
}

/// Builds the specs from a scratch copy of `dir` with the fetched pages in place.
fn check_codegen_reads(dir: &Path, fetched: &[(String, String)]) -> Result<()> {
    // Unique per call: concurrent runs in one process (tests) must not share it.
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let scratch = std::env::temp_dir().join(format!("yotta-fetch-docs-{}-{run}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)?;
    let result = (|| {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            if entry.file_type()?.is_file() {
                std::fs::copy(entry.path(), scratch.join(entry.file_name()))?;
            }
        }
        for (file, text) in fetched {
            std::fs::write(scratch.join(file), text)?;
        }
        spec::build(&scratch).context("codegen cannot read the fetched pages; nothing was written")?;
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    result
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
    fn the_manifest_lists_every_vendored_page_and_no_partial_copy() {
        let dir = crate::workspace_root().join("openapi");
        let manifest: Manifest =
            serde_json::from_str(&std::fs::read_to_string(dir.join("pages.json")).unwrap()).unwrap();
        let listed: Vec<&str> = manifest.pages.iter().map(|p| p.file.as_str()).collect();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if name.ends_with(".md") {
                assert!(listed.contains(&name.as_str()), "openapi/{name} is not in pages.json");
            }
        }
        for page in &manifest.pages {
            // A partial copy is not a page: what it shows goes through overlay.json instead.
            assert!(!page.file.contains("partial"), "{} is a partial copy", page.file);
            let text = std::fs::read_to_string(dir.join(&page.file))
                .unwrap_or_else(|e| panic!("openapi/{} is listed but unreadable: {e}", page.file));
            assert!(!text.contains("PARTIAL COPY"), "{} is a partial copy", page.file);
            assert!(
                page.url.starts_with("https://docs.yottalabs.ai/") && page.url.ends_with(".md"),
                "{}",
                page.url
            );
        }
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
