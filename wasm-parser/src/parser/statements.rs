//! Handler bodies: statements (rules SYN8, SYN9). Statements end at a line
//! break or `;`. A line that starts with a name followed by a space and a
//! value is a command (`set grabbed true`, `spawn "Cube" at [0, 1, 0]`).

use super::Parser;
use crate::intern::NO_SYM;
use crate::lexer::{Tok, Token};
use crate::schema::{AssignOp, NodeKind};

impl<'a> Parser<'a> {
    /// Statements up to the `}` matching `open` (already consumed), written
    /// as `count, statements…`. A body missing its `}` at the end of the
    /// input is kept (SYN4 reported).
    pub(super) fn statement_block(&mut self, open: Token) -> Option<()> {
        if !self.enter() {
            return None;
        }
        let count = self.placeholder();
        let mut written = 0u32;
        let mut need_separator = false;
        loop {
            self.tick();
            let token = self.tok();
            match token.kind {
                Tok::Eof => {
                    self.unclosed("the statement block", open, "`}`");
                    break;
                }
                Tok::RBrace => {
                    self.bump();
                    break;
                }
                Tok::Semi => {
                    self.bump();
                    need_separator = false;
                    continue;
                }
                _ => {}
            }
            if need_separator && !token.nl_before() {
                self.unexpected("SYN8", &["a line break", "`;`"]);
                self.skip_construct(false);
                need_separator = false;
                continue;
            }
            let start = self.pos;
            let mark = self.mark();
            match self.statement() {
                Some(()) => {
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
        Some(())
    }

    fn statement(&mut self) -> Option<()> {
        let token = self.tok();
        if token.kind == Tok::Ident {
            let word = self.text(token);
            match word {
                b"if" => return self.if_statement(),
                b"let" | b"const" | b"var" if self.nth(1).kind == Tok::Ident => {
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
            | Tok::Str
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

    /// `Command, from, to, name, arg count, args…`
    fn command(&mut self) -> Option<()> {
        let name_token = self.bump();
        let at = self.open(NodeKind::Command, name_token.start);
        let name = self.intern_token(name_token);
        self.word(name);
        let count = self.placeholder();
        let mut args = 0u32;
        loop {
            self.tick();
            let token = self.tok();
            if token.nl_before() || matches!(token.kind, Tok::Semi | Tok::RBrace | Tok::Eof) {
                break;
            }
            self.expression_in(true, true)?;
            args += 1;
        }
        self.set(count, args);
        let end = self.prev().map_or(name_token.end, |t| t.end);
        self.close(at, end);
        Some(())
    }

    /// An expression, an assignment (`Assign, from, to, op, target, value`)
    /// or, for a lone name, a command without arguments.
    fn expression_statement(&mut self) -> Option<()> {
        let target = self.expression_in(true, false)?;
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
                return Some(());
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
        self.bump();
        self.wrap(
            target.at,
            NodeKind::Assign,
            target.span.start,
            Some(op.code()),
        );
        // `x++` / `x--` mean `x += 1` / `x -= 1`.
        let end = if matches!(token.kind, Tok::PlusPlus | Tok::MinusMinus) {
            self.number_node(1.0, token.span());
            token.end
        } else {
            self.value_on_same_line("SYN8", token)?;
            self.expression_in(true, false)?.span.end
        };
        self.close(target.at, end.max(target.span.end));
        Some(())
    }

    /// `Let, from, to, declaration, name, has value, [value]`
    fn let_statement(&mut self) -> Option<()> {
        let keyword_token = self.bump();
        let at = self.open(NodeKind::Let, keyword_token.start);
        let keyword = self.intern_token(keyword_token);
        self.word(keyword);
        let name_token = self.bump();
        let name = self.intern_token(name_token);
        self.word(name);
        let mut end = name_token.end;
        if self.at(Tok::Eq) && !self.tok().nl_before() {
            let eq = self.bump();
            self.value_on_same_line("SYN8", eq)?;
            self.word(1);
            end = self.expression_in(true, false)?.span.end;
        } else {
            self.word(0);
        }
        self.close(at, end);
        Some(())
    }

    /// `Return, from, to, has value, [value]`
    fn return_statement(&mut self) -> Option<()> {
        let keyword = self.bump();
        let at = self.open(NodeKind::Return, keyword.start);
        let next = self.tok();
        if next.nl_before() || matches!(next.kind, Tok::Semi | Tok::RBrace | Tok::Eof) {
            self.word(0);
            self.close(at, keyword.end);
            return Some(());
        }
        self.word(1);
        let value = self.expression_in(true, false)?;
        self.close(at, value.span.end);
        Some(())
    }

    /// `if test { ... } [else if ... | else { ... }]`; `else` may start a new line.
    /// `If, from, to, test, then count, statements…, else count or NONE, [statements…]`
    fn if_statement(&mut self) -> Option<()> {
        let keyword = self.bump();
        if !self.enter() {
            return None;
        }
        let result = self.if_rest(keyword);
        self.leave();
        result
    }

    fn if_rest(&mut self, keyword: Token) -> Option<()> {
        let at = self.open(NodeKind::If, keyword.start);
        self.expression_in(false, false)?;
        let open = self.expect(Tok::LBrace, "SYN8", "`{` after the `if` condition")?;
        self.statement_block(open)?;
        if self.is_word(self.tok(), "else") {
            self.bump();
            if self.is_word(self.tok(), "if") {
                self.word(1);
                self.if_statement()?;
            } else {
                let open = self.expect(Tok::LBrace, "SYN8", "`{` or `if` after `else`")?;
                self.statement_block(open)?;
            }
        } else {
            self.word(NO_SYM);
        }
        let end = self.prev().map_or(keyword.end, |t| t.end);
        self.close(at, end);
        Some(())
    }
}
