//! Facts read from the guide pages' prose and markdown tables: business code tables, rate
//! limits, the GPU type catalogue and the documented constraints.
//!
//! Guides carry no OpenAPI blocks, but their tables are regular (GitBook markdown), so codegen
//! reads them rather than have the overlay retype them: a docs change then reaches the generated
//! code as a reviewable diff, and a page whose table disappears or changes shape fails codegen
//! with the page and the section named.

use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;

/// The text under the heading `title` (any level, `**bold**` markers ignored), up to the next
/// heading of the same or a higher level.
pub fn section<'a>(page: &str, text: &'a str, title: &str) -> Result<&'a str> {
    let mut start = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some((level, heading)) = heading(line) {
            match start {
                Some((from, open_level)) if level <= open_level => return Ok(&text[from..offset]),
                None if heading == title => start = Some((offset + line.len(), level)),
                _ => {}
            }
        }
        offset += line.len();
    }
    match start {
        Some((from, _)) => Ok(&text[from..]),
        None => bail!("{page}: no section headed {title:?}"),
    }
}

/// `## Title` -> (2, "Title").
fn heading(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_end();
    let level = trimmed.bytes().take_while(|b| *b == b'#').count();
    if level == 0 || trimmed.as_bytes().get(level) != Some(&b' ') {
        return None;
    }
    Some((level, trimmed[level..].trim().trim_matches('*').trim()))
}

/// A markdown table: its header cells and rows, cell text cleaned of markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The index of the column whose header is `name` (case-insensitive).
    pub fn column(&self, page: &str, name: &str) -> Result<usize> {
        self.header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .with_context(|| format!("{page}: a table has no {name:?} column (columns: {:?})", self.header))
    }
}

/// Every table of `text`, in order.
pub fn tables(text: &str) -> Vec<Table> {
    let mut tables = Vec::new();
    let mut lines: Vec<Vec<String>> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        let trimmed = line.trim();
        if trimmed.starts_with('|') {
            lines.push(cells(trimmed));
            continue;
        }
        if lines.len() >= 2 && is_separator(&lines[1]) {
            let mut rows = std::mem::take(&mut lines);
            let header = rows.remove(0);
            rows.remove(0);
            tables.push(Table { header, rows });
        }
        lines.clear();
    }
    tables
}

fn cells(line: &str) -> Vec<String> {
    let inner = line.trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(clean).collect()
}

fn is_separator(cells: &[String]) -> bool {
    cells
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')))
}

/// `NVIDIA\_RTX` -> `NVIDIA_RTX`; `<p>a<br>b</p>` -> `a b`; backticks and bold markers dropped.
pub fn clean(cell: &str) -> String {
    let mut text = cell.replace("<br>", " ").replace('\\', "");
    while let (Some(open), Some(close)) = (text.find('<'), text.find('>')) {
        if close < open {
            break;
        }
        text.replace_range(open..=close, "");
    }
    let text = text.replace(['`'], "").replace("**", "");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A page's business code table (a `CODE` column and a `DESCRIPTION` and/or `MESSAGE` column)
/// in `section`, as code -> description. A code listed on several rows (the v1 task page gives
/// one row per validation message of 40001) gets the rows' texts joined with "; ".
pub fn business_codes(page: &str, text: &str, title: &str) -> Result<BTreeMap<String, String>> {
    let body = section(page, text, title)?;
    let table = tables(body)
        .into_iter()
        .find(|t| t.header.iter().any(|h| h.eq_ignore_ascii_case("code")))
        .with_context(|| format!("{page}, section {title:?}: no table with a CODE column"))?;
    let code = table.column(page, "code")?;
    let message = table.column(page, "message").ok();
    let description = table.column(page, "description").ok();
    if message.is_none() && description.is_none() {
        bail!("{page}, section {title:?}: the code table has neither a MESSAGE nor a DESCRIPTION column");
    }
    let mut codes: BTreeMap<String, String> = BTreeMap::new();
    for row in &table.rows {
        let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).map(String::as_str).unwrap_or("");
        let number = cell(Some(code));
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            bail!("{page}, section {title:?}: {number:?} in the CODE column is not a code");
        }
        let text = match (cell(message), cell(description)) {
            ("", d) => d.to_string(),
            (m, "") => m.to_string(),
            (m, d) => format!("{m}: {d}"),
        };
        codes
            .entry(number.to_string())
            .and_modify(|existing| {
                existing.push_str("; ");
                existing.push_str(&text);
            })
            .or_insert(text);
    }
    Ok(codes)
}

