//! A readable, indented dump of a parse for snapshot files
//! (`tests/data/**/*.tree` and `*.diagnostics`): one node per line with its
//! byte span, so a reviewer sees a change in the tree as a line diff.

use std::fmt::Write;

use crate::ast::{Block, Body, Document, Expr, ExprKind, Stmt, StmtKind, Trait};
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

    fn names(&self, list: &[Sym]) -> String {
        let names: Vec<&str> = list.iter().map(|p| self.strings.get(*p)).collect();
        names.join(",")
    }

    fn body(&mut self, depth: usize, body: &Body) {
        for item in &body.traits {
            self.trait_(depth, item);
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
                detail.push_str(&self.names(&handler.params));
            }
            self.line(depth, "Handler", handler.span, &detail);
            if let Some(source) = &handler.source {
                self.line(depth + 1, "source", source.span, "");
                self.expr(depth + 2, source);
            }
            self.statements(depth + 1, &handler.body);
        }
        for block in &body.children {
            self.block(depth, block);
        }
        for call in &body.calls {
            self.expr(depth, call);
        }
    }

    fn trait_(&mut self, depth: usize, item: &Trait) {
        {
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
            StmtKind::For {
                declaration,
                name,
                list,
                body,
            } => {
                let mut detail = String::new();
                if let Some(declaration) = declaration {
                    detail.push_str(self.strings.get(*declaration));
                    detail.push(' ');
                }
                detail.push_str(self.strings.get(*name));
                self.line(depth, label, statement.span, &detail);
                self.expr(depth + 1, list);
                self.line(depth + 1, "body", statement.span, "");
                self.statements(depth + 2, body);
            }
            StmtKind::Field(property) => {
                let key = String::from(self.strings.get(property.key));
                self.line(depth, label, property.span, &key);
                self.expr(depth + 1, &property.value);
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
            ExprKind::Member(_, name, optional) => {
                detail.push_str(self.strings.get(*name));
                if *optional {
                    detail.push_str(" optional");
                }
            }
            ExprKind::Index(_, _, true) | ExprKind::Call(_, _, true) => {
                detail.push_str("optional");
            }
            ExprKind::Template(texts, _) => {
                let quoted: Vec<String> = texts
                    .iter()
                    .map(|t| format!("{:?}", self.strings.get(*t)))
                    .collect();
                detail.push_str(&quoted.join(" "));
            }
            ExprKind::Function(function) => {
                detail.push_str(function.form.name());
                if let Some(name) = function.name {
                    detail.push(' ');
                    detail.push_str(self.strings.get(name));
                }
                if !function.params.is_empty() {
                    detail.push_str(" params=");
                    detail.push_str(&self.names(&function.params));
                }
            }
            ExprKind::Quantity(value, unit) => {
                let _ = write!(detail, "{} {}", value, self.strings.get(*unit));
            }
            ExprKind::Field {
                optional, default, ..
            } => {
                if *optional {
                    detail.push_str("optional");
                }
                if default.is_some() {
                    detail.push_str(if *optional { " default" } else { "default" });
                }
            }
            ExprKind::Trait(item) => {
                self.trait_(depth, item);
                return;
            }
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
            ExprKind::Unary(_, operand) | ExprKind::Spread(operand) => {
                self.expr(depth + 1, operand)
            }
            ExprKind::Binary(_, left, right) | ExprKind::Index(left, right, _) => {
                self.expr(depth + 1, left);
                self.expr(depth + 1, right);
            }
            ExprKind::Member(object, ..) => self.expr(depth + 1, object),
            ExprKind::Call(callee, args, _) | ExprKind::Generic(callee, args) => {
                self.expr(depth + 1, callee);
                for arg in args {
                    self.expr(depth + 1, arg);
                }
            }
            ExprKind::Template(_, values) => {
                for value in values {
                    self.expr(depth + 1, value);
                }
            }
            ExprKind::Conditional(test, then, otherwise) => {
                self.expr(depth + 1, test);
                self.expr(depth + 1, then);
                self.expr(depth + 1, otherwise);
            }
            ExprKind::Function(function) => self.statements(depth + 1, &function.body),
            ExprKind::Field { value, default, .. } => {
                self.expr(depth + 1, value);
                if let Some(default) = default {
                    self.expr(depth + 1, default);
                }
            }
            _ => {}
        }
    }
}
