//! Lexer: bytes to tokens (rules LEX1-LEX7). Whitespace and comments are not
//! tokens; instead each token records whether a line break or any space came
//! before it, which is all the grammar needs (newlines separate members and
//! statements; spacing separates command arguments).
//!
//! Template strings (LEX7) are split the way JavaScript splits them: the
//! text up to the first `${` is a `TemplateHead`, the tokens of the
//! substitution follow, and the `}` that closes it resumes the text
//! (`TemplateMiddle` up to the next `${`, `TemplateTail` up to the closing
//! backquote). A stack of brace depths, one per open substitution, tells
//! that `}` from the ones of object literals inside it.
//!
//! Bad input becomes an [`Tok::Error`] token after its diagnostic is reported,
//! so the parser can skip it without reporting it a second time.

use crate::diagnostics::{Diagnostics, Span};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tok {
    Ident,
    Number,
    /// A number with a unit written directly after it: `20m`, `100ms`, `50%`, `45°`.
    Quantity,
    Str,
    /// `` `text` `` without substitutions.
    TemplateFull,
    /// `` `text${ ``
    TemplateHead,
    /// `}text${`
    TemplateMiddle,
    /// `` }text` ``
    TemplateTail,
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
    StarStar,
    Pipe,
    Amp,
    Question,
    QuestionDot,
    QuestionQuestion,
    /// `=>`
    Arrow,
    /// `->`
    ThinArrow,
    /// `...`
    Ellipsis,
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
        Tok::Quantity => "a number with a unit",
        Tok::Str => "a string",
        Tok::TemplateFull | Tok::TemplateHead => "a template string",
        Tok::TemplateMiddle | Tok::TemplateTail => "the rest of a template string",
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
        Tok::StarStar => "`**`",
        Tok::Pipe => "`|`",
        Tok::Amp => "`&`",
        Tok::Question => "`?`",
        Tok::QuestionDot => "`?.`",
        Tok::QuestionQuestion => "`??`",
        Tok::Arrow => "`=>`",
        Tok::ThinArrow => "`->`",
        Tok::Ellipsis => "`...`",
        Tok::Error => "invalid input",
        Tok::Eof => "the end of the input",
    }
}

/// Character classes, one table lookup per byte (the lexer's inner loop).
/// Every byte of a non-ASCII character is a name byte: names may use any
/// letters (`température`, and `°` as a unit after a number); the Unicode
/// spaces are taken out before names are read (see `unicode_space`).
const IDENT_START: u8 = 1;
const IDENT_CONTINUE: u8 = 2;
static CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphabetic() || c == b'_' || c == b'$' || c >= 0x80 {
            table[b] = IDENT_START | IDENT_CONTINUE;
        } else if c.is_ascii_digit() {
            table[b] = IDENT_CONTINUE;
        }
        b += 1;
    }
    table
};

/// Length of a Unicode space character (no-break space, the U+2000 block,
/// line and paragraph separators, ideographic space, a stray byte-order
/// mark) at the start of `bytes`, or 0. They separate tokens like spaces.
fn unicode_space(bytes: &[u8]) -> usize {
    match bytes {
        [0xC2, 0xA0, ..] => 2,
        [0xE2, 0x80, 0x80..=0x8B, ..] | [0xE2, 0x80, 0xA8 | 0xA9 | 0xAF, ..] => 3,
        [0xE2, 0x81, 0x9F, ..] | [0xE3, 0x80, 0x80, ..] | [0xEF, 0xBB, 0xBF, ..] => 3,
        _ => 0,
    }
}

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
    /// Brace depth inside each open template substitution (`${ ... }`).
    templates: Vec<u32>,
}