/// Rate limits stated in an operation's section of the v1 task page:
/// "Per `X-Endpoint-ID`: 40 QPS, 1000 Total Tasks." and "Global Limit: 200 QPS.".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateLimits {
    pub per_endpoint_qps: Option<u64>,
    pub per_endpoint_total: Option<u64>,
    pub global_qps: Option<u64>,
}

pub fn rate_limits(page: &str, text: &str, title: &str) -> Result<(RateLimits, String)> {
    let body = section(page, text, title)?;
    let mut limits = RateLimits::default();
    let mut key = None;
    for line in body.lines() {
        let line = clean(line.trim().trim_start_matches(['*', '-']).trim());
        if let Some(rest) = line.strip_prefix("Per ") {
            let (name, figures) = rest
                .split_once(':')
                .with_context(|| format!("{page}, {title:?}: cannot read the limit {line:?}"))?;
            key = Some(name.trim().to_string());
            for figure in figures.split(',') {
                let figure = figure.trim().trim_end_matches('.');
                if let Some(n) = figure.strip_suffix(" QPS") {
                    limits.per_endpoint_qps = Some(number(page, title, n)?);
                } else if let Some(n) = figure.strip_suffix(" Total Tasks") {
                    limits.per_endpoint_total = Some(number(page, title, n)?);
                } else {
                    bail!("{page}, {title:?}: unknown limit {figure:?}");
                }
            }
        } else if let Some(rest) = line.strip_prefix("Global Limit:") {
            let n = rest
                .trim()
                .trim_end_matches('.')
                .strip_suffix(" QPS")
                .with_context(|| format!("{page}, {title:?}: cannot read the global limit {line:?}"))?;
            limits.global_qps = Some(number(page, title, n)?);
        }
    }
    if limits == RateLimits::default() {
        bail!("{page}, section {title:?}: no rate limit found");
    }
    let key = key.with_context(|| format!("{page}, {title:?}: the per-endpoint limit names no header"))?;
    Ok((limits, key))
}

fn number(page: &str, title: &str, text: &str) -> Result<u64> {
    text.trim()
        .replace(',', "")
        .parse()
        .with_context(|| format!("{page}, {title:?}: {text:?} is not a number"))
}

/// One row of the overview page's GPU type table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GpuType {
    pub code: String,
    pub display_name: String,
    pub vram_gb: u32,
}

pub fn gpu_types(page: &str, text: &str, title: &str) -> Result<Vec<GpuType>> {
    let body = section(page, text, title)?;
    let table = tables(body)
        .into_iter()
        .next()
        .with_context(|| format!("{page}, section {title:?}: no table"))?;
    let (code, name, vram) = (
        table.column(page, "code")?,
        table.column(page, "display name")?,
        table.column(page, "vram")?,
    );
    let mut types = Vec::new();
    for row in &table.rows {
        let cell = |i: usize| row.get(i).cloned().unwrap_or_default();
        let vram_text = cell(vram);
        let vram_gb = vram_text
            .strip_suffix("GB")
            .and_then(|n| n.trim().parse().ok())
            .with_context(|| format!("{page}, {title:?}: VRAM {vram_text:?} of {} is not 'N GB'", cell(code)))?;
        if cell(code).is_empty() || cell(name).is_empty() {
            bail!("{page}, {title:?}: a row without a code or display name: {row:?}");
        }
        types.push(GpuType {
            code: cell(code),
            display_name: cell(name),
            vram_gb,
        });
    }
    if types.is_empty() {
        bail!("{page}, section {title:?}: the GPU table has no rows");
    }
    Ok(types)
}

/// The documented constraints codegen turns into constants, read from the overview's notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraints {
    /// "GPU counts must be powers of 2 (1, 2, 4, 8, ...)", verbatim.
    pub gpu_count_note: String,
    /// "Minimum container volume is 20 GB for endpoints", verbatim, and its figure.
    pub min_volume_note: String,
    pub min_container_volume_gb: u32,
}

