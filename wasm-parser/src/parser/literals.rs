//! Literal values: decoding string escapes (LEX3), template text (LEX7) and
//! number text (LEX4).

use super::Parser;
use crate::intern::Sym;
use crate::lexer::{Tok, Token};

impl<'a> Parser<'a> {
    /// Interns the value of a string token (quotes removed, escapes decoded,
    /// line breaks as `\n`, as JavaScript does for template strings).
    pub(super) fn string_value(&mut self, token: Token) -> Sym {
        let raw = self.text(token);
        let quotes = if raw.len() >= 6 && (raw.starts_with(b"\"\"\"") || raw.starts_with(b"'''")) {
            3
        } else {
            1
        };
        let inner = raw
            .get(quotes..raw.len().saturating_sub(quotes))
            .unwrap_or(&[]);
        self.intern_text(inner)
    }

    /// Interns the text of a template token (delimiters removed, escapes
    /// decoded).
    pub(super) fn template_text(&mut self, token: Token) -> Sym {
        let raw = self.text(token);
        // Every template token starts with one delimiter: a backquote or `}`.
        let start = 1;
        let end = match token.kind {
            Tok::TemplateHead | Tok::TemplateMiddle => 2,
            _ => 1,
        };
        let inner = raw.get(start..raw.len().saturating_sub(end)).unwrap_or(&[]);
        self.intern_text(inner)
    }

    fn intern_text(&mut self, inner: &[u8]) -> Sym {
        if !inner.iter().any(|&b| b == b'\\' || b == b'\r') {
            return match std::str::from_utf8(inner) {
                Ok(text) => self.strings.intern(text),
                Err(_) => self.strings.intern(&crate::intern::lossy(inner)),
            };
        }
        let decoded = decode_escapes(inner);
        self.strings.intern(&decoded)
    }

    /// The value and unit of a number with a unit (`20m`, `50%`).
    pub(super) fn quantity_value(&mut self, token: Token) -> Option<(f64, Sym)> {
        let text = self.text(token);
        let digits = crate::number::numeric_prefix(text);
        let value = self.number_text_value(text.get(..digits).unwrap_or(&[]), token)?;
        let unit = self.strings.intern_ascii(text.get(digits..).unwrap_or(&[]));
        Some((value, unit))
    }

    /// The value of a number token; reports LEX4 for numbers too large for a double.
    pub(super) fn number_value(&mut self, token: Token) -> Option<f64> {
        let text = self.text(token);
        self.number_text_value(text, token)
    }

    fn number_text_value(&mut self, text: &[u8], token: Token) -> Option<f64> {
        match crate::number::parse_number(text) {
            Some(value) if value.is_finite() => Some(value),
            _ => {
                self.diags.error(
                    "LEX4",
                    token.span(),
                    String::from("number is too large to represent"),
                    &["a number"],
                );
                None
            }
        }
    }
}

/// Decodes `\n \r \t \0 \\ \" \' \uXXXX \u{X...}`; any other escaped
/// character stands for itself (as in JavaScript). Escapes that name no
/// Unicode scalar value (lone surrogates, out of range) become U+FFFD, and
/// so do invalid UTF-8 bytes. Line breaks `\r\n` and `\r` become `\n`.
/// Works on bytes: escapes are ASCII, so UTF-8 sequences pass through.
#[inline(never)]
pub fn decode_escapes(inner: &[u8]) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(inner.len());
    let mut i = 0;
    while let Some(&b) = inner.get(i) {
        i += 1;
        if b == b'\r' {
            if inner.get(i) == Some(&b'\n') {
                i += 1;
            }
            out.push(b'\n');
            continue;
        }
        if b != b'\\' {
            out.push(b);
            continue;
        }
        let escaped = match inner.get(i) {
            Some(&escaped) => escaped,
            None => break,
        };
        i += 1;
        match escaped {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'0' => out.push(0),
            b'u' => match unicode_escape(inner.get(i..).unwrap_or(&[])) {
                Some((code, used)) => {
                    let c = char::from_u32(code).unwrap_or('\u{FFFD}');
                    let mut buffer = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
                    i += used;
                }
                None => out.push(b'u'),
            },
            other => out.push(other),
        }
    }
    match String::from_utf8(out) {
        Ok(text) => text,
        Err(error) => crate::intern::lossy(error.as_bytes()),
    }
}

/// After `\u`: `XXXX` or `{X...}` (1 to 6 hex digits); the code and the
/// bytes it took.
fn unicode_escape(rest: &[u8]) -> Option<(u32, usize)> {
    let (digits, used) = if rest.first() == Some(&b'{') {
        let after = rest.get(1..).unwrap_or(&[]);
        let count = after
            .iter()
            .take(6)
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        if count == 0 || after.get(count) != Some(&b'}') {
            return None;
        }
        (after.get(..count)?, count + 2)
    } else {
        let digits = rest.get(..4)?;
        if !digits.iter().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        (digits, 4)
    };
    let mut code = 0u32;
    for &b in digits {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => b.wrapping_sub(b'A').wrapping_add(10),
        };
        code = code * 16 + u32::from(digit);
    }
    Some((code, used))
}

#[cfg(test)]
mod tests {
    use super::decode_escapes;

    #[test]
    fn decodes_escapes() {
        assert_eq!(decode_escapes(br#"a\"b\'c\\d\ne\tf"#), "a\"b'c\\d\ne\tf");
        assert_eq!(decode_escapes(br"\u00e9\u{1F600}\q"), "é😀q");
        assert_eq!(
            decode_escapes(br"\uD800 \u{110000} \uZZ"),
            "\u{FFFD} \u{FFFD} uZZ"
        );
    }
}
