//! Writing results: one JSON value, aligned tables, field lists, and log lines as they come.

use crate::args::OutputFormat;
use serde::Serialize;
use std::io::{self, IsTerminal, Write};

/// `-o table` when given, else table on a terminal and JSON otherwise.
pub fn resolve(format: Option<OutputFormat>) -> OutputFormat {
    format.unwrap_or_else(|| {
        if io::stdout().is_terminal() {
            OutputFormat::Table
        } else {
            OutputFormat::Json
        }
    })
}

/// Prints a command's result in the chosen format.
#[derive(Clone, Copy, Debug)]
pub struct Printer {
    pub format: OutputFormat,
}

impl Printer {
    /// `value` as pretty JSON, or the table `render` builds.
    pub fn print<T: Serialize + ?Sized>(&self, value: &T, render: impl FnOnce() -> String) -> io::Result<()> {
        let mut out = io::stdout().lock();
        match self.format {
            OutputFormat::Json => {
                serde_json::to_writer_pretty(&mut out, value).map_err(io::Error::from)?;
                writeln!(out)?;
            }
            OutputFormat::Table => out.write_all(render().as_bytes())?,
        }
        out.flush()
    }
}

/// Makes text safe for a terminal cell: control characters (newlines, escape sequences) are
/// shown escaped rather than interpreted.
pub fn cell(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `-` for an absent value.
pub fn or_dash<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_string(), |v| cell(&v.to_string()))
}

/// Columns aligned to their widest cell, three spaces apart; an empty list prints its header.
pub struct Table {
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&'static str]) -> Self {
        Self {
            headers: headers.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn render(&self) -> String {
        let columns = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (width, value) in widths.iter_mut().zip(row) {
                *width = (*width).max(value.chars().count());
            }
        }
        let mut text = String::new();
        let header: Vec<String> = self.headers.iter().map(|h| h.to_string()).collect();
        for row in std::iter::once(&header).chain(&self.rows) {
            let mut line = String::new();
            for (i, value) in row.iter().take(columns).enumerate() {
                if i > 0 {
                    line.push_str("   ");
                }
                line.push_str(value);
                let pad = widths[i].saturating_sub(value.chars().count());
                line.extend(std::iter::repeat_n(' ', pad));
            }
            text.push_str(line.trim_end());
            text.push('\n');
        }
        text
    }
}

/// One object as `Label:  value` lines, values aligned.
pub struct Fields {
    lines: Vec<(&'static str, String)>,
}

impl Fields {
    pub fn new() -> Self {
        Self { lines: Vec::new() }
    }

    pub fn add(&mut self, label: &'static str, value: impl Into<String>) -> &mut Self {
        self.lines.push((label, value.into()));
        self
    }

    pub fn render(&self) -> String {
        let width = self.lines.iter().map(|(l, _)| l.chars().count()).max().unwrap_or(0);
        let mut text = String::new();
        for (label, value) in &self.lines {
            let pad = width - label.chars().count();
            let line = format!("{label}:{}  {value}", " ".repeat(pad));
            text.push_str(line.trim_end());
            text.push('\n');
        }
        text
    }
}

/// Writes items one by one as they arrive: a JSON array (one value), JSON Lines, or rows.
pub struct ItemWriter<W: Write> {
    out: W,
    style: ItemStyle,
    written: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemStyle {
    /// `[`, the items separated by commas, `]`: one JSON value.
    JsonArray,
    /// One compact JSON object per line.
    JsonLines,
    /// Whatever text the caller renders per item.
    Text,
}

impl<W: Write> ItemWriter<W> {
    pub fn new(out: W, style: ItemStyle) -> Self {
        Self { out, style, written: 0 }
    }

    pub fn written(&self) -> u64 {
        self.written
    }

    /// Writes one item (flushed, so a follower sees it at once).
    pub fn item<T: Serialize>(&mut self, value: &T, text: impl FnOnce(&T) -> String) -> io::Result<()> {
        let json = || serde_json::to_string(value).map_err(io::Error::from);
        match self.style {
            ItemStyle::JsonArray => {
                let separator = if self.written == 0 { "[\n  " } else { ",\n  " };
                write!(self.out, "{separator}{}", json()?)?;
            }
            ItemStyle::JsonLines => writeln!(self.out, "{}", json()?)?,
            ItemStyle::Text => writeln!(self.out, "{}", text(value))?,
        }
        self.written += 1;
        self.out.flush()
    }

    /// Closes the JSON array (an empty list prints `[]`).
    pub fn finish(mut self) -> io::Result<()> {
        if self.style == ItemStyle::JsonArray {
            let end = if self.written == 0 { "[]\n" } else { "\n]\n" };
            self.out.write_all(end.as_bytes())?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_and_trim() {
        let mut table = Table::new(&["ID", "NAME", "STATUS"]);
        table.row(vec!["378888638324150969".into(), "a".into(), "RUNNING".into()]);
        table.row(vec!["7".into(), "longer-name".into(), "".into()]);
        assert_eq!(
            table.render(),
            "ID                   NAME          STATUS\n\
             378888638324150969   a             RUNNING\n\
             7                    longer-name\n"
        );
        assert_eq!(Table::new(&["ID"]).render(), "ID\n");
    }

    #[test]
    fn fields_align() {
        let mut fields = Fields::new();
        fields.add("ID", "1").add("Status", "RUNNING").add("Webhook", "");
        assert_eq!(fields.render(), "ID:       1\nStatus:   RUNNING\nWebhook:\n");
    }

    #[test]
    fn cells_escape_control_characters() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a\nb\u{1b}[31m"), "a\\nb\\u{1b}[31m");
        assert_eq!(or_dash(None::<&str>), "-");
    }

    #[test]
    fn item_writers() {
        let render = |style, items: &[i32]| {
            let mut buffer = Vec::new();
            let mut writer = ItemWriter::new(&mut buffer, style);
            for item in items {
                writer.item(item, |n| format!("n={n}")).unwrap();
            }
            writer.finish().unwrap();
            String::from_utf8(buffer).unwrap()
        };
        assert_eq!(render(ItemStyle::JsonArray, &[]), "[]\n");
        let array = render(ItemStyle::JsonArray, &[1, 2]);
        assert_eq!(array, "[\n  1,\n  2\n]\n");
        assert_eq!(serde_json::from_str::<Vec<i32>>(&array).unwrap(), [1, 2]);
        assert_eq!(render(ItemStyle::JsonLines, &[1, 2]), "1\n2\n");
        assert_eq!(render(ItemStyle::Text, &[1]), "n=1\n");
    }
}
