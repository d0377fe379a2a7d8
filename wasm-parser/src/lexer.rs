//! Lexer: bytes to tokens (rules LEX1-LEX6). Whitespace and comments are not
//! tokens; instead each token records whether a line break or any space came
//! before it, which is all the grammar needs (newlines separate members and
//! statements; spacing separates command arguments).
//!
//! Bad input becomes an [`Tok::Error`] token after its diagnostic is reported,
//! so the parser can skip it without reporting it a second time.

use crate::diagnostics::{Diagnostics, Span};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tok {
    Ident,
    Number,
    Str,
    Color,
    At,
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Colon,
    Comma,
    Semi,
    Dot,
    Eq,
    PlusEq,
    MinusEq,
    StarEq,
    SlashEq,
    PlusPlus,
    MinusMinus,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Bang,
    Lt,
    Le,
    Gt,
    Ge,
    EqEq,
    NotEq,
    EqEqEq,
    NotEqEq,
    AndAnd,
    OrOr,
    /// Input the lexer already reported (LEX2-LEX6).
    Error,
    Eof,
}

/// A line break came before this token (or it is the first token after one).
pub const NL_BEFORE: u8 = 1;
/// Whitespace or a comment came directly before this token.
pub const SPACE_BEFORE: u8 = 2;

#[derive(Clone, Copy, Debug)]
pub struct Token {
    pub kind: Tok,
    pub start: u32,
    pub end: u32,
    pub flags: u8,
}

impl Token {
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
    pub fn nl_before(&self) -> bool {
        self.flags & NL_BEFORE != 0
    }
    pub fn space_before(&self) -> bool {
        self.flags & SPACE_BEFORE != 0
    }
}

/// Short description of a token kind for messages.
pub fn describe(kind: Tok) -> &'static str {
    match kind {
        Tok::Ident => "a name",
        Tok::Number => "a number",
        Tok::Str => "a string",
        Tok::Color => "a colour",
        Tok::At => "`@`",
        Tok::LBrace => "`{`",
        Tok::RBrace => "`}`",
        Tok::LParen => "`(`",
        Tok::RParen => "`)`",
        Tok::LBracket => "`[`",
        Tok::RBracket => "`]`",
        Tok::Colon => "`:`",
        Tok::Comma => "`,`",
        Tok::Semi => "`;`",
        Tok::Dot => "`.`",
        Tok::Eq => "`=`",
        Tok::PlusEq => "`+=`",
        Tok::MinusEq => "`-=`",
        Tok::StarEq => "`*=`",
        Tok::SlashEq => "`/=`",
        Tok::PlusPlus => "`++`",
        Tok::MinusMinus => "`--`",
        Tok::Plus => "`+`",
        Tok::Minus => "`-`",
        Tok::Star => "`*`",
        Tok::Slash => "`/`",
        Tok::Percent => "`%`",
        Tok::Bang => "`!`",
        Tok::Lt => "`<`",
        Tok::Le => "`<=`",
        Tok::Gt => "`>`",
        Tok::Ge => "`>=`",
        Tok::EqEq => "`==`",
        Tok::NotEq => "`!=`",
        Tok::EqEqEq => "`===`",
        Tok::NotEqEq => "`!==`",
        Tok::AndAnd => "`&&`",
        Tok::OrOr => "`||`",
        Tok::Error => "invalid input",
        Tok::Eof => "the end of the input",
    }
}

/// Character classes, one table lookup per byte (the lexer's inner loop).
const IDENT_START: u8 = 1;
const IDENT_CONTINUE: u8 = 2;
static CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphabetic() || c == b'_' || c == b'$' {
            table[b] = IDENT_START | IDENT_CONTINUE;
        } else if c.is_ascii_digit() {
            table[b] = IDENT_CONTINUE;
        }
        b += 1;
    }
    table
};

#[inline(always)]
pub fn is_ident_start(b: u8) -> bool {
    CLASSES[b as usize] & IDENT_START != 0
}

