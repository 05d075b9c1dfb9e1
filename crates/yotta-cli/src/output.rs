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
    /// The terminal's width, when stdout is one (tables fit it).
    pub width: Option<u16>,
}

impl Printer {
    /// `value` as pretty JSON, or the table `render` builds for the terminal's width.
    pub fn print<T: Serialize + ?Sized>(
        &self,
        value: &T,
        render: impl FnOnce(Option<u16>) -> String,
    ) -> io::Result<()> {
        let mut out = io::stdout().lock();
        match self.format {
            OutputFormat::Json => {
                write_json(&mut out, value)?;
                writeln!(out)?;
            }
            OutputFormat::Table => out.write_all(render(self.width).as_bytes())?,
        }
        out.flush()
    }
}

/// `value` as pretty JSON in which DEL and the C1 controls (U+007F to U+009F) are written as
/// `\u` escapes too. serde_json escapes only U+0000 to U+001F; a raw U+009B is a terminal's
/// control sequence introducer, so server text printed with `-o json` on a terminal could
/// otherwise rewrite the screen. The value is the same JSON either way.
pub fn write_json<T: Serialize + ?Sized>(out: &mut impl Write, value: &T) -> io::Result<()> {
    let formatter = TerminalSafe(serde_json::ser::PrettyFormatter::new());
    value
        .serialize(&mut serde_json::Serializer::with_formatter(out, formatter))
        .map_err(io::Error::from)
}

/// `value` as one line of JSON, escaped as [`write_json`] escapes it.
pub fn write_json_line<T: Serialize + ?Sized>(out: &mut impl Write, value: &T) -> io::Result<()> {
    let formatter = TerminalSafe(serde_json::ser::CompactFormatter);
    value
        .serialize(&mut serde_json::Serializer::with_formatter(out, formatter))
        .map_err(io::Error::from)
}