pub fn constraints(page: &str, text: &str, title: &str) -> Result<Constraints> {
    let body = section(page, text, title)?;
    let notes: Vec<String> = body
        .lines()
        .filter_map(|l| l.trim().strip_prefix("* ").or_else(|| l.trim().strip_prefix("- ")))
        .map(clean)
        .collect();
    let find = |needle: &str| {
        notes
            .iter()
            .find(|n| n.contains(needle))
            .cloned()
            .with_context(|| format!("{page}, section {title:?}: no note containing {needle:?}"))
    };
    let gpu_count_note = find("GPU counts must be powers of 2")?;
    let min_volume_note = find("Minimum container volume is")?;
    let min_container_volume_gb = min_volume_note
        .split("Minimum container volume is")
        .nth(1)
        .and_then(|rest| rest.trim().split(' ').next())
        .and_then(|n| n.parse().ok())
        .with_context(|| format!("{page}: cannot read the figure of {min_volume_note:?}"))?;
    Ok(Constraints {
        gpu_count_note,
        min_volume_note,
        min_container_volume_gb,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "# Title\n\n### Codes\n\n| CODE | DESCRIPTION |\n| ---- | ----------- |\n| 10000 | Success |\n| 10002 | System error |\n\n### GPU Types Reference\n\nYou can use these codes.\n\n| CODE | DISPLAY NAME | VRAM |\n| --- | --- | --- |\n| NVIDIA\\_RTX\\_4090\\_24G | RTX 4090 | 24 GB |\n\n## Op\n\n* **Rate Limiting:**\n  * Per `X-Endpoint-ID`: 40 QPS, 1000 Total Tasks.\n  * Global Limit: 200 QPS.\n\n## Response Codes\n\n| Code | Message | Description |\n| ---- | ------- | ----------- |\n| 40001 | a is required | `a` missing |\n| 40001 | b too long | <p>b<br>long</p> |\n\n### Notes\n\n* GPU counts must be powers of 2 (1, 2, 4, 8, ...)\n* Minimum container volume is 20 GB for endpoints\n";

    #[test]
    fn sections_end_at_the_next_heading_of_their_level() {
        let codes = section("p", PAGE, "Codes").unwrap();
        assert!(codes.contains("10002") && !codes.contains("GPU"));
        assert!(section("p", PAGE, "Op").unwrap().contains("Global Limit"));
        assert!(
            section("p", PAGE, "Missing")
                .unwrap_err()
                .to_string()
                .contains("\"Missing\"")
        );
    }

    #[test]
    fn code_tables_join_repeated_codes() {
        let codes = business_codes("p", PAGE, "Codes").unwrap();
        assert_eq!(codes["10002"], "System error");
        let codes = business_codes("p", PAGE, "Response Codes").unwrap();
        assert_eq!(codes["40001"], "a is required: a missing; b too long: b long");
    }

    #[test]
    fn rate_limits_gpu_types_and_notes() {
        let (limits, key) = rate_limits("p", PAGE, "Op").unwrap();
        assert_eq!(
            limits,
            RateLimits {
                per_endpoint_qps: Some(40),
                per_endpoint_total: Some(1000),
                global_qps: Some(200)
            }
        );
        assert_eq!(key, "X-Endpoint-ID");
        assert!(rate_limits("p", PAGE, "Codes").is_err());
        let gpus = gpu_types("p", PAGE, "GPU Types Reference").unwrap();
        assert_eq!(
            gpus,
            [GpuType {
                code: "NVIDIA_RTX_4090_24G".into(),
                display_name: "RTX 4090".into(),
                vram_gb: 24
            }]
        );
        let c = constraints("p", PAGE, "Notes").unwrap();
        assert_eq!(c.min_container_volume_gb, 20);
        assert!(c.gpu_count_note.starts_with("GPU counts must be powers of 2"));
    }

    #[test]
    fn a_malformed_table_names_the_page() {
        let page = "## GPU\n\n| CODE | DISPLAY NAME | VRAM |\n| - | - | - |\n| X | Y | lots |\n";
        let error = gpu_types("overview.md", page, "GPU").unwrap_err().to_string();
        assert!(error.contains("overview.md") && error.contains("lots"), "{error}");
    }
}
