//! Handler bodies: statements (rules SYN8, SYN9, SYN15). Statements end at a
//! line break or `;`. A line that starts with a name followed by a space and
//! a value is a command (`set grabbed true`, `spawn "Cube" at [0, 1, 0]`).
//!
//! Every statement reports its height (the height of the expressions in it,
//! plus one per statement level), so a function written as a value counts
//! its body toward the expression height limit (LIM2).

use super::Parser;
use crate::intern::NO_SYM;
use crate::lexer::{Tok, Token};
use crate::schema::{AssignOp, NodeKind};

impl<'a> Parser<'a> {
    /// Statements up to the `}` matching `open` (already consumed), written
    /// as `count, statements…`; returns the block's height. A body missing
    /// its `}` at the end of the input is kept (SYN4 reported).
    pub(super) fn statement_block(&mut self, open: Token) -> Option<u32> {
        if !self.enter() {
            return None;
        }
        let count = self.placeholder();
        let mut written = 0u32;
        let mut height = 0u32;
        let mut need_separator = false;
        // Fields (`action: "x" args: { }`) may share a line like members do.
        let mut after_field = false;
        loop {
            self.tick();
            let token = self.tok();
            match token.kind {
                Tok::Eof => {
                    self.unclosed("the statement block", open, "`}`");
                    break;
                }
                Tok::RBrace => {
                    self.advance();
                    break;
                }
                Tok::Semi => {
                    self.advance();
                    need_separator = false;
                    continue;
                }
                _ => {}
            }
            if need_separator && !token.nl_before() && !(after_field && token.space_before()) {
                self.unexpected("SYN8", &["a line break", "`;`"]);
                self.skip_construct(false);
                need_separator = false;
                continue;
            }
            let start = self.pos;
            let mark = self.mark();
            let statement = self.statement();
            after_field = self.kind_at(mark) == NodeKind::Property.code();
            match statement {
                Some(statement) => {
                    height = height.max(statement);
                    written += 1;
                    need_separator = self.prev().map_or(true, |t| t.kind != Tok::RBrace);
                }
                None => {
                    self.rollback(mark);
                    self.pos = start;
                    self.skip_construct(false);
                    need_separator = false;
                }
            }
        }
        self.set(count, written);
        self.leave();
        Some(height + 1)
    }

    /// One statement; returns its height.
    fn statement(&mut self) -> Option<u32> {
        let token = self.tok();
        if token.kind == Tok::Ident {
            let word = self.text(token);
            let next = self.nth(1);
            match word {
                b"if" => return self.if_statement(),
                b"for" if matches!(next.kind, Tok::LParen | Tok::Ident) && self.for_ahead() => {
                    return self.for_statement()
                }
                b"let" | b"const" | b"var" if next.kind == Tok::Ident && !next.nl_before() => {
                    return self.let_statement()
                }
                b"return" => return self.return_statement(),
                b"else" => {
                    self.diags.error(
                        "SYN8",
                        token.span(),
                        String::from("`else` without an `if` before it"),
                        &["a statement"],
                    );
                    return None;
                }
                // Literals are values, never command names.
                b"true" | b"false" | b"null" => return self.expression_statement(),
                // `action: "select"`: a field, as in the data form of `on` handlers.
                _ if next.kind == Tok::Colon => return self.field_statement(),
                _ => {}
            }
            if self.starts_command() {
                return self.command();
            }
        }
        self.expression_statement()
    }

    /// A name followed by nothing on its line, or by a space and the start of a value.
    fn starts_command(&self) -> bool {
        let next = self.nth(1);
        if next.nl_before() || matches!(next.kind, Tok::Semi | Tok::RBrace | Tok::Eof) {
            return true;
        }
        if !next.space_before() {
            return false;
        }
        match next.kind {
            Tok::Ident
            | Tok::Number
            | Tok::Quantity
            | Tok::Str
            | Tok::TemplateFull
            | Tok::TemplateHead
            | Tok::At
            | Tok::Color
            | Tok::LBracket
            | Tok::LBrace
            | Tok::LParen
            | Tok::Bang => true,
            // `fire -1` passes -1; `x - 1` is arithmetic.
            Tok::Minus => !self.nth(2).space_before(),
            _ => false,
        }
    }

