//! Questions to the operator at a terminal: confirmations and the hidden API key prompt.

use crate::exit::{CliResult, Failure};
use std::io::{BufRead, IsTerminal, Read, Write};

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
        .map_err(|e| Failure::Usage(format!("cannot read the key from the terminal: {e}")))
}

/// The first line of stdin, trimmed, for a key piped in (`--api-key-stdin`, `auth login`).
pub fn first_line_of_stdin(what: &str) -> CliResult<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .take(64 * 1024)
        .read_line(&mut line)
        .map_err(|e| Failure::Usage(format!("cannot read {what} from stdin: {e}")))?;
    let line = line.trim().to_string();
    if line.is_empty() {
        return Err(Failure::Usage(format!("{what}: stdin held no key")));
    }
    Ok(line)
}