/// A serde_json formatter that also escapes DEL and C1 controls in strings.
struct TerminalSafe<F>(F);

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for TerminalSafe<F> {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if ('\u{7f}'..='\u{9f}').contains(&c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

/// Makes server-provided text safe for a terminal (tables, stderr): control characters
/// (newlines, carriage returns, ANSI escape sequences, C1 controls, DEL) are shown escaped
/// (`\n`, `\u{1b}`) rather than interpreted, so a server cannot rewrite or hide what the
/// operator sees.
pub fn escape(text: &str) -> String {
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

/// A table cell: the text, escaped.
pub fn cell(text: &str) -> String {
    escape(text)
}

/// `-` for an absent value.
pub fn or_dash<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_string(), |v| cell(&v.to_string()))
}

/// The width of the terminal stdout is, or `None` when stdout is not a terminal (pipes and files
/// get unwrapped lines, whatever their length).
pub fn terminal_width() -> Option<u16> {
    let term = console::Term::stdout();
    if !term.is_term() {
        return None;
    }
    term.size_checked().map(|(_rows, columns)| columns).filter(|c| *c > 0)
}

/// Columns three spaces apart, no borders; an empty list prints its header. On a terminal the
/// table fits its width by wrapping the widest cells, except id columns (an id is printed whole).
/// Every cell is escaped, whatever the caller did.
pub struct Table {
    table: comfy_table::Table,
}

/// Space between columns.
const GAP: u16 = 3;

impl Table {
    pub fn new(headers: &[&'static str]) -> Self {
        let mut table = comfy_table::Table::new();
        table.load_style(comfy_table::presets::NOTHING);
        table.set_header(headers.to_vec());
        for (column, header) in table.column_iter_mut().zip(headers) {
            column.set_padding((0, GAP));
            // Ids are what people copy into the next command: never wrapped.
            if header.ends_with("ID") {
                column.set_constraint(comfy_table::ColumnConstraint::ContentWidth);
            }
        }
        Self { table }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.table.add_row(cells.iter().map(|c| escape(c)).collect::<Vec<_>>());
    }

    /// The table wrapped to `width` columns (the terminal's, see [`terminal_width`]), or
    /// unwrapped.
    pub fn render_width(&mut self, width: Option<u16>) -> String {
        match width {
            Some(width) => {
                self.table
                    .set_width(width)
                    .set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
            }
            None => {
                self.table
                    .set_content_arrangement(comfy_table::ContentArrangement::Disabled);
            }
        }
        let mut text = String::new();
        for line in self.table.lines() {
            text.push_str(line.trim_end());
            text.push('\n');
        }
        text
    }
}

/// One object as `Label:  value` lines, values aligned (and wrapped on a terminal).
pub struct Fields {
    table: comfy_table::Table,
}

impl Fields {
    pub fn new() -> Self {
        let mut table = comfy_table::Table::new();
        table.load_style(comfy_table::presets::NOTHING);
        Self { table }
    }

    pub fn add(&mut self, label: &'static str, value: impl Into<String>) -> &mut Self {
        self.table.add_row(vec![format!("{label}:"), escape(&value.into())]);
        self
    }

    /// The lines wrapped to `width` columns, or unwrapped.
    pub fn render_width(&mut self, width: Option<u16>) -> String {
        for (index, column) in self.table.column_iter_mut().enumerate() {
            column.set_padding((0, if index == 0 { 2 } else { 0 }));
        }
        if let Some(column) = self.table.column_mut(0) {
            column.set_constraint(comfy_table::ColumnConstraint::ContentWidth);
        }
        match width {
            Some(width) => {
                self.table
                    .set_width(width)
                    .set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
            }
            None => {
                self.table
                    .set_content_arrangement(comfy_table::ContentArrangement::Disabled);
            }
        }
        let mut text = String::new();
        for line in self.table.lines() {
            text.push_str(line.trim_end());
            text.push('\n');
        }
        text
    }
}

/// A table printed as its rows arrive (`tasks list --all`), holding at most one batch: the
/// column widths come from the first batch (or the headers), so a later, wider cell pushes the
/// rest of its row right instead of the command holding every row in memory.
pub struct StreamTable<W: Write> {
    out: W,
    headers: Vec<&'static str>,
    batch: Vec<Vec<String>>,
    widths: Option<Vec<usize>>,
    batch_size: usize,
}

impl<W: Write> StreamTable<W> {
    pub fn new(out: W, headers: &[&'static str], batch_size: usize) -> Self {
        Self {
            out,
            headers: headers.to_vec(),
            batch: Vec::new(),
            widths: None,
            batch_size: batch_size.max(1),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) -> io::Result<()> {
        let cells: Vec<String> = cells.iter().map(|c| escape(c)).collect();
        match &self.widths {
            Some(widths) => {
                let line = aligned(widths, &cells);
                writeln!(self.out, "{line}")?;
                self.out.flush()
            }
            None => {
                self.batch.push(cells);
                if self.batch.len() >= self.batch_size {
                    self.flush_batch()?;
                }
                Ok(())
            }
        }
    }

    fn flush_batch(&mut self) -> io::Result<()> {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.batch {
            for (width, value) in widths.iter_mut().zip(row) {
                *width = (*width).max(value.chars().count());
            }
        }
        let header: Vec<String> = self.headers.iter().map(|h| h.to_string()).collect();
        writeln!(self.out, "{}", aligned(&widths, &header))?;
        for row in std::mem::take(&mut self.batch) {
            writeln!(self.out, "{}", aligned(&widths, &row))?;
        }
        self.widths = Some(widths);
        self.out.flush()
    }

    /// Prints what is still held (the header, at least).
    pub fn finish(mut self) -> io::Result<()> {
        if self.widths.is_none() {
            self.flush_batch()?;
        }
        self.out.flush()
    }
}

/// Cells padded to `widths`, [`GAP`] spaces apart, without trailing spaces.
fn aligned(widths: &[usize], cells: &[String]) -> String {
    let mut line = String::new();
    for (i, value) in cells.iter().take(widths.len()).enumerate() {
        if i > 0 {
            line.push_str(&" ".repeat(GAP as usize));
        }
        line.push_str(value);
        line.extend(std::iter::repeat_n(
            ' ',
            widths[i].saturating_sub(value.chars().count()),
        ));
    }
    line.trim_end().to_string()
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
            table.render_width(None),
            "ID                   NAME          STATUS\n\
             378888638324150969   a             RUNNING\n\
             7                    longer-name\n"
        );
        assert_eq!(Table::new(&["ID"]).render_width(None), "ID\n");
    }

    #[test]
    fn tables_fit_the_terminal_but_ids_stay_whole() {
        let mut table = Table::new(&["ID", "DESCRIPTION"]);
        let words = "a long description that cannot fit on one narrow line";
        table.row(vec!["378888638324150969".into(), words.into()]);
        let text = table.render_width(Some(40));
        assert!(text.lines().all(|line| line.chars().count() <= 40), "{text}");
        assert!(text.lines().count() > 2, "wrapped: {text}");
        assert!(text.contains("378888638324150969"), "{text}");
        let unwrapped = table.render_width(None);
        assert_eq!(unwrapped.lines().count(), 2, "{unwrapped}");
    }

    #[test]
    fn fields_align() {
        let mut fields = Fields::new();
        fields.add("ID", "1").add("Status", "RUNNING").add("Webhook", "");
        assert_eq!(fields.render_width(None), "ID:       1\nStatus:   RUNNING\nWebhook:\n");
        let mut long = Fields::new();
        long.add("Output", "word ".repeat(30));
        let text = long.render_width(Some(40));
        assert!(
            text.lines().count() > 1 && text.lines().all(|l| l.chars().count() <= 40),
            "{text}"
        );
    }

    #[test]
    fn cells_escape_control_characters() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a\nb\u{1b}[31m"), "a\\nb\\u{1b}[31m");
        assert_eq!(escape("over\rwrite\u{9b}2J\u{7f}"), "over\\rwrite\\u{9b}2J\\u{7f}");
    }

    #[test]
    fn json_output_escapes_del_and_c1_and_stays_the_same_json() {
        let value = serde_json::json!({"name": "a\u{9b}2J\u{1b}[0m\u{7f}é\u{a0}z", "list": [1, "\u{85}"]});
        let mut out = Vec::new();
        write_json(&mut out, &value).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            !text
                .chars()
                .any(|c| ('\u{7f}'..='\u{9f}').contains(&c) || c == '\u{1b}'),
            "{text}"
        );
        // serde_json escapes ESC itself; a no-break space is not a control and stays as it is.
        assert!(text.contains("\"a\\u009b2J\\u001b[0m\\u007fé\u{a0}z\""), "{text}");
        assert!(text.contains("\\u0085"), "{text}");
        assert!(text.contains("{\n  \""), "still pretty: {text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
        let mut line = Vec::new();
        write_json_line(&mut line, &value).unwrap();
        let line = String::from_utf8(line).unwrap();
        assert!(!line.contains('\n') && line.contains("\\u009b"), "{line}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&line).unwrap(), value);
        assert_eq!(or_dash(None::<&str>), "-");
        let mut table = Table::new(&["NAME"]);
        table.row(vec!["evil\u{1b}[2J".into()]);
        assert_eq!(table.render_width(None), "NAME\nevil\\u{1b}[2J\n");
    }

    #[test]
    fn stream_tables_print_as_rows_come() {
        let mut buffer = Vec::new();
        let mut table = StreamTable::new(&mut buffer, &["ID", "STATUS"], 2);
        table.row(vec!["1".into(), "RUNNING".into()]).unwrap();
        table.row(vec!["22".into(), "A\nB".into()]).unwrap();
        table.row(vec!["333333".into(), "OK".into()]).unwrap();
        table.finish().unwrap();
        assert_eq!(
            String::from_utf8(buffer).unwrap(),
            "ID   STATUS\n1    RUNNING\n22   A\\nB\n333333   OK\n"
        );
        let mut empty = Vec::new();
        StreamTable::new(&mut empty, &["ID"], 10).finish().unwrap();
        assert_eq!(empty, b"ID\n");
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
