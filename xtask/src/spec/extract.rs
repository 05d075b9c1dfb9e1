//! Pulls the OpenAPI documents out of a documentation page.
//!
//! The reference pages are markdown: prose and headings, a few non-JSON fences, and one complete
//! OpenAPI document per ```json fence. Only those fences are read.

use anyhow::{Result, bail};
use serde_json::Value;

/// One ```json block of a page, parsed.
#[derive(Debug, Clone)]
pub struct Block {
    /// 1-based position of the block among the page's json blocks.
    pub number: usize,
    /// 1-based line of the opening fence in the page.
    pub line: usize,
    pub document: Value,
}

/// Every ```json block of `text`, in page order. A block that is not valid JSON fails the whole
/// page with the page name, the block number and the error position within the page.
pub fn json_blocks(page: &str, text: &str) -> Result<Vec<Block>> {
    let mut blocks = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let Some(info) = fence_info(line) else { continue };
        let opening_line = index + 1;
        let mut body = String::new();
        let mut closed = false;
        for (_, inner) in lines.by_ref() {
            if fence_info(inner).is_some_and(str::is_empty) {
                closed = true;
                break;
            }
            body.push_str(inner);
            body.push('\n');
        }
        if info != "json" {
            continue;
        }
        let number = blocks.len() + 1;
        if !closed {
            bail!("{page}: json block {number} (opened at line {opening_line}) is never closed");
        }
        match serde_json::from_str(&body) {
            Ok(document) => blocks.push(Block {
                number,
                line: opening_line,
                document,
            }),
            Err(error) => bail!(
                "{page}: json block {number} is not valid JSON: {} at page line {}, column {} \
                 (line {} of the block)",
                describe(&error),
                opening_line + error.line(),
                error.column(),
                error.line(),
            ),
        }
    }
    Ok(blocks)
}

/// The info string of a fence line (```json gives "json", a bare ``` gives ""), or None.
fn fence_info(line: &str) -> Option<&str> {
    line.trim_end().strip_prefix("```").map(str::trim)
}

fn describe(error: &serde_json::Error) -> String {
    // serde_json's Display appends "at line L column C", which is relative to the block and
    // would contradict the page position we report.
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "# Title\n\nSome prose with `inline` code.\n\n```bash\ncurl -X POST\n```\n\n## Op\n\n```json\n{\"a\": 1}\n```\n\n```\nplain fence\n```\n\n```json\n{\"b\": [1, 2]}\n```\n";

    #[test]
    fn reads_only_json_fences_in_order() {
        let blocks = json_blocks("page.md", PAGE).unwrap();
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].document, serde_json::json!({"a": 1}));
        assert_eq!(blocks[0].number, 1);
        assert_eq!(blocks[0].line, 11);
        assert_eq!(blocks[1].document, serde_json::json!({"b": [1, 2]}));
    }

    #[test]
    fn malformed_block_names_page_block_and_position() {
        let page = "# T\n\n```json\n{\"ok\": true}\n```\n\ntext\n\n```json\n{\"a\": 1,\n \"b\": }\n```\n";
        let error = json_blocks("v9-reference.md", page).unwrap_err().to_string();
        assert!(error.contains("v9-reference.md"), "{error}");
        assert!(error.contains("json block 2"), "{error}");
        assert!(error.contains("page line 11, column 7"), "{error}");
    }

    #[test]
    fn unclosed_json_block_is_an_error() {
        let error = json_blocks("p.md", "```json\n{}\n").unwrap_err().to_string();
        assert!(error.contains("never closed"), "{error}");
    }
}
