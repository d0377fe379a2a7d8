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

use super::Parser;
use crate::ast::{Entry, Expr, ExprKind, Num};
use crate::diagnostics::Span;
use crate::lexer::Tok;
use crate::schema::{BinaryOp, UnaryOp};

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

    pub(super) fn expression_in(&mut self, newline_ends: bool, command: bool) -> Option<Expr> {
        self.with_flags(newline_ends, command, |p| p.expression())
    }

    /// An expression in the current context.
    pub(super) fn expression(&mut self) -> Option<Expr> {
        self.binary(0)
    }

    /// Precedence climbing; operators of one level associate to the left.
    fn binary(&mut self, min_precedence: u8) -> Option<Expr> {
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
            let right = self.binary(precedence + 1)?;
            let span = left.span.to(right.span);
            let height = left.height.max(right.height) + 1;
            self.check_height(height, span)?;
            left = Expr {
                kind: ExprKind::Binary(op, Box::new(left), Box::new(right)),
                span,
                height,
            };
        }
    }

    fn unary(&mut self) -> Option<Expr> {
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
        let operand = self.unary();
        self.leave();
        let operand = operand?;
        let span = token.span().to(operand.span);
        // `-5` is the number -5, not an operation on 5: vectors stay plain numbers.
        if let (UnaryOp::Neg, ExprKind::Number(num)) = (op, &operand.kind) {
            return Some(Expr {
                kind: ExprKind::Number(Num {
                    value: -num.value,
                    digits: num.digits,
                }),
                span,
                height: 1,
            });
        }
        let height = operand.height + 1;
        self.check_height(height, span)?;
        Some(Expr {
            kind: ExprKind::Unary(op, Box::new(operand)),
            span,
            height,
        })
    }

    fn postfix(&mut self) -> Option<Expr> {
        let mut expr = self.primary()?;
        loop {
            self.tick();
            let token = self.tok();
            let separated = (self.newline_ends_expr && token.nl_before())
                || (self.command_args && token.space_before());
            let kind = match token.kind {
                Tok::Dot => {
                    self.bump();
                    let name = self.expect(Tok::Ident, "SYN9", "a member name after `.`")?;
                    ExprKind::Member(Box::new(expr), self.intern_token(name))
                }
                Tok::LParen if !separated => {
                    let open = self.bump();
                    let args = self.list(open, Tok::RParen, false, "the call arguments")?;
                    ExprKind::Call(Box::new(expr), args)
                }
                Tok::LBracket if !separated => {
                    self.bump();
                    if !self.enter() {
                        return None;
                    }
                    let index = self.with_flags(false, false, |p| p.expression());
                    self.leave();
                    let index = index?;
                    self.expect(Tok::RBracket, "SYN9", "`]` after the index")?;
                    ExprKind::Index(Box::new(expr), Box::new(index))
                }
                _ => return Some(expr),
            };
            let span = expr_span_start(&kind).to(self.prev().map_or(token.span(), |t| t.span()));
            let height = child_height(&kind) + 1;
            self.check_height(height, span)?;
            expr = Expr { kind, span, height };
        }
    }

    fn primary(&mut self) -> Option<Expr> {
        let token = self.tok();
        let kind = match token.kind {
            Tok::Number => ExprKind::Number(Num {
                value: self.number_value(token)?,
                digits: token.span(),
            }),
            Tok::Str => ExprKind::Str(self.string_value(token)),
            Tok::Color => ExprKind::Color(self.intern_token(token)),
            Tok::Ident => match self.text(token) {
                b"true" => ExprKind::Bool(true),
                b"false" => ExprKind::Bool(false),
                b"null" => ExprKind::Null,
                _ => ExprKind::Ident(self.intern_token(token)),
            },
            Tok::LParen => return self.parenthesized(),
            Tok::LBracket => {
                let open = self.bump();
                let items = self.list(open, Tok::RBracket, true, "the array")?;
                let span = open
                    .span()
                    .to(self.prev().map_or(open.span(), |t| t.span()));
                let height = items.iter().map(|e| e.height).max().unwrap_or(0) + 1;
                self.check_height(height, span)?;
                return Some(Expr {
                    kind: ExprKind::Array(items),
                    span,
                    height,
                });
            }
            Tok::LBrace => return self.object_literal(),
            _ => {
                self.unexpected("SYN9", EXPECTED_VALUE);
                return None;
            }
        };
        self.bump();
        Some(Expr {
            kind,
            span: token.span(),
            height: 1,
        })
    }

    fn parenthesized(&mut self) -> Option<Expr> {
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
        Some(inner)
    }

    /// Items up to `close`, separated by `,` (and by line breaks when
    /// `newline_separates`, as in arrays); a trailing `,` is allowed.
    fn list(
        &mut self,
        open: crate::lexer::Token,
        close: Tok,
        newline_separates: bool,
        what: &str,
    ) -> Option<Vec<Expr>> {
        if !self.enter() {
            return None;
        }
        let closing = if close == Tok::RParen { "`)`" } else { "`]`" };
        let result = self.with_flags(newline_separates, false, |p| {
            let mut items = Vec::new();
            let mut separated = true;
            loop {
                p.tick();
                let token = p.tok();
                if token.kind == close {
                    p.bump();
                    return Some(items);
                }
                if token.kind == Tok::Eof {
                    p.unclosed(what, open, closing);
                    return None;
                }
                if !(separated || (newline_separates && token.nl_before())) {
                    p.unexpected("SYN9", &["`,`", closing]);
                    return None;
                }
                items.push(p.expression()?);
                separated = p.at(Tok::Comma);
                if separated {
                    p.bump();
                }
            }
        });
        self.leave();
        result
    }

    /// `{ key: value, ... }`; entries separated by `,`, `;` or line breaks;
    /// keys are names or strings.
    fn object_literal(&mut self) -> Option<Expr> {
        let open = self.bump();
        if !self.enter() {
            return None;
        }
        let entries = self.with_flags(true, false, |p| {
            let mut entries = Vec::new();
            let mut separated = true;
            loop {
                p.tick();
                let token = p.tok();
                match token.kind {
                    Tok::RBrace => {
                        p.bump();
                        return Some(entries);
                    }
                    Tok::Eof => {
                        p.unclosed("the object", open, "`}`");
                        return None;
                    }
                    Tok::Comma | Tok::Semi if separated && !entries.is_empty() => {
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
                let value = p.expression()?;
                entries.push(Entry { key, value });
                separated = matches!(p.tok().kind, Tok::Comma | Tok::Semi);
                if separated {
                    p.bump();
                }
            }
        });
        self.leave();
        let entries = entries?;
        let span = open
            .span()
            .to(self.prev().map_or(open.span(), |t| t.span()));
        let height = entries.iter().map(|e| e.value.height).max().unwrap_or(0) + 1;
        self.check_height(height, span)?;
        Some(Expr {
            kind: ExprKind::Object(entries),
            span,
            height,
        })
    }
}

/// Where a postfix expression starts: at its innermost left operand.
fn expr_span_start(kind: &ExprKind) -> Span {
    match kind {
        ExprKind::Member(object, _) | ExprKind::Index(object, _) | ExprKind::Call(object, _) => {
            object.span
        }
        _ => Span::default(),
    }
}

fn child_height(kind: &ExprKind) -> u32 {
    match kind {
        ExprKind::Member(object, _) => object.height,
        ExprKind::Index(object, index) => object.height.max(index.height),
        ExprKind::Call(callee, args) => args.iter().map(|a| a.height).fold(callee.height, u32::max),
        _ => 0,
    }
}
