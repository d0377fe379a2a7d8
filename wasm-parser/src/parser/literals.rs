//! Literal values: decoding string escapes (LEX3) and number text (LEX4).

use super::Parser;
use crate::intern::Sym;
use crate::lexer::Token;

impl<'a> Parser<'a> {
    /// Interns the value of a string token (quotes removed, escapes decoded).
    pub(super) fn string_value(&mut self, token: Token) -> Sym {
        let raw = self.text(token);
        let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or(&[]);
        if !inner.contains(&b'\\') {
            let text = String::from_utf8_lossy(inner);
            return self.strings.intern(&text);
        }
        let decoded = decode_escapes(inner);
        self.strings.intern(&decoded)
    }

    /// The value of a number token; reports LEX4 for numbers too large for a double.
    pub(super) fn number_value(&mut self, token: Token) -> Option<f64> {
        match crate::number::parse_f64(self.text(token)) {
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
/// Unicode scalar value (lone surrogates, out of range) become U+FFFD.
pub fn decode_escapes(inner: &[u8]) -> String {
    let text = String::from_utf8_lossy(inner);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('0') => out.push('\0'),
            Some('u') => {
                let rest = chars.as_str();
                let (code, used) = if let Some(braced) = rest.strip_prefix('{') {
                    let digits: String = braced
                        .chars()
                        .take_while(|c| c.is_ascii_hexdigit())
                        .take(6)
                        .collect();
                    if braced
                        .get(digits.len()..)
                        .map_or(false, |r| r.starts_with('}'))
                        && !digits.is_empty()
                    {
                        (u32::from_str_radix(&digits, 16).ok(), digits.len() + 2)
                    } else {
                        (None, 0)
                    }
                } else {
                    let digits: String = rest.chars().take(4).collect();
                    if digits.len() == 4 && digits.chars().all(|c| c.is_ascii_hexdigit()) {
                        (u32::from_str_radix(&digits, 16).ok(), 4)
                    } else {
                        (None, 0)
                    }
                };
                match code {
                    Some(code) => {
                        out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        for _ in 0..used {
                            chars.next();
                        }
                    }
                    None => out.push('u'),
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
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
