//! The binary result format (format version in `schema::FORMAT_VERSION`),
//! read by app/scene/result-binary.ts and documented byte by byte in
//! docs/parser.md. All integers are little-endian u32 words.
//!
//! ```text
//! header   5 words: magic "HOLB", format version, W, S, B
//! words    W words: the tree (written by the parser while it parses),
//!          then the diagnostics
//! ends     S words: UTF-16 end offset of each string
//! strings  B bytes: UTF-8, all strings concatenated (decoded in one call)
//! ```
//!
//! The result is built in one `Vec<u32>`: the parser writes the tree after
//! the header ([`start`]), and [`finish`] appends the rest and fills in the
//! header, so the words are never copied. The string bytes are packed four
//! to a word; the result's length in bytes leaves out the padding.

use crate::diagnostics::Diagnostic;
use crate::intern::{Interner, NO_SYM};
use crate::positions::Positions;
use crate::schema::FORMAT_VERSION;

/// "HOLB" read as a little-endian u32.
pub const MAGIC: u32 = u32::from_le_bytes(*b"HOLB");
/// An absent optional value.
pub const NONE: u32 = NO_SYM;
/// Words before the tree.
pub const HEADER_WORDS: usize = 5;

/// Clears `buffer` (keeping its capacity) and reserves the header.
pub fn start(mut buffer: Vec<u32>, input_len: usize) -> Vec<u32> {
    buffer.clear();
    // Results run at about one word per source byte: size once, not by regrowing.
    buffer.reserve(1024 + input_len);
    buffer.extend_from_slice(&[0; HEADER_WORDS]);
    buffer
}

/// Appends the diagnostics and the string table to the tree in `words` and
/// fills in the header. Returns the result's length in bytes.
pub fn finish(
    words: &mut Vec<u32>,
    strings: &mut Interner,
    diagnostics: &[Diagnostic],
    positions: &Positions,
) -> usize {
    write_diagnostics(words, strings, diagnostics, positions);
    let tree_and_diagnostics = words.len().saturating_sub(HEADER_WORDS);
    let ends = strings.utf16_ends();
    words.extend_from_slice(ends);
    let text = strings.text();
    let mut chunks = text.chunks_exact(4);
    for chunk in &mut chunks {
        let mut bytes = [0u8; 4];
        bytes.copy_from_slice(chunk);
        words.push(u32::from_le_bytes(bytes));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut bytes = [0u8; 4];
        if let Some(head) = bytes.get_mut(..rest.len()) {
            head.copy_from_slice(rest);
        }
        words.push(u32::from_le_bytes(bytes));
    }
    let header = [
        MAGIC,
        FORMAT_VERSION,
        tree_and_diagnostics as u32,
        ends.len() as u32,
        text.len() as u32,
    ];
    if let Some(slot) = words.get_mut(..HEADER_WORDS) {
        slot.copy_from_slice(&header);
    }
    (HEADER_WORDS + tree_and_diagnostics + ends.len()) * 4 + text.len()
}

/// `count`, then per diagnostic: severity (1 warning, 2 error), code,
/// message, expected count, expected…, from, to, line, column, endLine,
/// endColumn, byteStart, byteEnd.
fn write_diagnostics(
    words: &mut Vec<u32>,
    strings: &mut Interner,
    list: &[Diagnostic],
    positions: &Positions,
) {
    words.push(list.len() as u32);
    for d in list {
        words.push(d.severity as u32);
        words.push(strings.intern(d.code));
        words.push(strings.intern(&d.message));
        words.push(d.expected.len() as u32);
        for item in &d.expected {
            words.push(strings.intern(item));
        }
        words.extend_from_slice(&[
            positions.utf16(d.span.start),
            positions.utf16(d.span.end),
            d.at.line,
            d.at.column,
            d.at.end_line,
            d.at.end_column,
            d.span.start,
            d.span.end,
        ]);
    }
}

/// The result as bytes (for hosts that read it as memory, and tests).
pub fn bytes(words: &[u32], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(words.len() * 4);
    for word in words {
        out.extend_from_slice(&word.to_le_bytes());
    }
    out.truncate(len);
    out
}
