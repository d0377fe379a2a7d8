//! Expressions (rule SYN9): literals, names, arrays, object literals,
//! unary `-`/`!`, binary operators by precedence, member access, indexing
//! and calls.
//!
//! Two context flags shape where an expression ends:
//! - `newline_ends_expr`: in property values, array items, object entries and
//!   statements a line break ends the expression (an operator at the start
//!   of a line does not continue it); inside `( )` line breaks are ignored.
//!   A `.` may always continue on the next line (`a\n  .b()`).
//! - `command_args`: in a command's arguments, a space separates arguments:
//!   `(` or `[` after a space starts a new argument, and so does `-` with a
//!   space before it and none after (`move x -1` has two arguments).

use super::{Parser, Val};
use crate::lexer::{Tok, Token};
use crate::schema::{BinaryOp, NodeKind, UnaryOp};

fn binary_op(kind: Tok) -> Option<(BinaryOp, u8)> {
    Some(match kind {
        Tok::OrOr => (BinaryOp::Or, 1),
        Tok::AndAnd => (BinaryOp::And, 2),
        Tok::EqEq => (BinaryOp::Eq, 3),
        Tok::NotEq => (BinaryOp::NotEq, 3),
        Tok::EqEqEq => (BinaryOp::StrictEq, 3),
        Tok::NotEqEq => (BinaryOp::StrictNotEq, 3),
        Tok::Lt => (BinaryOp::Lt, 4),
        Tok::Le => (BinaryOp::Le, 4),
        Tok::Gt => (BinaryOp::Gt, 4),
        Tok::Ge => (BinaryOp::Ge, 4),
        Tok::Plus => (BinaryOp::Add, 5),
        Tok::Minus => (BinaryOp::Sub, 5),
        Tok::Star => (BinaryOp::Mul, 6),
        Tok::Slash => (BinaryOp::Div, 6),
        Tok::Percent => (BinaryOp::Rem, 6),
        _ => return None,
    })
}

const EXPECTED_VALUE: &[&str] =
    &["a value (number, string, colour, name, `true`, `false`, `null`, `[`, `{`, `(`)"];

impl<'a> Parser<'a> {
    /// Runs `f` with the given context flags, restoring them afterwards.
    pub(super) fn with_flags<T>(
        &mut self,
        newline_ends: bool,
        command: bool,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let saved = (self.newline_ends_expr, self.command_args);
        self.newline_ends_expr = newline_ends;
        self.command_args = command;
        let result = f(self);
        self.newline_ends_expr = saved.0;
        self.command_args = saved.1;
        result
    }

    pub(super) fn expression_in(&mut self, newline_ends: bool, command: bool) -> Option<Val> {
        self.with_flags(newline_ends, command, |p| p.expression())
    }

    /// An expression in the current context.
    pub(super) fn expression(&mut self) -> Option<Val> {
        self.binary(0)
    }

    /// Precedence climbing; operators of one level associate to the left.
    /// `Binary, from, to, op, left, right`: the header goes in front of `left`.
    fn binary(&mut self, min_precedence: u8) -> Option<Val> {
        let mut left = self.unary()?;
        loop {
            self.tick();
            let token = self.tok();
            let (op, precedence) = match binary_op(token.kind) {
                Some(found) => found,
                None => return Some(left),
            };
            if precedence < min_precedence || (self.newline_ends_expr && token.nl_before()) {
                return Some(left);
            }
            if self.command_args
                && token.kind == Tok::Minus
                && token.space_before()
                && !self.nth(1).space_before()
            {
                return Some(left);
            }
            self.bump();
            self.wrap(left.at, NodeKind::Binary, left.span.start, Some(op.code()));
            let right = self.binary(precedence + 1)?;
            let span = left.span.to(right.span);
            let height = left.height.max(right.height) + 1;
            self.check_height(height, span)?;
            self.close(left.at, span.end);
            left = Val {
                at: left.at,
                span,
                height,
            };
        }
    }

