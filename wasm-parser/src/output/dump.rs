//! A readable, indented dump of a parse for snapshot files
//! (`tests/data/**/*.tree` and `*.diagnostics`): one node per line with its
//! byte span, so a reviewer sees a change in the tree as a line diff.

use std::fmt::Write;

use crate::ast::{Block, Body, Document, Expr, ExprKind, Stmt, StmtKind};
use crate::diagnostics::{Diagnostic, Span};
use crate::intern::{Interner, Sym};

struct Dump<'p> {
    out: String,
    strings: &'p Interner,
}

pub fn tree(document: &Document, strings: &Interner) -> String {
    let mut d = Dump {
        out: String::new(),
        strings,
    };
    d.line(0, "Document", document.span, "");
    for import in &document.imports {
        let mut detail = String::new();
        d.quote(&mut detail, import.source);
        for name in &import.names {
            detail.push(' ');
            detail.push_str(strings.get(*name));
        }
        d.line(1, "Import", import.span, &detail);
    }
    d.body(1, &document.body);
    d.out
}

pub fn diagnostics(list: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in list {
        let (line, column) = (d.at.line, d.at.column);
        let (end_line, end_column) = (d.at.end_line, d.at.end_column);
        let _ = write!(
            out,
            "{} {} {}:{}-{}:{} @{}..{}: {}",
            d.severity.name(),
            d.code,
            line,
            column,
            end_line,
            end_column,
            d.span.start,
            d.span.end,
            d.message
        );
        if !d.expected.is_empty() {
            let _ = write!(out, " [expected: {}]", d.expected.join(" | "));
        }
        out.push('\n');
    }
    out
}