#[inline(always)]
pub fn is_ident_continue(b: u8) -> bool {
    CLASSES[b as usize] & IDENT_CONTINUE != 0
}

struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    tokens: Vec<Token>,
    diags: &'a mut Diagnostics,
}

/// Splits `src` into tokens, reporting lexical errors. The last token is `Eof`.
pub fn tokenize(src: &[u8], diags: &mut Diagnostics) -> Vec<Token> {
    let mut lexer = Lexer {
        src,
        pos: 0,
        // Typical scenes have about one token per 4 bytes.
        tokens: Vec::with_capacity(src.len() / 4 + 1),
        diags,
    };
    lexer.run();
    lexer.tokens
}

impl<'a> Lexer<'a> {
    #[inline(always)]
    fn at(&self, offset: usize) -> u8 {
        self.src.get(self.pos + offset).copied().unwrap_or(0)
    }

    fn run(&mut self) {
        // A byte-order mark is not content.
        if self.src.starts_with(&[0xEF, 0xBB, 0xBF]) {
            self.pos = 3;
        }
        let mut flags = NL_BEFORE;
        loop {
            flags |= self.skip_trivia();
            if self.pos >= self.src.len() {
                let end = self.src.len() as u32;
                self.tokens.push(Token {
                    kind: Tok::Eof,
                    start: end,
                    end,
                    flags: flags | NL_BEFORE,
                });
                return;
            }
            let start = self.pos;
            let kind = self.token();
            // `token` always advances; this guard keeps that true if it ever regresses.
            if self.pos <= start {
                self.pos = start + 1;
            }
            self.tokens.push(Token {
                kind,
                start: start as u32,
                end: self.pos as u32,
                flags,
            });
            flags = 0;
        }
    }

