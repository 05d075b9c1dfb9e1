//! Reading a worker log: time range, keyword, page size and search-after tokens in both
//! directions, as the logs routes document them.

use super::logs::{RenderCtx, WorkerLog};

/// Lines a keyword search may examine per request before it returns a partial page (hasMore=true).
pub const SCAN_BUDGET: u64 = 250_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub offset: u64,
    pub ts: u64,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct LogQuery {
    pub page_size: usize,
    pub keyword: Option<String>,
    pub start: Option<u64>,
    pub end: Option<u64>,
    pub after_time: Option<u64>,
    pub after_offset: Option<i64>,
    pub backward: bool,
}

#[derive(Debug, Clone, Default)]
pub struct LogPage {
    pub lines: Vec<LogLine>,
    pub has_more: bool,
    /// `(timestamp, offset)` to continue from: the last line returned, or the last line examined
    /// when a keyword search ran out of budget.
    pub resume: Option<(u64, u64)>,
}

impl WorkerLog {
    /// The first offset whose timestamp is `>= t` (or `> t` when `strict`).
    fn seek(&self, t: u64, strict: bool) -> u64 {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let ts = self.ts_at(mid);
            if ts < t || (strict && ts == t) {
                lo = mid + 1
            } else {
                hi = mid
            }
        }
        lo
    }

    pub fn query(&self, q: &LogQuery, ctx: &RenderCtx<'_>) -> LogPage {
        let lo = q.start.map_or(0, |t| self.seek(t, false));
        let hi = q.end.map_or(self.len(), |t| self.seek(t, true)).max(lo);
        let clamp_offset = |o: i64| u64::try_from(o).unwrap_or(0);
        let (from, to) = if q.backward {
            let cursor = match (q.after_offset, q.after_time) {
                (Some(o), _) => clamp_offset(o).min(self.len()),
                (None, Some(t)) => self.seek(t, false),
                _ => self.len(),
            };
            (lo, hi.min(cursor).max(lo))
        } else {
            let cursor = match (q.after_offset, q.after_time) {
                (Some(o), _) if o < 0 => 0,
                (Some(o), _) => clamp_offset(o).saturating_add(1),
                (None, Some(t)) => self.seek(t, true),
                _ => 0,
            };
            (lo.max(cursor).min(hi), hi)
        };
        let needle = q.keyword.as_deref().map(str::to_lowercase).filter(|k| !k.is_empty());
        match needle {
            None => self.page_plain(from, to, q, ctx),
            Some(needle) => self.page_search(from, to, q, &needle, ctx),
        }
    }

    fn page_plain(&self, from: u64, to: u64, q: &LogQuery, ctx: &RenderCtx<'_>) -> LogPage {
        let take = (to - from).min(q.page_size as u64);
        let offsets: Box<dyn Iterator<Item = u64>> = if q.backward {
            Box::new((to - take..to).rev())
        } else {
            Box::new(from..from + take)
        };
        let lines: Vec<LogLine> = offsets.map(|o| self.line(o, ctx)).collect();
        LogPage {
            has_more: to - from > take,
            resume: lines.last().map(|l| (l.ts, l.offset)),
            lines,
        }
    }

    fn page_search(&self, from: u64, to: u64, q: &LogQuery, needle: &str, ctx: &RenderCtx<'_>) -> LogPage {
        let mut page = LogPage::default();
        let mut buf = String::new();
        let mut scanned = 0;
        let mut offsets: Box<dyn Iterator<Item = u64>> = if q.backward {
            Box::new((from..to).rev())
        } else {
            Box::new(from..to)
        };
        for offset in offsets.by_ref() {
            scanned += 1;
            self.render(offset, ctx, &mut buf);
            if contains_ignore_case(&buf, needle) {
                if page.lines.len() == q.page_size {
                    page.has_more = true;
                    return page;
                }
                let ts = self.ts_at(offset);
                page.lines.push(LogLine {
                    offset,
                    ts,
                    text: buf.clone(),
                });
                page.resume = Some((ts, offset));
            }
            if scanned >= SCAN_BUDGET {
                // Out of budget: hand back a token at the last line examined so the client resumes there.
                page.has_more = offsets.next().is_some();
                if page.has_more {
                    page.resume = Some((self.ts_at(offset), offset));
                }
                return page;
            }
        }
        page
    }

    fn line(&self, offset: u64, ctx: &RenderCtx<'_>) -> LogLine {
        let mut text = String::new();
        self.render(offset, ctx, &mut text);
        LogLine {
            offset,
            ts: self.ts_at(offset),
            text,
        }
    }
}

fn contains_ignore_case(haystack: &str, lowercase_needle: &str) -> bool {
    if haystack.is_ascii() && lowercase_needle.is_ascii() {
        let (h, n) = (haystack.as_bytes(), lowercase_needle.as_bytes());
        return n.len() <= h.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    haystack.to_lowercase().contains(lowercase_needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::logs::tests::{ctx, sample};

    #[test]
    fn pages_forward_and_backward_without_gaps() {
        let (log, tasks) = sample();
        let mut q = LogQuery {
            page_size: 5,
            ..LogQuery::default()
        };
        let mut seen = Vec::new();
        loop {
            let page = log.query(&q, &ctx(&tasks));
            seen.extend(page.lines.iter().map(|l| l.offset));
            if !page.has_more {
                break;
            }
            q.after_offset = page.resume.map(|r| r.1 as i64);
        }
        assert_eq!(seen, (0..16).collect::<Vec<_>>());
        let mut q = LogQuery {
            page_size: 7,
            backward: true,
            ..LogQuery::default()
        };
        let mut seen = Vec::new();
        loop {
            let page = log.query(&q, &ctx(&tasks));
            seen.extend(page.lines.iter().map(|l| l.offset));
            if !page.has_more {
                break;
            }
            q.after_offset = page.resume.map(|r| r.1 as i64);
        }
        assert_eq!(seen, (0..16).rev().collect::<Vec<_>>());
    }

    #[test]
    fn time_range_keyword_and_odd_tokens() {
        let (log, tasks) = sample();
        let q = LogQuery {
            page_size: 100,
            start: Some(1_010_000),
            end: Some(1_012_000),
            ..LogQuery::default()
        };
        let offsets: Vec<u64> = log.query(&q, &ctx(&tasks)).lines.iter().map(|l| l.offset).collect();
        assert_eq!(offsets, [10, 11, 12]);
        let q = LogQuery {
            page_size: 100,
            keyword: Some("READY".into()),
            ..LogQuery::default()
        };
        assert_eq!(log.query(&q, &ctx(&tasks)).lines.len(), 1);
        for after in [i64::MIN, -1, 15, i64::MAX] {
            for backward in [false, true] {
                let q = LogQuery {
                    page_size: 3,
                    after_offset: Some(after),
                    backward,
                    ..LogQuery::default()
                };
                assert!(log.query(&q, &ctx(&tasks)).lines.len() <= 3);
            }
        }
        let q = LogQuery {
            page_size: 100,
            after_time: Some(1_014_000),
            ..LogQuery::default()
        };
        assert_eq!(log.query(&q, &ctx(&tasks)).lines.first().map(|l| l.offset), Some(15));
    }
}
