//! Handler bodies: statements (rules SYN8, SYN9). Statements end at a line
//! break or `;`. A line that starts with a name followed by a space and a
//! value is a command (`set grabbed true`, `spawn "Cube" at [0, 1, 0]`).

use super::Parser;
use crate::ast::{Expr, ExprKind, Num, Stmt, StmtKind};
use crate::diagnostics::Span;
use crate::lexer::{Tok, Token};
use crate::schema::AssignOp;

impl<'a> Parser<'a> {
    /// Statements up to the `}` matching `open` (already consumed). A body
    /// missing its `}` at the end of the input is kept (SYN4 reported).
    pub(super) fn statement_block(&mut self, open: Token) -> Option<Vec<Stmt>> {
        if !self.enter() {
            return None;
        }
        let mut statements = Vec::new();
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
            match self.statement() {
                Some(statement) => {
                    statements.push(statement);
                    need_separator = self.prev().map_or(true, |t| t.kind != Tok::RBrace);
                }
                None => {
                    self.pos = start;
                    self.skip_construct(false);
                    need_separator = false;
                }
            }
        }
        self.leave();
        Some(statements)
    }

    fn statement(&mut self) -> Option<Stmt> {
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

    fn command(&mut self) -> Option<Stmt> {
        let name_token = self.bump();
        let name = self.intern_token(name_token);
        let mut args = Vec::new();
        loop {
            self.tick();
            let token = self.tok();
            if token.nl_before() || matches!(token.kind, Tok::Semi | Tok::RBrace | Tok::Eof) {
                break;
            }
            args.push(self.expression_in(true, true)?);
        }
        let span = name_token
            .span()
            .to(self.prev().map_or(name_token.span(), |t| t.span()));
        Some(Stmt {
            kind: StmtKind::Command { name, args },
            span,
        })
    }

    fn expression_statement(&mut self) -> Option<Stmt> {
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
        let op = match op {
            Some(op) => op,
            None => {
                let span = target.span;
                // A statement that is only a name is a command without
                // arguments, however the line goes on (`x{` is `x`, then an error).
                let kind = match target.kind {
                    ExprKind::Ident(name) => StmtKind::Command {
                        name,
                        args: Vec::new(),
                    },
                    _ => StmtKind::Expr(target),
                };
                return Some(Stmt { kind, span });
            }
        };
        if !matches!(
            target.kind,
            ExprKind::Ident(_) | ExprKind::Member(..) | ExprKind::Index(..)
        ) {
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
        // `x++` / `x--` mean `x += 1` / `x -= 1`.
        let value = if matches!(token.kind, Tok::PlusPlus | Tok::MinusMinus) {
            Expr {
                kind: ExprKind::Number(Num {
                    value: 1.0,
                    digits: Span::default(),
                }),
                span: token.span(),
                height: 1,
            }
        } else {
            self.value_on_same_line("SYN8", token)?;
            self.expression_in(true, false)?
        };
        let span = target.span.to(value.span);
        Some(Stmt {
            kind: StmtKind::Assign { op, target, value },
            span,
        })
    }

    fn let_statement(&mut self) -> Option<Stmt> {
        let keyword_token = self.bump();
        let keyword = self.intern_token(keyword_token);
        let name_token = self.bump();
        let name = self.intern_token(name_token);
        let mut value = None;
        let mut end = name_token.span();
        if self.at(Tok::Eq) && !self.tok().nl_before() {
            let eq = self.bump();
            self.value_on_same_line("SYN8", eq)?;
            let expr = self.expression_in(true, false)?;
            end = expr.span;
            value = Some(expr);
        }
        Some(Stmt {
            kind: StmtKind::Let {
                keyword,
                name,
                value,
            },
            span: keyword_token.span().to(end),
        })
    }

    fn return_statement(&mut self) -> Option<Stmt> {
        let keyword = self.bump();
        let next = self.tok();
        if next.nl_before() || matches!(next.kind, Tok::Semi | Tok::RBrace | Tok::Eof) {
            return Some(Stmt {
                kind: StmtKind::Return(None),
                span: keyword.span(),
            });
        }
        let value = self.expression_in(true, false)?;
        let span = keyword.span().to(value.span);
        Some(Stmt {
            kind: StmtKind::Return(Some(value)),
            span,
        })
    }

    /// `if test { ... } [else if ... | else { ... }]`; `else` may start a new line.
    fn if_statement(&mut self) -> Option<Stmt> {
        let keyword = self.bump();
        if !self.enter() {
            return None;
        }
        let result = self.if_rest(keyword);
        self.leave();
        result
    }

    fn if_rest(&mut self, keyword: Token) -> Option<Stmt> {
        let test = self.expression_in(false, false)?;
        let open = self.expect(Tok::LBrace, "SYN8", "`{` after the `if` condition")?;
        let then = self.statement_block(open)?;
        let mut otherwise = None;
        if self.is_word(self.tok(), "else") {
            self.bump();
            if self.is_word(self.tok(), "if") {
                otherwise = Some(vec![self.if_statement()?]);
            } else {
                let open = self.expect(Tok::LBrace, "SYN8", "`{` or `if` after `else`")?;
                otherwise = Some(self.statement_block(open)?);
            }
        }
        let span = keyword
            .span()
            .to(self.prev().map_or(keyword.span(), |t| t.span()));
        Some(Stmt {
            kind: StmtKind::If {
                test,
                then,
                otherwise,
            },
            span,
        })
    }
}