    /// `Unary, from, to, op, operand`; `-` before a number literal folds into
    /// a negative `Number`.
    fn unary(&mut self) -> Option<Val> {
        let token = self.tok();
        let op = match token.kind {
            Tok::Minus => UnaryOp::Neg,
            Tok::Bang => UnaryOp::Not,
            _ => return self.postfix(),
        };
        self.bump();
        if !self.enter() {
            return None;
        }
        let at = self.open(NodeKind::Unary, token.start);
        self.word(op.code());
        let operand = self.unary();
        self.leave();
        let operand = operand?;
        let span = token.span().to(operand.span);
        // `-5` is the number -5, not an operation on 5: vectors stay plain numbers.
        if op == UnaryOp::Neg && self.kind_at(operand.at) == NodeKind::Number.code() {
            let low = self.word_at(operand.at + 3);
            let high = self.word_at(operand.at + 4) ^ 0x8000_0000;
            self.rollback(at);
            self.number_node(f64::from_bits(u64::from(low) | u64::from(high) << 32), span);
            return Some(Val {
                at,
                span,
                height: 1,
            });
        }
        let height = operand.height + 1;
        self.check_height(height, span)?;
        self.close(at, span.end);
        Some(Val { at, span, height })
    }

    /// Member access, indexes and calls after a primary value; each wraps
    /// what came before: `Member, from, to, object, name`,
    /// `Index, from, to, object, index`, `Call, from, to, callee, count, args…`.
    fn postfix(&mut self) -> Option<Val> {
        let mut expr = self.primary()?;
        loop {
            self.tick();
            let token = self.tok();
            let separated = (self.newline_ends_expr && token.nl_before())
                || (self.command_args && token.space_before());
            let height = match token.kind {
                Tok::Dot => {
                    self.bump();
                    let name = self.expect(Tok::Ident, "SYN9", "a member name after `.`")?;
                    self.wrap(expr.at, NodeKind::Member, expr.span.start, None);
                    let name = self.intern_token(name);
                    self.word(name);
                    expr.height
                }
                Tok::LParen if !separated => {
                    let open = self.bump();
                    self.wrap(expr.at, NodeKind::Call, expr.span.start, None);
                    let args = self.list(open, Tok::RParen, false, "the call arguments")?;
                    expr.height.max(args)
                }
                Tok::LBracket if !separated => {
                    self.bump();
                    if !self.enter() {
                        return None;
                    }
                    self.wrap(expr.at, NodeKind::Index, expr.span.start, None);
                    let index = self.with_flags(false, false, |p| p.expression());
                    self.leave();
                    let index = index?;
                    self.expect(Tok::RBracket, "SYN9", "`]` after the index")?;
                    expr.height.max(index.height)
                }
                _ => return Some(expr),
            };
            let span = expr.span.to(self.prev().map_or(token.span(), |t| t.span()));
            let height = height + 1;
            self.check_height(height, span)?;
            self.close(expr.at, span.end);
            expr = Val {
                at: expr.at,
                span,
                height,
            };
        }
    }

    fn primary(&mut self) -> Option<Val> {
        let token = self.tok();
        let at = self.mark();
        match token.kind {
            Tok::Number => {
                let value = self.number_value(token)?;
                self.number_node(value, token.span());
            }
            Tok::Str => {
                let value = self.string_value(token);
                self.header(NodeKind::String, token.span());
                self.word(value);
            }
            Tok::Color => {
                let value = self.intern_token(token);
                self.header(NodeKind::Color, token.span());
                self.word(value);
            }
            Tok::Ident => match self.text(token) {
                b"true" | b"false" => {
                    let value = self.text(token) == b"true";
                    self.header(NodeKind::Boolean, token.span());
                    self.word(u32::from(value));
                }
                b"null" => self.header(NodeKind::Null, token.span()),
                _ => {
                    let name = self.intern_token(token);
                    self.header(NodeKind::Identifier, token.span());
                    self.word(name);
                }
            },
            Tok::LParen => return self.parenthesized(),
            Tok::LBracket => {
                let open = self.bump();
                let node = self.open(NodeKind::ArrayLiteral, open.start);
                let items = self.list(open, Tok::RBracket, true, "the array")?;
                let span = open
                    .span()
                    .to(self.prev().map_or(open.span(), |t| t.span()));
                let height = items + 1;
                self.check_height(height, span)?;
                self.close(node, span.end);
                return Some(Val {
                    at: node,
                    span,
                    height,
                });
            }
            Tok::LBrace => return self.object_literal(),
            _ => {
                self.unexpected("SYN9", EXPECTED_VALUE);
                return None;
            }
        }
        self.bump();
        Some(Val {
            at,
            span: token.span(),
            height: 1,
        })
    }