    /// `Command, from, to, name, arg count, args…`. A `:` after an argument
    /// only separates it from the next (`set glow: 0.9` is `set glow 0.9`).
    fn command(&mut self) -> Option<u32> {
        let name_token = self.bump();
        let at = self.open(NodeKind::Command, name_token.start);
        let name = self.intern_token(name_token);
        self.word(name);
        let count = self.placeholder();
        let mut args = 0u32;
        let mut height = 0u32;
        loop {
            self.tick();
            let token = self.tok();
            if token.nl_before() || matches!(token.kind, Tok::Semi | Tok::RBrace | Tok::Eof) {
                break;
            }
            if token.kind == Tok::Colon && args > 0 {
                self.advance();
                continue;
            }
            height = height.max(self.expression_in(true, true)?.height);
            args += 1;
        }
        self.set(count, args);
        let end = self.prev().map_or(name_token.end, |t| t.end);
        self.close(at, end);
        Some(height + 1)
    }

    /// `key: value` as a statement (`Property, from, to, key, value`): the
    /// fields of an `on "tap" { action: "select" }` handler (SYN15).
    fn field_statement(&mut self) -> Option<u32> {
        let key_token = self.bump();
        let colon = self.bump();
        self.value_on_same_line("SYN8", colon)?;
        let at = self.open(NodeKind::Property, key_token.start);
        let key = self.intern_token(key_token);
        self.word(key);
        let value = self.with_flags(true, false, |p| p.field_value(false))?;
        self.close(at, value.span.end);
        Some(value.height + 1)
    }

    /// `for (x of list) { ... }` with `let`/`const`/`var` or without, and with
    /// or without the parentheses.
    fn for_ahead(&self) -> bool {
        let mut n = 1;
        if self.nth(n).kind == Tok::LParen {
            n += 1;
        }
        if matches!(self.text(self.nth(n)), b"let" | b"const" | b"var") {
            n += 1;
        }
        self.nth(n).kind == Tok::Ident && self.is_word(self.nth(n + 1), "of")
    }

    /// `For, from, to, declaration or NONE, name, list, statement count, statements…` (SYN15).
    fn for_statement(&mut self) -> Option<u32> {
        let keyword = self.bump();
        let at = self.open(NodeKind::For, keyword.start);
        let open = if self.at(Tok::LParen) {
            Some(self.bump())
        } else {
            None
        };
        let declaration = self.tok();
        if matches!(self.text(declaration), b"let" | b"const" | b"var") {
            let sym = self.intern_token(declaration);
            self.word(sym);
            self.advance();
        } else {
            self.word(NO_SYM);
        }
        let name = self.bump();
        let sym = self.intern_token(name);
        self.word(sym);
        self.advance();
        let list = self.expression_in(false, false)?;
        if let Some(open) = open {
            if !self.at(Tok::RParen) {
                self.unclosed("the loop header", open, "`)`");
                return None;
            }
            self.advance();
        }
        let open = self.expect(Tok::LBrace, "SYN15", "`{` to start the loop body")?;
        let body = self.statement_block(open)?;
        let end = self.prev().map_or(keyword.end, |t| t.end);
        self.close(at, end);
        Some(list.height.max(body) + 1)
    }

    /// An expression, an assignment (`Assign, from, to, op, target, value`)
    /// or, for a lone name, a command without arguments. A `{` on the line
    /// of a call's `)` is a block passed as its last argument (SYN13).
    fn expression_statement(&mut self) -> Option<u32> {
        self.last_call = None;
        let mut target = self.expression_in(true, false)?;
        let token = self.tok();
        if let (Tok::LBrace, Some((at, count, args))) = (token.kind, self.last_call) {
            if at == target.at && !token.nl_before() {
                let block = self.block_function()?;
                self.set(count, args + 1);
                target.span = target.span.to(block.span);
                target.height = target.height.max(block.height + 1);
                self.close(at, target.span.end);
                self.check_height(target.height, target.span)?;
            }
        }
        let token = self.tok();
        let op = match token.kind {
            _ if token.nl_before() => None,
            Tok::Eq => Some(AssignOp::Set),
            Tok::PlusEq | Tok::PlusPlus => Some(AssignOp::Add),
            Tok::MinusEq | Tok::MinusMinus => Some(AssignOp::Sub),
            Tok::StarEq => Some(AssignOp::Mul),
            Tok::SlashEq => Some(AssignOp::Div),
            _ => None,
        };
        let target_kind = self.kind_at(target.at);
        let op = match op {
            Some(op) => op,
            None => {
                // A statement that is only a name is a command without
                // arguments, however the line goes on (`x{` is `x`, then an error):
                // `Identifier, from, to, name` becomes `Command, from, to, name, 0`.
                if target_kind == NodeKind::Identifier.code() {
                    self.set(target.at, NodeKind::Command.code());
                    self.word(0);
                } else {
                    self.wrap(target.at, NodeKind::ExprStatement, target.span.start, None);
                    self.close(target.at, target.span.end);
                }
                return Some(target.height + 1);
            }
        };
        let assignable = target_kind == NodeKind::Identifier.code()
            || target_kind == NodeKind::Member.code()
            || target_kind == NodeKind::Index.code();
        if !assignable {
            self.diags.error(
                "SYN8",
                target.span,
                String::from(
                    "only a name, a member (`a.b`) or an index (`a[i]`) can be assigned to",
                ),
                &["a name", "a member", "an index"],
            );
            return None;
        }
        self.advance();
        self.wrap(
            target.at,
            NodeKind::Assign,
            target.span.start,
            Some(op.code()),
        );
        // `x++` / `x--` mean `x += 1` / `x -= 1`.
        let (end, height) = if matches!(token.kind, Tok::PlusPlus | Tok::MinusMinus) {
            self.number_node(1.0, token.span());
            (token.end, 1)
        } else {
            self.value_on_same_line("SYN8", token)?;
            let value = self.expression_in(true, false)?;
            (value.span.end, value.height)
        };
        self.close(target.at, end.max(target.span.end));
        Some(target.height.max(height) + 1)
    }