/// Splits `src` into tokens, reporting lexical errors. The last token is `Eof`.
pub fn tokenize(src: &[u8], diags: &mut Diagnostics) -> Vec<Token> {
    let mut lexer = Lexer {
        src,
        pos: 0,
        // Typical scenes have about one token per 4 bytes.
        tokens: Vec::with_capacity(src.len() / 4 + 1),
        diags,
        templates: Vec::new(),
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
                // `# note`: a `#` and a space (or the end of the line) starts a
                // line comment; `#` and hex digits is a colour.
                b'#' if matches!(self.at(1), b' ' | b'\t' | b'\n' | b'\r' | 0) => {
                    flags |= SPACE_BEFORE;
                    while self.pos < self.src.len() && !matches!(self.at(0), b'\n' | b'\r') {
                        self.pos += 1;
                    }
                }
                0xC2 | 0xE2 | 0xE3 | 0xEF => {
                    let len = unicode_space(self.src.get(self.pos..).unwrap_or(&[]));
                    if len == 0 {
                        break;
                    }
                    flags |= SPACE_BEFORE;
                    self.pos += len;
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
            b'{' => {
                if let Some(depth) = self.templates.last_mut() {
                    *depth += 1;
                }
                (Tok::LBrace, 1)
            }
            b'}' => match self.templates.last_mut() {
                Some(0) => {
                    self.templates.pop();
                    self.pos += 1;
                    return self.template(false);
                }
                Some(depth) => {
                    *depth -= 1;
                    (Tok::RBrace, 1)
                }
                None => (Tok::RBrace, 1),
            },
            b'`' => {
                self.pos += 1;
                return self.template(true);
            }
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
                b'>' => (Tok::ThinArrow, 2),
                _ => (Tok::Minus, 1),
            },
            b'*' if next == b'=' => (Tok::StarEq, 2),
            b'*' if next == b'*' => (Tok::StarStar, 2),
            b'*' => (Tok::Star, 1),
            b'/' if next == b'=' => (Tok::SlashEq, 2),
            b'/' => (Tok::Slash, 1),
            b'=' if next == b'=' && self.at(2) == b'=' => (Tok::EqEqEq, 3),
            b'=' if next == b'=' => (Tok::EqEq, 2),
            b'=' if next == b'>' => (Tok::Arrow, 2),
            b'=' => (Tok::Eq, 1),
            b'!' if next == b'=' && self.at(2) == b'=' => (Tok::NotEqEq, 3),
            b'!' if next == b'=' => (Tok::NotEq, 2),
            b'!' => (Tok::Bang, 1),
            b'<' if next == b'=' => (Tok::Le, 2),
            b'<' => (Tok::Lt, 1),
            b'>' if next == b'=' => (Tok::Ge, 2),
            b'>' => (Tok::Gt, 1),
            b'&' if next == b'&' => (Tok::AndAnd, 2),
            b'&' => (Tok::Amp, 1),
            b'|' if next == b'|' => (Tok::OrOr, 2),
            b'|' => (Tok::Pipe, 1),
            // `a?.5:1` is a conditional with `.5`, as in JavaScript.
            b'?' if next == b'.' && !self.at(2).is_ascii_digit() => (Tok::QuestionDot, 2),
            b'?' if next == b'?' => (Tok::QuestionQuestion, 2),
            b'?' => (Tok::Question, 1),
            b'"' | b'\'' => return self.string(b),
            b'#' => return self.color(),
            b'0'..=b'9' => return self.number(),
            b'.' if next.is_ascii_digit() && !self.follows_value() => return self.number(),
            b'.' if next == b'.' && self.at(2) == b'.' => (Tok::Ellipsis, 3),
            b'.' => (Tok::Dot, 1),
            _ if is_ident_start(b) => {
                self.pos += 1;
                loop {
                    let next = self.at(0);
                    if !is_ident_continue(next) || (next >= 0x80 && self.at_unicode_space()) {
                        return Tok::Ident;
                    }
                    self.pos += 1;
                }
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

    /// A string (LEX3): on one line, or over several lines when written
    /// with three quotes, or when the opening quote ends its line.
    fn string(&mut self, quote: u8) -> Tok {
        let start = self.pos;
        if self.at(1) == quote && self.at(2) == quote {
            return self.triple_quoted(quote);
        }
        self.pos += 1;
        if matches!(self.at(0), b'\n' | b'\r') {
            // The quote ends its line: a string over several lines, if it closes.
            if let Some(end) = self.find_closing(quote) {
                self.pos = end + 1;
                return Tok::Str;
            }
        }
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

    /// Where the next unescaped `quote` is, from the current position.
    fn find_closing(&self, quote: u8) -> Option<usize> {
        let mut i = self.pos;
        while let Some(&b) = self.src.get(i) {
            if b == b'\\' {
                i += 2;
            } else if b == quote {
                return Some(i);
            } else {
                i += 1;
            }
        }
        None
    }

    /// Three quotes, any text over any number of lines, three quotes.
    fn triple_quoted(&mut self, quote: u8) -> Tok {
        let start = self.pos;
        self.pos += 3;
        while self.pos < self.src.len() {
            match self.at(0) {
                b'\\' => self.pos = (self.pos + 2).min(self.src.len()),
                b if b == quote && self.at(1) == quote && self.at(2) == quote => {
                    self.pos += 3;
                    return Tok::Str;
                }
                _ => self.pos += 1,
            }
        }
        let close = if quote == b'"' { "`\"\"\"`" } else { "`'''`" };
        let mut message = String::from("unterminated string: close it with ");
        message.push_str(close);
        self.diags.error(
            "LEX3",
            Span::new(start as u32, self.src.len() as u32),
            message,
            &[close],
        );
        Tok::Error
    }

    /// Template text (LEX7) after a backquote (`opening`) or after the `}`
    /// that closes a substitution, up to the closing backquote or the next `${`.
    fn template(&mut self, opening: bool) -> Tok {
        let start = self.pos - 1;
        loop {
            match self.src.get(self.pos).copied() {
                None => {
                    self.diags.error(
                        "LEX7",
                        Span::new(start as u32, self.src.len() as u32),
                        String::from("unterminated template string: close it with a backquote"),
                        &["`` ` ``"],
                    );
                    return Tok::Error;
                }
                Some(b'\\') => self.pos = (self.pos + 2).min(self.src.len()),
                Some(b'`') => {
                    self.pos += 1;
                    return if opening {
                        Tok::TemplateFull
                    } else {
                        Tok::TemplateTail
                    };
                }
                Some(b'$') if self.at(1) == b'{' => {
                    self.pos += 2;
                    self.templates.push(0);
                    return if opening {
                        Tok::TemplateHead
                    } else {
                        Tok::TemplateMiddle
                    };
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

    /// A number (LEX4): decimal with fraction and exponent, or `0x` hex;
    /// letters or a `%` written directly after it are its unit (a `Quantity`).
    fn number(&mut self) -> Tok {
        let start = self.pos;
        if self.at(0) == b'0' && matches!(self.at(1), b'x' | b'X') && self.at(2).is_ascii_hexdigit()
        {
            self.pos += 2;
            while self.at(0).is_ascii_hexdigit() {
                self.pos += 1;
            }
            if is_ident_continue(self.at(0)) || self.at(0) == b'.' {
                return self.malformed_number(start);
            }
            return Tok::Number;
        }
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
        if self.at(0) == b'.' && self.at(1).is_ascii_digit() {
            return self.malformed_number(start);
        }
        if is_ident_start(self.at(0)) && !self.at_unicode_space() {
            while is_ident_continue(self.at(0)) && !self.at_unicode_space() {
                self.pos += 1;
            }
            if self.at(0) == b'.' && self.at(1).is_ascii_digit() {
                return self.malformed_number(start);
            }
            return Tok::Quantity;
        }
        // `50%` is a percentage; `10%3` and `x % y` are remainders.
        if self.at(0) == b'%'
            && !(is_ident_continue(self.at(1)) || matches!(self.at(1), b'(' | b'.'))
        {
            self.pos += 1;
            return Tok::Quantity;
        }
        Tok::Number
    }

    fn at_unicode_space(&self) -> bool {
        unicode_space(self.src.get(self.pos..).unwrap_or(&[])) > 0
    }

    fn malformed_number(&mut self, start: usize) -> Tok {
        while is_ident_continue(self.at(0)) || self.at(0) == b'.' {
            self.pos += 1;
        }
        self.diags.error(
            "LEX4",
            Span::new(start as u32, self.pos as u32),
            String::from("malformed number: numbers are digits with an optional fraction and exponent (`1.5e3`) or hex (`0x1f`), and may have a unit (`20m`, `50%`)"),
            &["a number"],
        );
        Tok::Error
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
        message.push_str("` (names are letters, digits, `_` and `$`; text belongs in quotes)");
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
                | b'`'
                | b'#'
                | b'.'
                | b'?'
                | b'|'
                | b'&'
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
        assert_eq!(
            kinds("5.5.5 #12 #ggg 0x1g"),
            vec![Error, Error, Error, Error, Eof]
        );
    }

    #[test]
    fn hex_numbers_and_units() {
        use Tok::*;
        assert_eq!(
            kinds("0x1A2B 20m 0.03m 100ms 1e3s 50% 45° 10%3 x % 2"),
            vec![
                Number, Quantity, Quantity, Quantity, Quantity, Quantity, Quantity, Number,
                Percent, Number, Ident, Percent, Number, Eof
            ]
        );
    }

    #[test]
    fn template_strings_nest_substitutions_and_braces() {
        use Tok::*;
        assert_eq!(
            kinds("`a ${ {b: `c${d}`}.b } e` `plain\nlines`"),
            vec![
                TemplateHead,
                LBrace,
                Ident,
                Colon,
                TemplateHead,
                Ident,
                TemplateTail,
                RBrace,
                Dot,
                Ident,
                TemplateTail,
                TemplateFull,
                Eof
            ]
        );
        let mut d = Diagnostics::default();
        let t = tokenize(b"`open ${x", &mut d);
        assert_eq!(t[0].kind, TemplateHead);
        let t = tokenize(b"`never closed", &mut d);
        assert_eq!(t[0].kind, Error);
        assert_eq!(d.finish(0)[0].code, "LEX7");
    }

    #[test]
    fn strings_over_several_lines() {
        use Tok::*;
        assert_eq!(
            kinds("'''a\n'b'\n''' \"\nx\ny\" \"\nunclosed"),
            vec![Str, Str, Error, Ident, Eof]
        );
    }

    #[test]
    fn new_operators_and_hash_comments() {
        use Tok::*;
        assert_eq!(
            kinds("a?.b ?? c ? d : e => f -> g | h & i ** j ...k a?.5\n# note\n#fff"),
            vec![
                Ident,
                QuestionDot,
                Ident,
                QuestionQuestion,
                Ident,
                Question,
                Ident,
                Colon,
                Ident,
                Arrow,
                Ident,
                ThinArrow,
                Ident,
                Pipe,
                Ident,
                Amp,
                Ident,
                StarStar,
                Ident,
                Ellipsis,
                Ident,
                Ident,
                Question,
                Number,
                Color,
                Eof
            ]
        );
    }

    #[test]
    fn unicode_names_and_spaces() {
        use Tok::*;
        let mut d = Diagnostics::default();
        let t = tokenize("température\u{a0}x\u{3000}y".as_bytes(), &mut d);
        let k: Vec<Tok> = t.iter().map(|t| t.kind).collect();
        assert_eq!(k, vec![Ident, Ident, Ident, Eof]);
        assert!(t[1].space_before() && t[2].space_before());
        assert_eq!(kinds("a ~ b"), vec![Ident, Error, Ident, Eof]);
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
