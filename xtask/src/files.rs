//! Writing generated artefacts, or checking that the committed ones are current
//! (after rust-analyzer's `ensure_file_contents`).

use anyhow::{Result, bail};
use similar::TextDiff;
use std::path::Path;

/// A file a generator owns, with the contents it should have.
#[derive(Debug, Clone)]
pub struct Artefact {
    /// Relative to the workspace root.
    pub path: String,
    pub contents: String,
}

impl Artefact {
    pub fn new(path: &str, contents: String) -> Self {
        Self {
            path: path.to_string(),
            contents,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Rewrite stale files.
    Write,
    /// Rewrite nothing; fail with a diff when any file is stale.
    Check,
}

/// Brings the files up to date (Write) or reports every stale one with a diff (Check).
pub fn sync(root: &Path, artefacts: &[Artefact], mode: Mode) -> Result<()> {
    let mut stale = Vec::new();
    for artefact in artefacts {
        let path = root.join(&artefact.path);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == artefact.contents {
            continue;
        }
        match mode {
            Mode::Write => {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&path, &artefact.contents)?;
                eprintln!("updated {}", artefact.path);
            }
            Mode::Check => stale.push(diff(&artefact.path, &current, &artefact.contents)),
        }
    }
    if !stale.is_empty() {
        bail!(
            "{} generated file(s) are stale; run `cargo xtask codegen` and commit the result:\n\n{}",
            stale.len(),
            stale.join("\n")
        );
    }
    Ok(())
}

/// A unified diff, cut short for very large changes.
pub fn diff(path: &str, current: &str, expected: &str) -> String {
    const MAX_LINES: usize = 200;
    let text = TextDiff::from_lines(current, expected)
        .unified_diff()
        .context_radius(3)
        .header(&format!("{path} (committed)"), &format!("{path} (generated)"))
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= MAX_LINES {
        return text;
    }
    format!(
        "{}\n... {} more diff lines\n",
        lines[..MAX_LINES].join("\n"),
        lines.len() - MAX_LINES
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_reports_a_diff_and_writes_nothing() {
        let dir = std::env::temp_dir().join(format!("xtask-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.txt"), "one\ntwo\n").unwrap();
        let wanted = [Artefact::new("a.txt", "one\nthree\n".into())];
        let error = sync(&dir, &wanted, Mode::Check).unwrap_err().to_string();
        assert!(error.contains("-two") && error.contains("+three"), "{error}");
        assert_eq!(std::fs::read_to_string(dir.join("a.txt")).unwrap(), "one\ntwo\n");
        sync(&dir, &wanted, Mode::Write).unwrap();
        assert_eq!(std::fs::read_to_string(dir.join("a.txt")).unwrap(), "one\nthree\n");
        sync(&dir, &wanted, Mode::Check).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
