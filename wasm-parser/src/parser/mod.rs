//! Recursive-descent parser over the token list. Split by level:
//! `members` (document, bodies, blocks, properties), `traits`, `handlers`,
//! `imports`, `statements` (handler bodies) and `expressions` (values);
//! `emit` writes.
//!
//! There is no intermediate tree: every parse function writes its node
//! straight into the binary result's words (docs/parser.md, "Result format"),
//! in pre-order. A node whose end is not known yet gets its `to` patched
//! when it closes; a node that turns out to wrap an operand already written
//! (`a + b`, `a.b`, `f(x)`, `x = 1`) has its header inserted in front of the
//! operand's words. A construct that fails is rolled back to the mark taken
//! before it, so the result only ever holds complete nodes (REC2).
//!
//! Invariants that make a parse total and bounded:
//! - every parse function either consumes a token or fails;
//! - a failed member or statement is skipped to the next boundary
//!   ([`Parser::skip_construct`]), so one typo costs one construct;
//! - nesting is counted ([`Parser::enter`], LIM2) and so is work
//!   ([`Parser::tick`], LIM3): past the budget every lookahead sees the end of
//!   the input and all loops finish.

mod emit;
mod expressions;
mod handlers;
mod imports;
mod literals;
mod members;
mod statements;
mod traits;

use crate::diagnostics::{push_number, Diagnostics, Span};
use crate::intern::Interner;
use crate::lexer::{describe, Tok, Token};
use crate::limits::{MAX_DEPTH, STEPS_BASE, STEPS_PER_TOKEN};
use crate::positions::Positions;

pub use emit::Val;
use members::Opener;

pub struct Parser<'a> {
    src: &'a [u8],
    tokens: Vec<Token>,
    pos: usize,
    pub strings: Interner,
    pub diags: Diagnostics,
    depth: u32,
    steps: u64,
    budget: u64,
    exhausted: bool,
    eof: Token,
    /// Count of enclosing unknown blocks and trait configurations: inside
    /// them unknown keywords are expected and not reported again (LANG1).
    quiet_unknown: u32,
    /// Expression context flags; see `expressions`.
    newline_ends_expr: bool,
    command_args: bool,
    /// The result's words (header first, then the tree as it is parsed).
    out: Vec<u32>,
    /// The last call written: its node, the index of its argument count and
    /// the count (a block after `)` becomes one more argument).
    last_call: Option<(usize, usize, u32)>,
    positions: &'a Positions,
}