impl<'p> Dump<'p> {
    fn line(&mut self, depth: usize, label: &str, span: Span, detail: &str) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
        self.out.push_str(label);
        if !detail.is_empty() {
            self.out.push(' ');
            self.out.push_str(detail);
        }
        let _ = writeln!(self.out, " @{}..{}", span.start, span.end);
    }

    fn quote(&self, out: &mut String, sym: Sym) {
        let _ = write!(out, "{:?}", self.strings.get(sym));
    }

    fn body(&mut self, depth: usize, body: &Body) {
        for item in &body.traits {
            let mut detail = String::from("@");
            detail.push_str(self.strings.get(item.name));
            match &item.args {
                Some(args) => {
                    let _ = write!(detail, " args={}", args.len());
                }
                None => detail.push_str(" args=none"),
            }
            if item.body.is_some() {
                detail.push_str(" config");
            }
            self.line(depth, "Trait", item.span, &detail);
            for arg in item.args.iter().flatten() {
                let label = match arg.name {
                    Some(name) => {
                        let mut label = String::from("arg ");
                        label.push_str(self.strings.get(name));
                        label
                    }
                    None => String::from("arg"),
                };
                self.line(depth + 1, &label, arg.value.span, "");
                self.expr(depth + 2, &arg.value);
            }
            if let Some(config) = &item.body {
                self.body(depth + 1, config);
            }
        }
        for property in &body.properties {
            let key = String::from(self.strings.get(property.key));
            self.line(depth, "Property", property.span, &key);
            self.expr(depth + 1, &property.value);
        }
        for handler in &body.handlers {
            let mut detail = String::from(self.strings.get(handler.name));
            let _ = write!(detail, " form={}", handler.form.name());
            if !handler.params.is_empty() {
                detail.push_str(" params=");
                let names: Vec<&str> = handler
                    .params
                    .iter()
                    .map(|p| self.strings.get(*p))
                    .collect();
                detail.push_str(&names.join(","));
            }
            self.line(depth, "Handler", handler.span, &detail);
            self.statements(depth + 1, &handler.body);
        }
        for block in &body.children {
            self.block(depth, block);
        }
    }

    fn block(&mut self, depth: usize, block: &Block) {
        let mut detail = String::from(self.strings.get(block.keyword));
        if let Some(name) = block.name {
            detail.push(' ');
            self.quote(&mut detail, name);
        }
        if let Some(using) = block.using {
            detail.push_str(" using ");
            self.quote(&mut detail, using);
        }
        self.line(depth, block.kind.name(), block.span, &detail);
        self.body(depth + 1, &block.body);
    }

    fn statements(&mut self, depth: usize, list: &[Stmt]) {
        for statement in list {
            self.statement(depth, statement);
        }
    }

    fn statement(&mut self, depth: usize, statement: &Stmt) {
        let label = statement.kind.node_kind().name();
        match &statement.kind {
            StmtKind::Assign { op, target, value } => {
                self.line(depth, label, statement.span, op.name());
                self.expr(depth + 1, target);
                self.expr(depth + 1, value);
            }
            StmtKind::Let {
                keyword,
                name,
                value,
            } => {
                let mut detail = String::from(self.strings.get(*keyword));
                detail.push(' ');
                detail.push_str(self.strings.get(*name));
                self.line(depth, label, statement.span, &detail);
                if let Some(value) = value {
                    self.expr(depth + 1, value);
                }
            }
            StmtKind::If {
                test,
                then,
                otherwise,
            } => {
                self.line(depth, label, statement.span, "");
                self.expr(depth + 1, test);
                self.line(depth + 1, "then", statement.span, "");
                self.statements(depth + 2, then);
                if let Some(list) = otherwise {
                    self.line(depth + 1, "else", statement.span, "");
                    self.statements(depth + 2, list);
                }
            }
            StmtKind::Expr(expr) => {
                self.line(depth, label, statement.span, "");
                self.expr(depth + 1, expr);
            }
            StmtKind::Command { name, args } => {
                let name = String::from(self.strings.get(*name));
                self.line(depth, label, statement.span, &name);
                for arg in args {
                    self.expr(depth + 1, arg);
                }
            }
            StmtKind::Return(value) => {
                self.line(depth, label, statement.span, "");
                if let Some(value) = value {
                    self.expr(depth + 1, value);
                }
            }
        }
    }

    fn expr(&mut self, depth: usize, expr: &Expr) {
        let label = expr.kind.node_kind().name();
        let mut detail = String::new();
        match &expr.kind {
            ExprKind::Number(value) => {
                let _ = write!(detail, "{}", value);
            }
            ExprKind::Str(sym) => self.quote(&mut detail, *sym),
            ExprKind::Ident(sym) | ExprKind::Color(sym) => detail.push_str(self.strings.get(*sym)),
            ExprKind::Bool(value) => detail.push_str(if *value { "true" } else { "false" }),
            ExprKind::Unary(op, _) => detail.push_str(op.name()),
            ExprKind::Binary(op, ..) => detail.push_str(op.name()),
            ExprKind::Member(_, name) => detail.push_str(self.strings.get(*name)),
            _ => {}
        }
        self.line(depth, label, expr.span, &detail);
        match &expr.kind {
            ExprKind::Array(items) => {
                for item in items {
                    self.expr(depth + 1, item);
                }
            }
            ExprKind::Object(entries) => {
                for entry in entries {
                    let key = String::from(self.strings.get(entry.key));
                    self.line(depth + 1, "entry", entry.value.span, &key);
                    self.expr(depth + 2, &entry.value);
                }
            }
            ExprKind::Unary(_, operand) => self.expr(depth + 1, operand),
            ExprKind::Binary(_, left, right) | ExprKind::Index(left, right) => {
                self.expr(depth + 1, left);
                self.expr(depth + 1, right);
            }
            ExprKind::Member(object, _) => self.expr(depth + 1, object),
            ExprKind::Call(callee, args) => {
                self.expr(depth + 1, callee);
                for arg in args {
                    self.expr(depth + 1, arg);
                }
            }
            _ => {}
        }
    }
}
