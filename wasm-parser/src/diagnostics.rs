//! Diagnostics: what went wrong (or looks suspicious), where, and what was
//! expected there. Every diagnostic carries the id of the rule it reports
//! (e.g. `SYN2`), documented in docs/scene-language.md.

use crate::limits::MAX_DIAGNOSTICS;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning = 1,
    Error = 2,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A byte range `start..end` in the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: u32, end: u32) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// Where a diagnostic is, as editors count: 1-based lines, UTF-16 columns.
/// Filled in once parsing is done (`positions::locate`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Location {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Rule id, e.g. `SYN2`.
    pub code: &'static str,
    pub message: String,
    /// What would have been valid at `span`, e.g. `["`}`", "a property"]`.
    pub expected: Vec<&'static str>,
    pub span: Span,
    pub at: Location,
}

/// The diagnostics of one parse, capped at [`MAX_DIAGNOSTICS`] (rule LIM4).
#[derive(Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
    dropped: u32,
    dropped_severity: Option<Severity>,
    frozen: bool,
}

impl Diagnostics {
    /// Ignores every later diagnostic: after LIM3 the parser sees a synthetic
    /// end of input, and what it would report there is not about the script.
    pub fn freeze(&mut self) {
        self.frozen = true;
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        if self.frozen {
            return;
        }
        if self.list.len() < MAX_DIAGNOSTICS {
            self.list.push(diagnostic);
        } else {
            self.dropped = self.dropped.saturating_add(1);
            self.dropped_severity = self.dropped_severity.max(Some(diagnostic.severity));
        }
    }

    #[inline(never)]
    pub fn error(
        &mut self,
        code: &'static str,
        span: Span,
        message: String,
        expected: &[&'static str],
    ) {
        self.push(Diagnostic {
            severity: Severity::Error,
            code,
            message,
            expected: expected.to_vec(),
            span,
            at: Location::default(),
        });
    }

    #[inline(never)]
    pub fn warning(&mut self, code: &'static str, span: Span, message: String) {
        self.push(Diagnostic {
            severity: Severity::Warning,
            code,
            message,
            expected: Vec::new(),
            span,
            at: Location::default(),
        });
    }

    pub fn has_errors(&self) -> bool {
        self.dropped_severity == Some(Severity::Error)
            || self.list.iter().any(|d| d.severity == Severity::Error)
    }

    /// The kept diagnostics in input order, plus the LIM4 note when some were
    /// dropped; the note is an error only if an error was among those dropped.
    pub fn finish(mut self, end_of_input: u32) -> Vec<Diagnostic> {
        // Stable insertion sort (the list is short and nearly sorted; this
        // keeps a general sort out of the module): diagnostics at one position
        // keep the order they were found in.
        for i in 1..self.list.len() {
            let mut j = i;
            while j > 0 && self.list[j - 1].span.start > self.list[j].span.start {
                self.list.swap(j - 1, j);
                j -= 1;
            }
        }
        if let Some(severity) = self.dropped_severity {
            let mut message = String::from("too many diagnostics: ");
            push_number(&mut message, self.dropped as u64);
            message.push_str(" more were not reported; fix the ones above first");
            self.list.push(Diagnostic {
                severity,
                code: "LIM4",
                message,
                expected: Vec::new(),
                span: Span::new(end_of_input, end_of_input),
                at: Location::default(),
            });
        }
        self.list
    }
}

/// Appends a decimal number (avoids `format!` in the wasm build, which pulls in
/// the whole formatting machinery for one integer).
pub fn push_number(out: &mut String, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut count = 0;
    loop {
        if let Some(slot) = digits.get_mut(count) {
            *slot = b'0' + (value % 10) as u8;
        }
        count += 1;
        value /= 10;
        if value == 0 || count >= digits.len() {
            break;
        }
    }
    for digit in digits.iter().take(count).rev() {
        out.push(*digit as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_number_writes_decimal() {
        let mut s = String::new();
        push_number(&mut s, 0);
        s.push(' ');
        push_number(&mut s, 1234567890123);
        s.push(' ');
        push_number(&mut s, u64::MAX);
        assert_eq!(s, "0 1234567890123 18446744073709551615");
    }

    #[test]
    fn cap_keeps_the_first_and_reports_the_rest() {
        let mut d = Diagnostics::default();
        for i in 0..(MAX_DIAGNOSTICS as u32 + 5) {
            d.warning("LANG1", Span::new(i, i + 1), String::from("w"));
        }
        let list = d.finish(1000);
        assert_eq!(list.len(), MAX_DIAGNOSTICS + 1);
        let last = list.last().unwrap();
        assert_eq!(last.code, "LIM4");
        assert_eq!(last.severity, Severity::Warning);
        assert!(last.message.contains("5 more"));
    }
}