impl<'a> Parser<'a> {
    /// `budget` overrides the step budget derived from the token count (LIM3).
    /// The tree is appended to `out`, which holds the result header.
    pub fn new(
        src: &'a [u8],
        tokens: Vec<Token>,
        diags: Diagnostics,
        budget: Option<u64>,
        out: Vec<u32>,
        positions: &'a Positions,
    ) -> Parser<'a> {
        let end = src.len() as u32;
        let budget = budget.unwrap_or(STEPS_BASE + STEPS_PER_TOKEN * tokens.len() as u64);
        Parser {
            src,
            tokens,
            pos: 0,
            strings: Interner::default(),
            diags,
            depth: 0,
            steps: 0,
            budget,
            exhausted: false,
            eof: Token {
                kind: Tok::Eof,
                start: end,
                end,
                flags: crate::lexer::NL_BEFORE,
            },
            quiet_unknown: 0,
            newline_ends_expr: true,
            command_args: false,
            out,
            last_call: None,
            positions,
        }
    }

    /// Parses the whole input, writing the `Document` node; returns the
    /// words (the caller appends the diagnostics and string table).
    pub fn parse_document(&mut self) -> Vec<u32> {
        self.document();
        std::mem::take(&mut self.out)
    }

    // ---- cursor -------------------------------------------------------

    /// The current token (the end of the input once the budget is spent).
    #[inline(always)]
    fn tok(&self) -> Token {
        self.nth(0)
    }

    /// The token `n` ahead; past the end (or once the budget is spent, when
    /// the list is emptied) the end of the input. The hottest function of
    /// the parser: no branch beyond the bounds check.
    #[inline(always)]
    fn nth(&self, n: usize) -> Token {
        match self.tokens.get(self.pos + n) {
            Some(token) => *token,
            None => self.eof,
        }
    }

    fn at(&self, kind: Tok) -> bool {
        self.tok().kind == kind
    }

    /// The token before the current one, if any.
    fn prev(&self) -> Option<Token> {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .copied()
    }

    /// Steps past the current token where its value is not needed (no token
    /// to return: cheaper than [`Parser::bump`]).
    fn advance(&mut self) {
        // The last token is the end of the input, which is never passed.
        if self.pos + 1 < self.tokens.len() {
            self.pos += 1;
        }
        self.tick();
    }

    fn bump(&mut self) -> Token {
        let token = self.tok();
        if token.kind != Tok::Eof {
            self.pos += 1;
        }
        self.tick();
        token
    }

    /// Counts one unit of work (LIM3).
    fn tick(&mut self) {
        self.steps += 1;
        if self.steps > self.budget && !self.exhausted {
            self.spend_budget();
        }
    }

    /// LIM3: reports once and makes every later lookahead see the end.
    #[inline(never)]
    fn spend_budget(&mut self) {
        self.exhausted = true;
        let at = self
            .tokens
            .get(self.pos)
            .map(|t| t.start)
            .unwrap_or(self.eof.start);
        self.diags.error(
            "LIM3",
            Span::new(at, at),
            String::from("the parser's step budget is spent; the rest of the input was not parsed"),
            &[],
        );
        self.diags.freeze();
        // From now on every lookahead sees the end of the input.
        self.tokens.clear();
    }

    fn text(&self, token: Token) -> &'a [u8] {
        self.src
            .get(token.start as usize..token.end as usize)
            .unwrap_or(&[])
    }

    fn is_word(&self, token: Token, word: &str) -> bool {
        token.kind == Tok::Ident && self.text(token) == word.as_bytes()
    }

    /// Interns an identifier token's text (identifiers are ASCII).
    fn intern_token(&mut self, token: Token) -> u32 {
        self.strings.intern_ascii(self.text(token))
    }

    // ---- nesting (LIM2) -------------------------------------------------

    /// Enters one level of nesting; reports LIM2 and returns false past the limit.
    #[inline]
    fn enter(&mut self) -> bool {
        if self.depth >= MAX_DEPTH {
            self.too_deep();
            return false;
        }
        self.depth += 1;
        true
    }

    // Reporting is out of line and marked cold: it is rare, and inlined at
    // its many call sites it would be a large part of the module.
    #[cold]
    #[inline(never)]
    fn too_deep(&mut self) {
        let token = self.tok();
        let mut message = String::from("nesting is deeper than ");
        push_number(&mut message, MAX_DEPTH as u64);
        message.push_str(" levels; flatten this part of the script");
        self.diags.error("LIM2", token.span(), message, &[]);
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Checks an expression tree's height against LIM2.
    #[inline]
    fn check_height(&mut self, height: u32, span: Span) -> Option<()> {
        if height > MAX_DEPTH {
            self.too_high(span);
            return None;
        }
        Some(())
    }

    #[cold]
    #[inline(never)]
    fn too_high(&mut self, span: Span) {
        let mut message = String::from("expression is nested deeper than ");
        push_number(&mut message, MAX_DEPTH as u64);
        message.push_str(" levels; split it up");
        self.diags.error("LIM2", span, message, &[]);
    }

    // ---- errors and recovery ---------------------------------------------

    /// Reports that the current token is not what `expected` lists.
    /// Tokens the lexer already reported (`Tok::Error`) are not reported again.
    #[cold]
    #[inline(never)]
    fn unexpected(&mut self, code: &'static str, expected: &[&'static str]) {
        let token = self.tok();
        if token.kind == Tok::Error {
            return;
        }
        let mut message = String::from("expected ");
        for (i, item) in expected.iter().enumerate() {
            if i > 0 {
                message.push_str(if i + 1 == expected.len() {
                    " or "
                } else {
                    ", "
                });
            }
            message.push_str(item);
        }
        message.push_str(", found ");
        self.push_found(&mut message, token);
        self.diags.error(code, token.span(), message, expected);
    }

    /// Describes a token for a message: its text for names, else its kind.
    fn push_found(&self, message: &mut String, token: Token) {
        match token.kind {
            Tok::Ident | Tok::Number | Tok::Color => {
                message.push('`');
                message.push_str(std::str::from_utf8(self.text(token)).unwrap_or("?"));
                message.push('`');
            }
            kind => message.push_str(describe(kind)),
        }
    }

    /// Consumes a token of `kind` or reports `code` and fails.
    fn expect(&mut self, kind: Tok, code: &'static str, expected: &'static str) -> Option<Token> {
        if self.at(kind) {
            Some(self.bump())
        } else {
            self.unexpected(code, &[expected]);
            None
        }
    }

    /// Skips the construct starting at the current token up to its boundary:
    /// `;` (or `,` when `comma_ends`) outside any brackets, a `}` that closes
    /// the enclosing body (left for it), or a line break outside braces.
    /// Braces are balanced so a broken multi-line value is skipped whole.
    /// Inside an unclosed `[` or `(` a line break ends the construct only when
    /// the next line looks like a new member (`name:` or `@`; any name in a
    /// statement block), so a missing `]` does not swallow the following lines
    /// while a broken multi-line array is still skipped whole. Always
    /// consumes at least one token unless at the end.
    fn skip_construct(&mut self, comma_ends: bool) {
        let mut braces = 0u32;
        let mut brackets = 0u32;
        let mut first = true;
        loop {
            let token = self.tok();
            let outside = braces == 0 && !first;
            match token.kind {
                Tok::Eof => return,
                Tok::RBrace if outside => return,
                Tok::Semi if outside && brackets == 0 => return,
                Tok::Comma if outside && brackets == 0 && comma_ends => return,
                _ if outside
                    && token.nl_before()
                    && (brackets == 0 || self.starts_member_line(comma_ends)) =>
                {
                    return
                }
                Tok::LBrace => braces += 1,
                Tok::RBrace => braces = braces.saturating_sub(1),
                Tok::LBracket | Tok::LParen => brackets += 1,
                Tok::RBracket | Tok::RParen => brackets = brackets.saturating_sub(1),
                _ => {}
            }
            self.advance();
            first = false;
        }
    }

    /// Whether the current token looks like the start of a member
    /// (`in_body`) or of a statement.
    fn starts_member_line(&self, in_body: bool) -> bool {
        match self.tok().kind {
            Tok::At => in_body,
            Tok::Ident => !in_body || self.nth(1).kind == Tok::Colon,
            _ => false,
        }
    }

    /// Reports a value that does not start on the line of its `:` or `=`.
    #[inline]
    fn value_on_same_line(&mut self, code: &'static str, after: Token) -> Option<()> {
        if !self.tok().nl_before() {
            return Some(());
        }
        self.value_on_next_line(code, after);
        None
    }

    #[cold]
    #[inline(never)]
    fn value_on_next_line(&mut self, code: &'static str, after: Token) {
        let mut message = String::from("expected a value after ");
        message.push_str(describe(after.kind));
        message.push_str(" on the same line");
        self.diags
            .error(code, Span::new(after.end, after.end), message, &["a value"]);
    }

    /// 1-based line of a byte offset (for "opened on line N" messages).
    fn line_of(&self, offset: u32) -> u64 {
        let before = self.src.get(..offset as usize).unwrap_or(self.src);
        let mut lines = 1u64;
        let mut i = 0;
        while i < before.len() {
            match before.get(i) {
                Some(b'\n') => lines += 1,
                Some(b'\r') if before.get(i + 1) != Some(&b'\n') => lines += 1,
                _ => {}
            }
            i += 1;
        }
        lines
    }

    /// Reports a missing closing delimiter at the current token.
    #[cold]
    #[inline(never)]
    fn unclosed(&mut self, what: &str, open: Token, close: &'static str) {
        let token = self.tok();
        if token.kind == Tok::Error {
            return;
        }
        let mut message = String::from("expected ");
        message.push_str(close);
        message.push_str(" to close ");
        message.push_str(what);
        message.push_str(" opened on line ");
        push_number(&mut message, self.line_of(open.start));
        message.push_str(", found ");
        self.push_found(&mut message, token);
        self.diags.error("SYN4", token.span(), message, &[close]);
    }
}
