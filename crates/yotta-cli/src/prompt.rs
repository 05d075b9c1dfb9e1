//! Questions to the operator at a terminal (confirmations, hidden prompts), and secrets read
//! from the first line of stdin or of a file.

use crate::exit::{CliResult, Failure};
use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::Path;

/// The longest line a secret is read from.
const MAX_SECRET_BYTES: u64 = 64 * 1024;

/// Whether a person can be asked: stdin and stderr are terminals.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Asks `question` on stderr and reads the answer from stdin: only `y` or `yes` (any case)
/// agree.
pub fn confirm(question: &str) -> CliResult<bool> {
    let mut stderr = std::io::stderr().lock();
    write!(stderr, "{question} [y/N] ")?;
    stderr.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().take(1024).read_line(&mut answer)?;
    Ok(matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes"))
}

/// Reads a secret after `prompt`, without echoing it: the terminal's echo is off while it is
/// typed.
pub fn secret(prompt: &str) -> CliResult<String> {
    let term = console::Term::stderr();
    term.write_str(prompt)?;
    term.read_secure_line()
        .map_err(|e| Failure::Usage(format!("cannot read the secret from the terminal: {e}")))
}

/// The first line of stdin, trimmed, for a secret piped in (`--api-key-stdin`, `auth login`,
/// `--password-stdin`).
pub fn first_line_of_stdin(what: &str) -> CliResult<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .take(MAX_SECRET_BYTES)
        .read_line(&mut line)
        .map_err(|e| Failure::Usage(format!("cannot read {what} from stdin: {e}")))?;
    let line = line.trim().to_string();
    if line.is_empty() {
        return Err(Failure::Usage(format!("{what}: the first line of stdin is empty")));
    }
    Ok(line)
}

/// The first line of the file given to `flag`, trimmed (`--api-key-file`, `--password-file`).
pub fn first_line_of_file(flag: &str, path: &Path) -> CliResult<String> {
    let name = path.display();
    let unreadable = |e: std::io::Error| Failure::Usage(format!("cannot read {flag} {name}: {e}"));
    let mut text = String::new();
    std::fs::File::open(path)
        .map_err(unreadable)?
        .take(MAX_SECRET_BYTES)
        .read_to_string(&mut text)
        .map_err(unreadable)?;
    let line = text.lines().next().unwrap_or_default().trim().to_string();
    if line.is_empty() {
        return Err(Failure::Usage(format!("{flag} {name} is empty")));
    }
    Ok(line)
}
