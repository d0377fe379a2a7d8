//! Byte offsets to what editors use: UTF-16 code-unit offsets (JavaScript
//! string indices, CodeMirror positions) and 1-based line/column pairs whose
//! column counts UTF-16 units. Lines end at `\n`, `\r\n` or a lone `\r`.

pub struct Positions {
    /// Byte offset where each line starts; the first is 0.
    line_starts: Vec<u32>,
    /// UTF-16 offset of every byte offset `0..=len`, or empty when the input is
    /// ASCII (then both offsets are equal and no table is needed).
    utf16: Vec<u32>,
}

impl Positions {
    pub fn new(src: &[u8]) -> Positions {
        let mut line_starts = vec![0u32];
        let mut i = 0;
        while i < src.len() {
            match src.get(i) {
                Some(b'\n') => line_starts.push(i as u32 + 1),
                Some(b'\r') => {
                    if src.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    line_starts.push(i as u32 + 1);
                }
                _ => {}
            }
            i += 1;
        }
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
        Positions { line_starts, utf16 }
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

    /// 1-based line and 1-based UTF-16 column of byte offset `byte`.
    pub fn line_column(&self, byte: u32) -> (u32, u32) {
        // Index of the last line start <= byte.
        let line = match self.line_starts.binary_search(&byte) {
            Ok(index) => index,
            Err(index) => index.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let column = self.utf16(byte).saturating_sub(self.utf16(start)) + 1;
        (line as u32 + 1, column)
    }

    /// 1-based line of byte offset `byte`.
    pub fn line(&self, byte: u32) -> u32 {
        self.line_column(byte).0
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

    #[test]
    fn ascii_offsets_are_identity() {
        let p = Positions::new(b"ab\ncd");
        assert_eq!(p.utf16(4), 4);
        assert_eq!(p.line_column(0), (1, 1));
        assert_eq!(p.line_column(3), (2, 1));
        assert_eq!(p.line_column(4), (2, 2));
    }

    #[test]
    fn columns_count_utf16_units() {
        // "é" is 2 bytes / 1 unit; "😀" is 4 bytes / 2 units.
        let src = "é😀x\r\ny\rz".as_bytes();
        let p = Positions::new(src);
        assert_eq!(p.utf16(2), 1);
        assert_eq!(p.utf16(6), 3);
        assert_eq!(p.line_column(6), (1, 4));
        assert_eq!(p.line_column(9), (2, 1));
        assert_eq!(p.line_column(11), (3, 1));
        assert_eq!(p.utf16(100), p.utf16(src.len() as u32));
    }
}