    /// `( expression )`: no node of its own; the inner node takes the span
    /// of the parentheses.
    fn parenthesized(&mut self) -> Option<Val> {
        let open = self.bump();
        if !self.enter() {
            return None;
        }
        let inner = self.with_flags(false, false, |p| p.expression());
        self.leave();
        let mut inner = inner?;
        if !self.at(Tok::RParen) {
            if self.at(Tok::Eof) {
                self.unclosed("the parenthesis", open, "`)`");
            } else {
                self.unexpected("SYN9", &["`)`"]);
            }
            return None;
        }
        let close = self.bump();
        inner.span = open.span().to(close.span());
        let from = self.utf16(inner.span.start);
        self.set(inner.at + 1, from);
        self.close(inner.at, inner.span.end);
        Some(inner)
    }

    /// Items up to `close`, separated by `,` (and by line breaks when
    /// `newline_separates`, as in arrays); a trailing `,` is allowed.
    /// Writes `count, items…`; returns the greatest item height.
    fn list(
        &mut self,
        open: Token,
        close: Tok,
        newline_separates: bool,
        what: &str,
    ) -> Option<u32> {
        if !self.enter() {
            return None;
        }
        let closing = if close == Tok::RParen { "`)`" } else { "`]`" };
        let count = self.placeholder();
        let result = self.with_flags(newline_separates, false, |p| {
            let mut items = 0u32;
            let mut height = 0u32;
            let mut separated = true;
            loop {
                p.tick();
                let token = p.tok();
                if token.kind == close {
                    p.bump();
                    return Some((items, height));
                }
                if token.kind == Tok::Eof {
                    p.unclosed(what, open, closing);
                    return None;
                }
                if !(separated || (newline_separates && token.nl_before())) {
                    p.unexpected("SYN9", &["`,`", closing]);
                    return None;
                }
                height = height.max(p.expression()?.height);
                items += 1;
                separated = p.at(Tok::Comma);
                if separated {
                    p.bump();
                }
            }
        });
        self.leave();
        let (items, height) = result?;
        self.set(count, items);
        Some(height)
    }

    /// `{ key: value, ... }`; entries separated by `,`, `;` or line breaks;
    /// keys are names or strings. `ObjectLiteral, from, to, count, (key, value)…`
    fn object_literal(&mut self) -> Option<Val> {
        let open = self.bump();
        if !self.enter() {
            return None;
        }
        let node = self.open(NodeKind::ObjectLiteral, open.start);
        let count = self.placeholder();
        let entries = self.with_flags(true, false, |p| {
            let mut entries = 0u32;
            let mut height = 0u32;
            let mut separated = true;
            loop {
                p.tick();
                let token = p.tok();
                match token.kind {
                    Tok::RBrace => {
                        p.bump();
                        return Some((entries, height));
                    }
                    Tok::Eof => {
                        p.unclosed("the object", open, "`}`");
                        return None;
                    }
                    Tok::Comma | Tok::Semi if separated && entries > 0 => {
                        p.unexpected("SYN9", &["a key", "`}`"]);
                        return None;
                    }
                    _ => {}
                }
                if !separated && !token.nl_before() {
                    p.unexpected("SYN9", &["`,`", "`;`", "a line break", "`}`"]);
                    return None;
                }
                let key = match token.kind {
                    Tok::Ident => p.intern_token(token),
                    Tok::Str => p.string_value(token),
                    _ => {
                        p.unexpected("SYN9", &["a key (a name or a string)", "`}`"]);
                        return None;
                    }
                };
                p.bump();
                let colon = p.expect(Tok::Colon, "SYN9", "`:` after the key")?;
                p.value_on_same_line("SYN9", colon)?;
                p.word(key);
                height = height.max(p.expression()?.height);
                entries += 1;
                separated = matches!(p.tok().kind, Tok::Comma | Tok::Semi);
                if separated {
                    p.bump();
                }
            }
        });
        self.leave();
        let (entries, height) = entries?;
        self.set(count, entries);
        let span = open
            .span()
            .to(self.prev().map_or(open.span(), |t| t.span()));
        let height = height + 1;
        self.check_height(height, span)?;
        self.close(node, span.end);
        Some(Val {
            at: node,
            span,
            height,
        })
    }
}
