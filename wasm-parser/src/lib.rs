//! Holoroom scene-script parser.
//!
//! A hand-written lexer and recursive-descent parser for the `.holo` scene
//! language (docs/scene-language.md). [`parse`] never fails: it returns a
//! tree plus every diagnostic, and recovers at member and statement
//! boundaries so one typo does not hide the rest of a file. Work is bounded
//! on any input (size limit, nesting guard, step budget; see [`limits`]) and
//! no input can reach a panic, because in WebAssembly a panic aborts the
//! whole instance.
//!
//! The crate is compiled to `wasm32-unknown-unknown` and loaded by the
//! TypeScript bridge in `app/scene/`. There is no wasm-bindgen: the module
//! exports a small C ABI (see [`abi`]) and results cross as bytes, in a
//! compact binary format or JSON (see [`output`] and docs/parser.md).
//! Everything here is `std`-only and builds with Rust 1.63 (Debian's
//! toolchain, which ships the wasm32 standard library).

pub mod abi;
pub mod ast;
pub mod diagnostics;
pub mod heap;
pub mod intern;
pub mod lexer;
pub mod limits;
pub mod number;
pub mod output;
pub mod parser;
pub mod positions;
pub mod schema;

use diagnostics::{Diagnostic, Diagnostics, Span};
use intern::Interner;
use output::binary;
use positions::Positions;

/// A finished parse: the binary result (docs/parser.md) and, for tools and
/// tests on the host, the diagnostics and string table it was made from.
pub struct Parsed {
    /// The result's words: header, tree, diagnostics, string table.
    pub result: Vec<u32>,
    /// The result's length in bytes (the last word may be padding).
    pub len: usize,
    pub strings: Interner,
    pub diagnostics: Vec<Diagnostic>,
    pub positions: Positions,
}

impl Parsed {
    /// The result as bytes, as the host reads it.
    pub fn bytes(&self) -> Vec<u8> {
        binary::bytes(&self.result, self.len)
    }

    /// The tree read back from the result (for tools and tests).
    pub fn document(&self) -> ast::Document {
        output::read::document(&self.result, self.len, &self.positions)
            .unwrap_or_else(|error| panic!("unreadable parse result: {}", error))
    }
}

/// Parses a scene script. Never fails and never panics; see the crate docs.
pub fn parse(src: &[u8]) -> Parsed {
    parse_into(src, None, Vec::new())
}

/// [`parse`] with an explicit step budget (LIM3) instead of the one derived
/// from the input's size; tests use it to show the budget stops a parse.
pub fn parse_with_step_budget(src: &[u8], budget: Option<u64>) -> Parsed {
    parse_into(src, budget, Vec::new())
}

/// [`parse`] writing the result into `buffer` (its capacity is reused).
pub fn parse_into(src: &[u8], budget: Option<u64>, buffer: Vec<u32>) -> Parsed {
    let mut words = binary::start(buffer, src.len());
    let mut diags = Diagnostics::default();
    if src.len() > limits::MAX_INPUT_BYTES {
        // No exact size: the host may cut a huge text just past the limit.
        let mut message = String::from("the script is larger than ");
        diagnostics::push_number(&mut message, limits::MAX_INPUT_BYTES as u64);
        message.push_str(" bytes (UTF-8), the limit for one script; split it up");
        diags.error("LIM1", Span::new(0, 0), message, &[]);
        // An empty document: kind, from, to, no members.
        words.extend_from_slice(&[schema::NodeKind::Document.code(), 0, 0, 0]);
        let positions = Positions::new(&[]);
        let diagnostics = located(diags.finish(0), &[], &positions);
        let mut strings = Interner::default();
        let len = binary::finish(&mut words, &mut strings, &diagnostics, &positions);
        return Parsed {
            result: words,
            len,
            strings,
            diagnostics,
            positions,
        };
    }
    if let Err(error) = std::str::from_utf8(src) {
        let start = error.valid_up_to() as u32;
        let len = error.error_len().unwrap_or(1) as u32;
        diags.error(
            "LEX1",
            Span::new(start, start + len),
            String::from("the script is not valid UTF-8 here; save it as UTF-8"),
            &[],
        );
    }
    let positions = Positions::new(src);
    let tokens = lexer::tokenize(src, &mut diags);
    let (mut words, mut strings, diags) = {
        let mut parser = parser::Parser::new(src, tokens, diags, budget, words, &positions);
        let words = parser.parse_document();
        (
            words,
            std::mem::take(&mut parser.strings),
            std::mem::take(&mut parser.diags),
        )
    };
    let diagnostics = located(diags.finish(src.len() as u32), src, &positions);
    let len = binary::finish(&mut words, &mut strings, &diagnostics, &positions);
    Parsed {
        result: words,
        len,
        strings,
        diagnostics,
        positions,
    }
}

fn located(mut list: Vec<Diagnostic>, src: &[u8], positions: &Positions) -> Vec<Diagnostic> {
    positions::locate(&mut list, src, positions);
    list
}

/// Packed crate version: `major << 16 | minor << 8 | patch`.
pub fn version() -> u32 {
    let major: u32 = env!("CARGO_PKG_VERSION_MAJOR").parse().unwrap_or(0);
    let minor: u32 = env!("CARGO_PKG_VERSION_MINOR").parse().unwrap_or(0);
    let patch: u32 = env!("CARGO_PKG_VERSION_PATCH").parse().unwrap_or(0);
    (major << 16) | (minor << 8) | patch
}

/// Number of lines in `text`, counting a final line without a newline.
/// `\r\n`, `\n` and a lone `\r` each end a line, as editors count them.
pub fn line_count(text: &[u8]) -> u32 {
    if text.is_empty() {
        return 0;
    }
    let mut lines: u32 = 1;
    let mut i = 0;
    while i < text.len() {
        match text.get(i) {
            Some(b'\n') => lines += 1,
            Some(b'\r') => {
                if text.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                lines += 1;
            }
            _ => {}
        }
        i += 1;
    }
    // A trailing newline ends the last line; it does not start a new one.
    if matches!(text.last(), Some(b'\n') | Some(b'\r')) {
        lines -= 1;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_like_an_editor() {
        assert_eq!(line_count(b""), 0);
        assert_eq!(line_count(b"a"), 1);
        assert_eq!(line_count(b"a\n"), 1);
        assert_eq!(line_count(b"a\nb"), 2);
        assert_eq!(line_count(b"a\r\nb\r\n"), 2);
        assert_eq!(line_count(b"a\rb"), 2);
        assert_eq!(line_count(b"\n\n"), 2);
    }

    #[test]
    fn version_matches_manifest() {
        let packed = version();
        let text = format!(
            "{}.{}.{}",
            packed >> 16,
            (packed >> 8) & 0xff,
            packed & 0xff
        );
        assert_eq!(text, env!("CARGO_PKG_VERSION"));
    }

    #[test]
    fn step_budget_stops_the_parse_with_a_diagnostic() {
        let src = "object \"A\" { x: 1 }\n".repeat(50);
        let parsed = parse_with_step_budget(src.as_bytes(), Some(40));
        let last = parsed.diagnostics.last().unwrap();
        assert_eq!(last.code, "LIM3");
        assert!(parsed.document().body.children.len() < 50);
        assert!(parse(src.as_bytes()).diagnostics.is_empty());
    }

    #[test]
    fn oversized_input_is_one_error() {
        let big = vec![b' '; limits::MAX_INPUT_BYTES + 1];
        let parsed = parse(&big);
        assert_eq!(parsed.diagnostics.len(), 1);
        assert_eq!(parsed.diagnostics[0].code, "LIM1");
    }
}
