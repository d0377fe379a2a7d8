//! Expressions (rules SYN9, SYN11-SYN14): literals, names, arrays, object
//! literals, template strings, unary `-`/`!`, binary operators by
//! precedence, conditionals, member access (also optional), indexing,
//! calls, functions, spread, numbers with units, traits and generic types
//! as values.
//!
//! Three context flags shape where an expression ends:
//! - `newline_ends_expr`: in property values, array items, object entries and
//!   statements a line break ends the expression (an operator at the start
//!   of a line does not continue it); inside `( )` line breaks are ignored.
//!   A `.` (or `?.`) may always continue on the next line (`a\n  .b()`).
//! - `command_args`: in a command's arguments, a space separates arguments:
//!   `(` or `[` after a space starts a new argument, and so does `-` with a
//!   space before it and none after (`move x -1` has two arguments).

use super::{Parser, Val};
use crate::intern::NO_SYM;
use crate::lexer::{Tok, Token};
use crate::schema::{BinaryOp, FunctionForm, NodeKind, UnaryOp};

/// Binary operators and their precedence (higher binds tighter); `**` is
/// the only one that associates to the right.
fn binary_op(kind: Tok) -> Option<(BinaryOp, u8)> {
    Some(match kind {
        Tok::OrOr => (BinaryOp::Or, 1),
        Tok::QuestionQuestion => (BinaryOp::Nullish, 1),
        Tok::AndAnd => (BinaryOp::And, 2),
        Tok::Pipe => (BinaryOp::BitOr, 3),
        Tok::Amp => (BinaryOp::BitAnd, 4),
        Tok::EqEq => (BinaryOp::Eq, 5),
        Tok::NotEq => (BinaryOp::NotEq, 5),
        Tok::EqEqEq => (BinaryOp::StrictEq, 5),
        Tok::NotEqEq => (BinaryOp::StrictNotEq, 5),
        Tok::Lt => (BinaryOp::Lt, 6),
        Tok::Le => (BinaryOp::Le, 6),
        Tok::Gt => (BinaryOp::Gt, 6),
        Tok::Ge => (BinaryOp::Ge, 6),
        Tok::Plus => (BinaryOp::Add, 7),
        Tok::Minus => (BinaryOp::Sub, 7),
        Tok::Star => (BinaryOp::Mul, 8),
        Tok::Slash => (BinaryOp::Div, 8),
        Tok::Percent => (BinaryOp::Rem, 8),
        Tok::StarStar => (BinaryOp::Pow, 9),
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

    /// An expression in the current context: a binary expression, maybe the
    /// test of a conditional `test ? then : else` (SYN11).
    /// `Conditional, from, to, test, then, else`.
    pub(super) fn expression(&mut self) -> Option<Val> {
        // The most common value, one token with the end of the value after it
        // (`1.5,` in a vector, `"box"` or `y` at the end of its line), is
        // written without the climb through the precedence levels, which
        // would each stop at that end anyway.
        let token = self.tok();
        if matches!(
            token.kind,
            Tok::Number | Tok::Quantity | Tok::Str | Tok::Color | Tok::Ident | Tok::TemplateFull
        ) && self.value_ends_after()
        {
            return self.primary();
        }
        let test = self.binary(0)?;
        let question = self.tok();
        if question.kind != Tok::Question || (self.newline_ends_expr && question.nl_before()) {
            return Some(test);
        }
        self.advance();
        if !self.enter() {
            return None;
        }
        self.wrap(test.at, NodeKind::Conditional, test.span.start, None);
        let then = self.with_flags(false, false, |p| p.expression());
        let result = then.and_then(|then| {
            self.expect(
                Tok::Colon,
                "SYN11",
                "`:` and the value if the test is false",
            )?;
            let otherwise = self.expression()?;
            Some((then, otherwise))
        });
        self.leave();
        let (then, otherwise) = result?;
        let span = test.span.to(otherwise.span);
        let height = test.height.max(then.height).max(otherwise.height) + 1;
        self.check_height(height, span)?;
        self.close(test.at, span.end);
        Some(Val {
            at: test.at,
            span,
            height,
        })
    }

    /// Whether the token after the current one ends the value: closing or
    /// separating punctuation, or a line break where one ends expressions
    /// (except before `.`, which may continue a value on the next line).
    #[inline(always)]
    fn value_ends_after(&self) -> bool {
        let next = self.nth(1);
        match next.kind {
            Tok::Comma | Tok::Semi | Tok::RBracket | Tok::RBrace | Tok::RParen | Tok::Eof => true,
            Tok::Dot | Tok::QuestionDot => false,
            _ => self.newline_ends_expr && next.nl_before(),
        }
    }

    /// Precedence climbing; operators of one level associate to the left
    /// (`**` to the right). `Binary, from, to, op, left, right`: the header
    /// goes in front of `left`.
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
            self.advance();
            self.wrap(left.at, NodeKind::Binary, left.span.start, Some(op.code()));
            // Not among a command's arguments: spaces separate those already.
            let right = if op == BinaryOp::BitOr && !self.command_args && self.starts_filter() {
                self.filter_call()?
            } else if op == BinaryOp::Pow {
                self.binary(precedence)?
            } else {
                self.binary(precedence + 1)?
            };
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

    /// After `|`: a name, a space and a value on the same line is a filter
    /// with space-separated arguments (`value | map [0, 1] to [2, 3]`).
    fn starts_filter(&self) -> bool {
        let name = self.tok();
        let next = self.nth(1);
        name.kind == Tok::Ident
            && !(self.text(name) == b"function" && self.function_ahead())
            && !next.nl_before()
            && next.space_before()
            && matches!(
                next.kind,
                Tok::Ident
                    | Tok::Number
                    | Tok::Quantity
                    | Tok::Str
                    | Tok::TemplateFull
                    | Tok::TemplateHead
                    | Tok::Color
                    | Tok::LBracket
            )
    }

    /// A filter (SYN12): `name arg arg…` to the end of the line, written as
    /// a call of `name` with those arguments.
    fn filter_call(&mut self) -> Option<Val> {
        if !self.enter() {
            return None;
        }
        let result = self.filter_call_guarded();
        self.leave();
        result
    }

    fn filter_call_guarded(&mut self) -> Option<Val> {
        let name = self.bump();
        let at = self.mark();
        let sym = self.intern_token(name);
        self.header(NodeKind::Identifier, name.span());
        self.word(sym);
        self.wrap(at, NodeKind::Call, name.start, None);
        self.word(0);
        let count = self.placeholder();
        let mut args = 0u32;
        let mut height = 1u32;
        let mut end = name.end;
        loop {
            self.tick();
            let token = self.tok();
            if token.nl_before()
                || matches!(
                    token.kind,
                    Tok::Semi | Tok::Comma | Tok::RBrace | Tok::RParen | Tok::RBracket | Tok::Eof
                )
            {
                break;
            }
            let arg = self.expression_in(true, true)?;
            height = height.max(arg.height);
            end = arg.span.end;
            args += 1;
        }
        self.set(count, args);
        self.close(at, end);
        let span = name.span().to(crate::diagnostics::Span::new(end, end));
        Some(Val {
            at,
            span,
            height: height + 1,
        })
    }

    /// `Unary, from, to, op, operand`; `-` before a number literal folds into
    /// a negative `Number` (or `Quantity`).
    fn unary(&mut self) -> Option<Val> {
        let token = self.tok();
        let op = match token.kind {
            Tok::Minus => UnaryOp::Neg,
            Tok::Bang => UnaryOp::Not,
            _ => return self.postfix(),
        };
        self.advance();
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
        let kind = self.kind_at(operand.at);
        if op == UnaryOp::Neg
            && (kind == NodeKind::Number.code() || kind == NodeKind::Quantity.code())
        {
            let low = self.word_at(operand.at + 3);
            let high = self.word_at(operand.at + 4) ^ 0x8000_0000;
            let unit = self.word_at(operand.at + 5);
            self.rollback(at);
            self.number_node(f64::from_bits(u64::from(low) | u64::from(high) << 32), span);
            if kind == NodeKind::Quantity.code() {
                self.set(at, NodeKind::Quantity.code());
                self.word(unit);
            }
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
    /// what came before: `Member, from, to, object, name, optional`,
    /// `Index, from, to, object, index, optional`,
    /// `Call, from, to, callee, optional, count, args…`. `?.` makes the
    /// optional forms (SYN11).
    fn postfix(&mut self) -> Option<Val> {
        let mut expr = self.primary()?;
        loop {
            self.tick();
            let token = self.tok();
            let separated = (self.newline_ends_expr && token.nl_before())
                || (self.command_args && token.space_before());
            let optional = token.kind == Tok::QuestionDot;
            let next = if optional { self.nth(1) } else { token };
            let height = match (token.kind, next.kind) {
                (Tok::Dot, _) | (Tok::QuestionDot, Tok::Ident) => {
                    self.advance();
                    let name = self.expect(Tok::Ident, "SYN9", "a member name after `.`")?;
                    self.wrap(expr.at, NodeKind::Member, expr.span.start, None);
                    let name = self.intern_token(name);
                    self.word(name);
                    self.word(u32::from(optional));
                    expr.height
                }
                (Tok::LParen, _) | (Tok::QuestionDot, Tok::LParen) if !separated || optional => {
                    if optional {
                        self.advance();
                    }
                    let open = self.bump();
                    self.wrap(expr.at, NodeKind::Call, expr.span.start, None);
                    self.word(u32::from(optional));
                    let (count, args, height) =
                        self.list(open, Tok::RParen, false, "the call arguments")?;
                    self.last_call = Some((expr.at, count, args));
                    expr.height.max(height)
                }
                (Tok::LBracket, _) | (Tok::QuestionDot, Tok::LBracket)
                    if !separated || optional =>
                {
                    if optional {
                        self.advance();
                    }
                    self.advance();
                    if !self.enter() {
                        return None;
                    }
                    self.wrap(expr.at, NodeKind::Index, expr.span.start, None);
                    let index = self.with_flags(false, false, |p| p.expression());
                    self.leave();
                    let index = index?;
                    self.expect(Tok::RBracket, "SYN9", "`]` after the index")?;
                    self.word(u32::from(optional));
                    expr.height.max(index.height)
                }
                (Tok::QuestionDot, _) => {
                    self.advance();
                    self.unexpected("SYN9", &["a member name", "`(`", "`[`"]);
                    return None;
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
            Tok::Quantity => {
                let (value, unit) = self.quantity_value(token)?;
                self.number_node(value, token.span());
                self.set(at, NodeKind::Quantity.code());
                self.word(unit);
            }
            Tok::Str => {
                let value = self.string_value(token);
                self.header(NodeKind::String, token.span());
                self.word(value);
            }
            Tok::TemplateFull | Tok::TemplateHead => return self.template(),
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
                b"null" | b"undefined" => self.header(NodeKind::Null, token.span()),
                b"function" if self.function_ahead() => return self.function_expression(),
                _ if self.nth(1).kind == Tok::Arrow && !self.nth(1).nl_before() => {
                    return self.arrow_function()
                }
                _ if self.generic_ahead() => return self.generic(),
                _ => {
                    let name = self.intern_token(token);
                    self.header(NodeKind::Identifier, token.span());
                    self.word(name);
                }
            },
            Tok::LParen if self.arrow_params_ahead() => return self.arrow_function(),
            Tok::LParen => return self.parenthesized(),
            Tok::LBracket => {
                let open = self.bump();
                let node = self.open(NodeKind::ArrayLiteral, open.start);
                let (_, _, items) = self.list(open, Tok::RBracket, true, "the array")?;
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
            // A trait as a value: `response: @intent_driven`, `@a | @b` (SYN13).
            Tok::At => {
                let height = self.trait_(false)?;
                let span = token
                    .span()
                    .to(self.prev().map_or(token.span(), |t| t.span()));
                return Some(Val { at, span, height });
            }
            _ => {
                self.unexpected("SYN9", EXPECTED_VALUE);
                return None;
            }
        }
        self.advance();
        Some(Val {
            at,
            span: token.span(),
            height: 1,
        })
    }

    /// `` `text ${value} text` `` (LEX7): `TemplateString, from, to, substitution
    /// count, first text, (value, text)…`, texts with escapes decoded.
    fn template(&mut self) -> Option<Val> {
        let first = self.bump();
        let at = self.open(NodeKind::TemplateString, first.start);
        let count = self.placeholder();
        let text = self.template_text(first);
        self.word(text);
        let mut substitutions = 0u32;
        let mut height = 0u32;
        let mut last = first;
        if first.kind == Tok::TemplateHead {
            if !self.enter() {
                return None;
            }
            let result = self.with_flags(false, false, |p| loop {
                p.tick();
                let value = p.expression()?;
                height = height.max(value.height);
                substitutions += 1;
                let part = p.tok();
                match part.kind {
                    Tok::TemplateMiddle | Tok::TemplateTail => {
                        p.advance();
                        let text = p.template_text(part);
                        p.word(text);
                        last = part;
                        if part.kind == Tok::TemplateTail {
                            return Some(());
                        }
                    }
                    Tok::Eof => {
                        p.unclosed("the template substitution", first, "`}`");
                        return None;
                    }
                    _ => {
                        p.unexpected("SYN9", &["`}` to close the substitution"]);
                        return None;
                    }
                }
            });
            self.leave();
            result?;
        }
        self.set(count, substitutions);
        let span = first.span().to(last.span());
        let height = height + 1;
        self.check_height(height, span)?;
        self.close(at, span.end);
        Some(Val { at, span, height })
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
    /// `newline_separates`, as in arrays); a trailing `,` is allowed, and
    /// `...value` spreads a list (SYN11). Writes `count, items…`; returns
    /// the count's index, the count and the greatest item height.
    fn list(
        &mut self,
        open: Token,
        close: Tok,
        newline_separates: bool,
        what: &str,
    ) -> Option<(usize, u32, u32)> {
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
                    p.advance();
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
                height = height.max(p.item()?.height);
                items += 1;
                separated = p.at(Tok::Comma);
                if separated {
                    p.advance();
                }
            }
        });
        self.leave();
        let (items, height) = result?;
        self.set(count, items);
        Some((count, items, height))
    }

    /// A list item or call argument: an expression or `...value` (`Spread, from, to, value`).
    fn item(&mut self) -> Option<Val> {
        let token = self.tok();
        if token.kind != Tok::Ellipsis {
            return self.expression();
        }
        self.advance();
        let at = self.open(NodeKind::Spread, token.start);
        let value = self.expression()?;
        let span = token.span().to(value.span);
        let height = value.height + 1;
        self.check_height(height, span)?;
        self.close(at, span.end);
        Some(Val { at, span, height })
    }

    /// `{ key: value, ... }`; entries separated by `,`, `;`, line breaks or
    /// spaces; `{ x, y }` is short for `{ x: x, y: y }`.
    /// Keys are names, strings, numbers (`0: "#808080"`, `50%: { }`) or
    /// dotted names (`source.type: "quilt"`, SYN5); `key?:` and `= default`
    /// make a `Field` (SYN14); `...value` spreads a record (the key is `...`).
    /// `ObjectLiteral, from, to, count, (key, value)…`
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
                        p.advance();
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
                if !separated && !token.space_before() {
                    p.unexpected("SYN9", &["`,`", "`;`", "a line break", "`}`"]);
                    return None;
                }
                let next = p.nth(1);
                let literal = matches!(p.text(token), b"true" | b"false" | b"null" | b"undefined");
                if token.kind == Tok::Ident
                    && !literal
                    && (next.nl_before() || matches!(next.kind, Tok::Comma | Tok::RBrace))
                {
                    // `{ x, y }` is `{ x: x, y: y }`.
                    let key = p.intern_token(token);
                    p.word(key);
                    p.header(NodeKind::Identifier, token.span());
                    p.word(key);
                    p.advance();
                    height = height.max(1);
                } else if token.kind == Tok::Ellipsis {
                    let key = p.strings.intern("...");
                    p.word(key);
                    height = height.max(p.item()?.height);
                } else {
                    let key = p.key()?;
                    p.word(key.sym);
                    height = height.max(p.field_value(key.optional)?.height);
                }
                entries += 1;
                separated = matches!(p.tok().kind, Tok::Comma | Tok::Semi);
                if separated {
                    p.advance();
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

    /// A key and its `:` (or `?:`) in an object literal.
    fn key(&mut self) -> Option<Key> {
        let token = self.tok();
        let sym = match token.kind {
            Tok::Ident => self.dotted_key(),
            Tok::Str => {
                self.advance();
                self.string_value(token)
            }
            Tok::Number | Tok::Quantity => {
                self.advance();
                self.intern_token(token)
            }
            _ => {
                self.unexpected("SYN9", &["a key (a name or a string)", "`}`"]);
                return None;
            }
        };
        let optional = self.at(Tok::Question) && self.nth(1).kind == Tok::Colon;
        if optional {
            self.advance();
        }
        let colon = self.expect(Tok::Colon, "SYN9", "`:` after the key")?;
        self.value_on_same_line("SYN9", colon)?;
        Some(Key { sym, optional })
    }

    /// A name, or names joined by `.` (`state.count`), as one key.
    pub(super) fn dotted_key(&mut self) -> u32 {
        let first = self.bump();
        let mut end = first.end;
        while self.at(Tok::Dot) && self.nth(1).kind == Tok::Ident && !self.tok().space_before() {
            self.advance();
            end = self.bump().end;
        }
        let text = self
            .src
            .get(first.start as usize..end as usize)
            .unwrap_or(&[]);
        self.strings.intern_ascii(text)
    }

    /// A value after `key:`; with `key?:` or a `= default` after it, a
    /// `Field, from, to, value, optional, has default, [default]` (SYN14).
    pub(super) fn field_value(&mut self, optional: bool) -> Option<Val> {
        let value = self.expression()?;
        let eq = self.tok();
        let default = eq.kind == Tok::Eq && !eq.nl_before();
        if !optional && !default {
            return Some(value);
        }
        self.wrap(value.at, NodeKind::Field, value.span.start, None);
        self.word(u32::from(optional));
        let mut span = value.span;
        let mut height = value.height;
        if default {
            self.advance();
            self.value_on_same_line("SYN14", eq)?;
            self.word(1);
            let fallback = self.expression()?;
            span = span.to(fallback.span);
            height = height.max(fallback.height);
        } else {
            self.word(0);
        }
        let height = height + 1;
        self.check_height(height, span)?;
        self.close(value.at, span.end);
        Some(Val {
            at: value.at,
            span,
            height,
        })
    }

    /// Whether `(` starts the parameters of an arrow function:
    /// `()` or `(a, b)` followed by `=>` on the same line.
    fn arrow_params_ahead(&self) -> bool {
        let mut n = 1;
        loop {
            match self.nth(n).kind {
                Tok::RParen => break,
                Tok::Ident => {
                    n += 1;
                    match self.nth(n).kind {
                        Tok::Comma => n += 1,
                        Tok::RParen => break,
                        _ => return false,
                    }
                }
                _ => return false,
            }
        }
        let arrow = self.nth(n + 1);
        arrow.kind == Tok::Arrow && !arrow.nl_before()
    }

    /// `x => value`, `(a, b) => { statements }` (SYN13).
    fn arrow_function(&mut self) -> Option<Val> {
        if !self.enter() {
            return None;
        }
        let result = self.arrow_function_guarded();
        self.leave();
        result
    }

    fn arrow_function_guarded(&mut self) -> Option<Val> {
        let first = self.tok();
        let at = self.open(NodeKind::Function, first.start);
        self.word(NO_SYM);
        let form = self.placeholder();
        if first.kind == Tok::Ident {
            self.advance();
            self.word(1);
            let param = self.intern_token(first);
            self.word(param);
        } else {
            self.params()?;
        }
        let arrow = self.bump();
        let height = if self.at(Tok::LBrace) {
            self.set(form, FunctionForm::Arrow.code());
            let open = self.bump();
            self.statement_block(open)?
        } else {
            // `=> value` is a body of one `Return`.
            self.set(form, FunctionForm::ArrowValue.code());
            self.value_on_same_line("SYN13", arrow)?;
            self.word(1);
            let value_at = self.mark();
            let value = self.expression()?;
            self.wrap(value_at, NodeKind::Return, value.span.start, Some(1));
            self.close(value_at, value.span.end);
            value.height + 1
        };
        self.finish_function(at, first, height)
    }

    /// `function (` or `function name(` on one line.
    fn function_ahead(&self) -> bool {
        let next = self.nth(1);
        !next.nl_before()
            && (next.kind == Tok::LParen
                || (next.kind == Tok::Ident && self.nth(2).kind == Tok::LParen))
    }

    /// `function (a) { }` or `function name(a) { }` as a value (SYN13).
    fn function_expression(&mut self) -> Option<Val> {
        let keyword = self.bump();
        let at = self.open(NodeKind::Function, keyword.start);
        if self.at(Tok::Ident) {
            let name = self.bump();
            let sym = self.intern_token(name);
            self.word(sym);
        } else {
            self.word(NO_SYM);
        }
        self.word(FunctionForm::Function.code());
        if !self.at(Tok::LParen) {
            self.unexpected("SYN13", &["`(` and the parameters"]);
            return None;
        }
        self.params()?;
        let open = self.expect(Tok::LBrace, "SYN13", "`{` to start the function body")?;
        let height = self.statement_block(open)?;
        self.finish_function(at, keyword, height)
    }

    /// A block after a call's parentheses (`after(0.5) { ... }`): a
    /// function without parameters, the call's last argument.
    pub(super) fn block_function(&mut self) -> Option<Val> {
        let open = self.bump();
        let at = self.open(NodeKind::Function, open.start);
        self.word(NO_SYM);
        self.word(FunctionForm::Block.code());
        self.word(0);
        let height = self.statement_block(open)?;
        self.finish_function(at, open, height)
    }

    fn finish_function(&mut self, at: usize, first: Token, body_height: u32) -> Option<Val> {
        let span = first
            .span()
            .to(self.prev().map_or(first.span(), |t| t.span()));
        let height = body_height + 1;
        self.check_height(height, span)?;
        self.close(at, span.end);
        Some(Val { at, span, height })
    }

    /// `(a, b)`: `count, names…`.
    pub(super) fn params(&mut self) -> Option<()> {
        let open = self.bump();
        let count = self.placeholder();
        let mut params = 0u32;
        loop {
            self.tick();
            let token = self.tok();
            match token.kind {
                Tok::RParen => {
                    self.advance();
                    break;
                }
                Tok::Ident => {
                    let param = self.intern_token(token);
                    self.word(param);
                    params += 1;
                    self.advance();
                    if self.at(Tok::Comma) {
                        self.advance();
                    } else if !self.at(Tok::RParen) {
                        self.unexpected("SYN7", &["`,`", "`)`"]);
                        return None;
                    }
                }
                Tok::Eof => {
                    self.unclosed("the parameter list", open, "`)`");
                    return None;
                }
                _ => {
                    self.unexpected("SYN7", &["a parameter name", "`)`"]);
                    return None;
                }
            }
        }
        self.set(count, params);
        Some(())
    }

    /// `Name<` directly, names and commas (and nested `<...>`), then `>`
    /// followed by the end of the value: a generic type (`array<string>`).
    fn generic_ahead(&self) -> bool {
        let lt = self.nth(1);
        if lt.kind != Tok::Lt || lt.space_before() {
            return false;
        }
        let mut depth = 0u32;
        let mut n = 1;
        loop {
            match self.nth(n).kind {
                Tok::Lt => depth += 1,
                Tok::Gt => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Tok::Ident | Tok::Comma | Tok::LBracket | Tok::RBracket | Tok::At => {}
                _ => return false,
            }
            n += 1;
            if n > 64 {
                return false;
            }
        }
        let after = self.nth(n + 1);
        after.nl_before()
            || matches!(
                after.kind,
                Tok::Comma
                    | Tok::RParen
                    | Tok::RBrace
                    | Tok::RBracket
                    | Tok::Semi
                    | Tok::Eq
                    | Tok::Pipe
                    | Tok::Gt
                    | Tok::Colon
                    | Tok::TemplateMiddle
                    | Tok::TemplateTail
                    | Tok::Eof
            )
    }

    /// `name<type, …>` (SYN14): `Generic, from, to, base, count, types…`.
    fn generic(&mut self) -> Option<Val> {
        let name = self.bump();
        let at = self.open(NodeKind::Generic, name.start);
        let sym = self.intern_token(name);
        self.header(NodeKind::Identifier, name.span());
        self.word(sym);
        let open = self.bump();
        if !self.enter() {
            return None;
        }
        let count = self.placeholder();
        let mut types = 0u32;
        let mut height = 1u32;
        let result = self.with_flags(false, false, |p| loop {
            p.tick();
            let value = p.postfix()?;
            height = height.max(value.height);
            types += 1;
            match p.tok().kind {
                Tok::Comma => {
                    p.advance();
                }
                Tok::Gt => {
                    p.advance();
                    return Some(());
                }
                Tok::Eof => {
                    p.unclosed("the type arguments", open, "`>`");
                    return None;
                }
                _ => {
                    p.unexpected("SYN14", &["`,`", "`>`"]);
                    return None;
                }
            }
        });
        self.leave();
        result?;
        self.set(count, types);
        let span = name
            .span()
            .to(self.prev().map_or(name.span(), |t| t.span()));
        let height = height + 1;
        self.check_height(height, span)?;
        self.close(at, span.end);
        Some(Val { at, span, height })
    }
}

/// A parsed key: its string and whether it was written `key?:`.
struct Key {
    sym: u32,
    optional: bool,
}
