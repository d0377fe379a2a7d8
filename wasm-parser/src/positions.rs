//! Byte offsets to what editors use: UTF-16 code-unit offsets (JavaScript
//! string indices, CodeMirror positions) and 1-based line/column pairs whose
//! column counts UTF-16 units. Lines end at `\n`, `\r\n` or a lone `\r`.

use crate::diagnostics::Diagnostic;

pub struct Positions {
    /// UTF-16 offset of every byte offset `0..=len`, or empty when the input is
    /// ASCII (then both offsets are equal and no table is needed).
    utf16: Vec<u32>,
}

impl Positions {
    pub fn new(src: &[u8]) -> Positions {
        let utf16 = if src.is_ascii() {
            Vec::new()
        } else {
            let mut table = Vec::with_capacity(src.len() + 1);
            let mut units = 0u32;
            for &byte in src {
                table.push(units);
                units += utf16_units_of_byte(byte);
            }
            table.push(units);
            table
        };
        Positions { utf16 }
    }

    /// UTF-16 offset of byte offset `byte` (clamped to the input).
    pub fn utf16(&self, byte: u32) -> u32 {
        if self.utf16.is_empty() {
            return byte;
        }
        let last = self.utf16.len().saturating_sub(1);
        self.utf16
            .get((byte as usize).min(last))
            .copied()
            .unwrap_or(0)
    }

    /// The byte offset of a character boundary given as a UTF-16 offset (the
    /// inverse of [`Positions::utf16`]; for tools that read results back).
    pub fn byte(&self, utf16: u32) -> u32 {
        if self.utf16.is_empty() {
            return utf16;
        }
        // The table is sorted; bytes inside a character repeat the value of
        // the boundary after its lead byte, so the boundary is the last match.
        let after = self.utf16.partition_point(|&units| units <= utf16);
        after.saturating_sub(1) as u32
    }
}

/// Fills in the 1-based line and UTF-16 column of both ends of every
/// diagnostic, in one pass over the input (a good script has no diagnostics,
/// so no line table is built for it).
pub fn locate(list: &mut [Diagnostic], src: &[u8], positions: &Positions) {
    let mut targets: Vec<(u32, usize, bool)> = Vec::with_capacity(list.len() * 2);
    for (index, d) in list.iter().enumerate() {
        targets.push((d.span.start, index, false));
        targets.push((d.span.end, index, true));
    }
    // Insertion sort: at most a few hundred targets, mostly in order already,
    // and it keeps a general sort out of the module.
    for i in 1..targets.len() {
        let mut j = i;
        while j > 0 && targets[j - 1] > targets[j] {
            targets.swap(j - 1, j);
            j -= 1;
        }
    }
    let mut line = 1u32;
    let mut line_start = 0u32;
    let mut i = 0usize;
    for (offset, index, is_end) in targets {
        while i < src.len() && (i as u32) < offset {
            match src.get(i) {
                Some(b'\n') => {
                    line += 1;
                    line_start = i as u32 + 1;
                }
                Some(b'\r') if src.get(i + 1) != Some(&b'\n') => {
                    line += 1;
                    line_start = i as u32 + 1;
                }
                _ => {}
            }
            i += 1;
        }
        let column = positions
            .utf16(offset)
            .saturating_sub(positions.utf16(line_start))
            + 1;
        if let Some(d) = list.get_mut(index) {
            if is_end {
                d.at.end_line = line;
                d.at.end_column = column;
            } else {
                d.at.line = line;
                d.at.column = column;
            }
        }
    }
}

/// UTF-16 units contributed by one byte of UTF-8: a lead byte of a 4-byte
/// sequence is a surrogate pair, continuation bytes add nothing. Invalid
/// bytes count as one unit, like the U+FFFD a decoder would put in their place.
fn utf16_units_of_byte(byte: u8) -> u32 {
    match byte {
        0x80..=0xBF => 0,
        0xF0..=0xF7 => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Span;

    fn at(src: &[u8], start: u32, end: u32) -> (u32, u32, u32, u32) {
        let mut list = vec![Diagnostic {
            severity: crate::diagnostics::Severity::Error,
            code: "T",
            message: String::new(),
            expected: Vec::new(),
            span: Span::new(start, end),
            at: Default::default(),
        }];
        locate(&mut list, src, &Positions::new(src));
        let a = list[0].at;
        (a.line, a.column, a.end_line, a.end_column)
    }

    #[test]
    fn ascii_offsets_are_identity() {
        let p = Positions::new(b"ab\ncd");
        assert_eq!(p.utf16(4), 4);
        assert_eq!(at(b"ab\ncd", 0, 4), (1, 1, 2, 2));
        assert_eq!(at(b"ab\ncd", 3, 3), (2, 1, 2, 1));
    }

    #[test]
    fn columns_count_utf16_units() {
        // "é" is 2 bytes / 1 unit; "😀" is 4 bytes / 2 units.
        let src = "é😀x\r\ny\rz".as_bytes();
        let p = Positions::new(src);
        assert_eq!(p.utf16(2), 1);
        assert_eq!(p.utf16(6), 3);
        assert_eq!(at(src, 6, 9), (1, 4, 2, 1));
        assert_eq!(at(src, 11, 11), (3, 1, 3, 1));
        assert_eq!(p.utf16(100), p.utf16(src.len() as u32));
        for boundary in [0u32, 2, 6, 7, 9, 10, 11, 12] {
            assert_eq!(p.byte(p.utf16(boundary)), boundary);
        }
    }
}