    /// `Let, from, to, declaration, name, has value, [value]`
    fn let_statement(&mut self) -> Option<u32> {
        let keyword_token = self.bump();
        let at = self.open(NodeKind::Let, keyword_token.start);
        let keyword = self.intern_token(keyword_token);
        self.word(keyword);
        let name_token = self.bump();
        let name = self.intern_token(name_token);
        self.word(name);
        let mut end = name_token.end;
        let mut height = 1;
        if self.at(Tok::Eq) && !self.tok().nl_before() {
            let eq = self.bump();
            self.value_on_same_line("SYN8", eq)?;
            self.word(1);
            let value = self.expression_in(true, false)?;
            end = value.span.end;
            height = value.height + 1;
        } else {
            self.word(0);
        }
        self.close(at, end);
        Some(height)
    }

    /// `Return, from, to, has value, [value]`
    fn return_statement(&mut self) -> Option<u32> {
        let keyword = self.bump();
        let at = self.open(NodeKind::Return, keyword.start);
        let next = self.tok();
        if next.nl_before() || matches!(next.kind, Tok::Semi | Tok::RBrace | Tok::Eof) {
            self.word(0);
            self.close(at, keyword.end);
            return Some(1);
        }
        self.word(1);
        let value = self.expression_in(true, false)?;
        self.close(at, value.span.end);
        Some(value.height + 1)
    }

    /// `if test { ... } [else if ... | else { ... }]`; `else` may start a new line.
    /// `If, from, to, test, then count, statements…, else count or NONE, [statements…]`
    /// The statements of a branch: a block, or one statement on the same
    /// line (`if (hit) score += 1`), written as a list of one.
    fn branch(&mut self, expected: &'static str) -> Option<u32> {
        let token = self.tok();
        if token.kind == Tok::LBrace {
            let open = self.bump();
            return self.statement_block(open);
        }
        if token.nl_before() || matches!(token.kind, Tok::RBrace | Tok::Semi | Tok::Eof) {
            self.unexpected("SYN8", &[expected]);
            return None;
        }
        if !self.enter() {
            return None;
        }
        self.word(1);
        let height = self.statement();
        self.leave();
        Some(height? + 1)
    }

    fn if_statement(&mut self) -> Option<u32> {
        let keyword = self.bump();
        if !self.enter() {
            return None;
        }
        let result = self.if_rest(keyword);
        self.leave();
        result
    }

    fn if_rest(&mut self, keyword: Token) -> Option<u32> {
        let at = self.open(NodeKind::If, keyword.start);
        let test = self.expression_in(false, false)?;
        let mut height = test
            .height
            .max(self.branch("`{` after the `if` condition")?);
        if self.is_word(self.tok(), "else") {
            self.advance();
            if self.is_word(self.tok(), "if") {
                self.word(1);
                height = height.max(self.if_statement()?);
            } else {
                height = height.max(self.branch("`{` or `if` after `else`")?);
            }
        } else {
            self.word(NO_SYM);
        }
        let end = self.prev().map_or(keyword.end, |t| t.end);
        self.close(at, end);
        Some(height + 1)
    }
}