    /// Skips whitespace and comments; returns the flags they imply.
    fn skip_trivia(&mut self) -> u8 {
        let mut flags = 0;
        while self.pos < self.src.len() {
            match self.at(0) {
                b'\n' | b'\r' => {
                    flags |= NL_BEFORE | SPACE_BEFORE;
                    self.pos += 1;
                }
                b' ' | b'\t' | 0x0B | 0x0C => {
                    flags |= SPACE_BEFORE;
                    self.pos += 1;
                }
                b'/' if self.at(1) == b'/' => {
                    flags |= SPACE_BEFORE;
                    while self.pos < self.src.len() && !matches!(self.at(0), b'\n' | b'\r') {
                        self.pos += 1;
                    }
                }
                b'/' if self.at(1) == b'*' => {
                    flags |= SPACE_BEFORE;
                    let start = self.pos;
                    self.pos += 2;
                    loop {
                        if self.pos >= self.src.len() {
                            self.diags.error(
                                "LEX2",
                                Span::new(start as u32, self.src.len() as u32),
                                String::from("unterminated block comment: add `*/`"),
                                &["`*/`"],
                            );
                            break;
                        }
                        match self.at(0) {
                            b'*' if self.at(1) == b'/' => {
                                self.pos += 2;
                                break;
                            }
                            b'\n' | b'\r' => flags |= NL_BEFORE,
                            _ => {}
                        }
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        flags
    }

    fn token(&mut self) -> Tok {
        let b = self.at(0);
        let next = self.at(1);
        let (kind, len) = match b {
            b'{' => (Tok::LBrace, 1),
            b'}' => (Tok::RBrace, 1),
            b'(' => (Tok::LParen, 1),
            b')' => (Tok::RParen, 1),
            b'[' => (Tok::LBracket, 1),
            b']' => (Tok::RBracket, 1),
            b':' => (Tok::Colon, 1),
            b',' => (Tok::Comma, 1),
            b';' => (Tok::Semi, 1),
            b'@' => (Tok::At, 1),
            b'%' => (Tok::Percent, 1),
            b'+' => match next {
                b'=' => (Tok::PlusEq, 2),
                b'+' => (Tok::PlusPlus, 2),
                _ => (Tok::Plus, 1),
            },
            b'-' => match next {
                b'=' => (Tok::MinusEq, 2),
                b'-' => (Tok::MinusMinus, 2),
                _ => (Tok::Minus, 1),
            },
            b'*' if next == b'=' => (Tok::StarEq, 2),
            b'*' => (Tok::Star, 1),
            b'/' if next == b'=' => (Tok::SlashEq, 2),
            b'/' => (Tok::Slash, 1),
            b'=' if next == b'=' && self.at(2) == b'=' => (Tok::EqEqEq, 3),
            b'=' if next == b'=' => (Tok::EqEq, 2),
            b'=' => (Tok::Eq, 1),
            b'!' if next == b'=' && self.at(2) == b'=' => (Tok::NotEqEq, 3),
            b'!' if next == b'=' => (Tok::NotEq, 2),
            b'!' => (Tok::Bang, 1),
            b'<' if next == b'=' => (Tok::Le, 2),
            b'<' => (Tok::Lt, 1),
            b'>' if next == b'=' => (Tok::Ge, 2),
            b'>' => (Tok::Gt, 1),
            b'&' if next == b'&' => (Tok::AndAnd, 2),
            b'|' if next == b'|' => (Tok::OrOr, 2),
            b'"' | b'\'' => return self.string(b),
            b'#' => return self.color(),
            b'0'..=b'9' => return self.number(),
            b'.' if next.is_ascii_digit() && !self.follows_value() => return self.number(),
            b'.' => (Tok::Dot, 1),
            _ if is_ident_start(b) => {
                self.pos += 1;
                while is_ident_continue(self.at(0)) {
                    self.pos += 1;
                }
                return Tok::Ident;
            }
            _ => return self.unexpected(),
        };
        self.pos += len;
        kind
    }

    /// Whether the previous token ends a value, so a `.` after it is member access.
    fn follows_value(&self) -> bool {
        match self.tokens.last() {
            Some(t) if t.end as usize == self.pos => matches!(
                t.kind,
                Tok::Ident | Tok::Number | Tok::Str | Tok::RParen | Tok::RBracket | Tok::RBrace
            ),
            _ => false,
        }
    }

    fn string(&mut self, quote: u8) -> Tok {
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.src.get(self.pos).copied() {
                None | Some(b'\n') | Some(b'\r') => {
                    self.diags.error(
                        "LEX3",
                        Span::new(start as u32, self.pos as u32),
                        String::from(if quote == b'"' {
                            "unterminated string: close it with `\"` on the same line"
                        } else {
                            "unterminated string: close it with `'` on the same line"
                        }),
                        &[if quote == b'"' { "`\"`" } else { "`'`" }],
                    );
                    return Tok::Error;
                }
                // An escape at the very end must not step past the input.
                Some(b'\\') => self.pos = (self.pos + 2).min(self.src.len()),
                Some(b) if b == quote => {
                    self.pos += 1;
                    return Tok::Str;
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    fn color(&mut self) -> Tok {
        let start = self.pos;
        self.pos += 1;
        let mut digits = 0;
        while self.at(0).is_ascii_hexdigit() {
            self.pos += 1;
            digits += 1;
        }
        let trailing = is_ident_continue(self.at(0));
        while is_ident_continue(self.at(0)) {
            self.pos += 1;
        }
        if trailing || !matches!(digits, 3 | 4 | 6 | 8) {
            self.diags.error(
                "LEX5",
                Span::new(start as u32, self.pos as u32),
                String::from(
                    "malformed colour: write `#` and 3, 4, 6 or 8 hex digits, e.g. `#ff8800`",
                ),
                &["a colour such as `#ff8800`"],
            );
            return Tok::Error;
        }
        Tok::Color
    }

    fn number(&mut self) -> Tok {
        let start = self.pos;
        while self.at(0).is_ascii_digit() {
            self.pos += 1;
        }
        if self.at(0) == b'.' && self.at(1).is_ascii_digit() {
            self.pos += 1;
            while self.at(0).is_ascii_digit() {
                self.pos += 1;
            }
        }
        if matches!(self.at(0), b'e' | b'E') {
            let sign = usize::from(matches!(self.at(1), b'+' | b'-'));
            if self.at(1 + sign).is_ascii_digit() {
                self.pos += 1 + sign;
                while self.at(0).is_ascii_digit() {
                    self.pos += 1;
                }
            }
        }
        if is_ident_continue(self.at(0)) || (self.at(0) == b'.' && self.at(1).is_ascii_digit()) {
            while is_ident_continue(self.at(0)) || self.at(0) == b'.' {
                self.pos += 1;
            }
            self.diags.error(
                "LEX4",
                Span::new(start as u32, self.pos as u32),
                String::from("malformed number: numbers are digits with an optional fraction and exponent, e.g. `1.5e3`"),
                &["a number"],
            );
            return Tok::Error;
        }
        Tok::Number
    }

    /// A run of bytes that cannot start a token becomes one error token.
    fn unexpected(&mut self) -> Tok {
        let start = self.pos;
        let first = char_at(self.src, start);
        self.pos += 1;
        while self.pos < self.src.len() {
            let b = self.at(0);
            if b.is_ascii_whitespace() || (b.is_ascii() && starts_token(b)) {
                break;
            }
            self.pos += 1;
        }
        let mut message = String::from("unexpected character `");
        message.push(first);
        message
            .push_str("` (names are ASCII letters, digits, `_` and `$`; text belongs in quotes)");
        self.diags.error(
            "LEX6",
            Span::new(start as u32, self.pos as u32),
            message,
            &[],
        );
        Tok::Error
    }
}

/// Bytes that begin some token (an unexpected run stops before them).
fn starts_token(b: u8) -> bool {
    is_ident_start(b)
        || b.is_ascii_digit()
        || matches!(
            b,
            b'{' | b'}'
                | b'('
                | b')'
                | b'['
                | b']'
                | b':'
                | b','
                | b';'
                | b'@'
                | b'%'
                | b'+'
                | b'-'
                | b'*'
                | b'/'
                | b'='
                | b'!'
                | b'<'
                | b'>'
                | b'"'
                | b'\''
                | b'#'
                | b'.'
        )
}

/// The character starting at `at` (U+FFFD for invalid UTF-8).
fn char_at(src: &[u8], at: usize) -> char {
    let end = (at + 4).min(src.len());
    let bytes = src.get(at..end).unwrap_or(&[]);
    let valid = match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(bytes.get(..e.valid_up_to()).unwrap_or(&[])).unwrap_or(""),
    };
    valid.chars().next().unwrap_or('\u{FFFD}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Tok> {
        let mut d = Diagnostics::default();
        tokenize(src.as_bytes(), &mut d)
            .iter()
            .map(|t| t.kind)
            .collect()
    }

    #[test]
    fn operators_take_the_longest_match() {
        use Tok::*;
        assert_eq!(
            kinds("a === b !== c += -- ++ <= && ||"),
            vec![
                Ident, EqEqEq, Ident, NotEqEq, Ident, PlusEq, MinusMinus, PlusPlus, Le, AndAnd,
                OrOr, Eof
            ]
        );
    }

    #[test]
    fn numbers_colours_and_leading_dots() {
        use Tok::*;
        assert_eq!(
            kinds("1 2.5 3e-2 .5 a.b #fff #12345678"),
            vec![Number, Number, Number, Number, Ident, Dot, Ident, Color, Color, Eof]
        );
        assert_eq!(kinds("5px #12 #ggg"), vec![Error, Error, Error, Eof]);
    }

    #[test]
    fn flags_record_newlines_and_spaces() {
        let mut d = Diagnostics::default();
        let t = tokenize(b"a b\nc/* x\n */d", &mut d);
        assert!(!t[1].nl_before() && t[1].space_before());
        assert!(t[2].nl_before());
        assert!(
            t[3].nl_before(),
            "a block comment spanning lines is a line break"
        );
    }
}
