//! The JSON result format: the same tree as the binary format, as the text
//! `{"formatVersion":1,"document":{...},"diagnostics":[...]}` whose objects
//! have exactly the shape of the TypeScript types in app/scene/ast.ts.
//! Kept beside the binary format so the two can be compared (docs/parser.md)
//! and for debugging (`holo_parse(..., FORMAT_JSON)`).

use crate::ast::Num;
use crate::ast::{Block, Body, Document, Expr, ExprKind, Stmt, StmtKind};
use crate::diagnostics::{Diagnostic, Span};
use crate::intern::{Interner, Sym};
use crate::positions::Positions;
use crate::schema::{NodeKind, FORMAT_VERSION};

struct Writer<'p> {
    out: Vec<u8>,
    src: &'p [u8],
    strings: &'p Interner,
    positions: &'p Positions,
}

/// Writes the JSON result; `src` is the parsed input (numbers are copied
/// from it, see [`Num`]).
pub fn write(
    out: &mut Vec<u8>,
    src: &[u8],
    document: &Document,
    strings: &Interner,
    diagnostics: &[Diagnostic],
    positions: &Positions,
) {
    let mut w = Writer {
        out: Vec::with_capacity(4096),
        src,
        strings,
        positions,
    };
    w.out.extend_from_slice(b"{\"formatVersion\":");
    w.uint(FORMAT_VERSION);
    w.out.extend_from_slice(b",\"document\":");
    w.document(document);
    w.out.extend_from_slice(b",\"diagnostics\":[");
    for (i, d) in diagnostics.iter().enumerate() {
        w.comma(i);
        w.diagnostic(d);
    }
    w.out.extend_from_slice(b"]}");
    *out = w.out;
}

impl<'p> Writer<'p> {
    fn uint(&mut self, value: u32) {
        push_digits(&mut self.out, value as u64);
    }

    /// A number literal in JSON syntax: its source digits with leading zeros
    /// dropped and a `0` before a leading `.`, and `-` for negative values.
    fn number(&mut self, num: &Num) {
        if num.value.is_sign_negative() {
            self.out.push(b'-');
        }
        let digits = self
            .src
            .get(num.digits.start as usize..num.digits.end as usize)
            .unwrap_or(&[]);
        if digits.is_empty() {
            push_digits(&mut self.out, num.value.abs() as u64);
            return;
        }
        let significant = digits
            .iter()
            .position(|&b| b != b'0')
            .unwrap_or(digits.len());
        let rest = digits.get(significant..).unwrap_or(&[]);
        if !matches!(rest.first(), Some(b'1'..=b'9')) {
            self.out.push(b'0');
        }
        self.out.extend_from_slice(rest);
    }

    fn comma(&mut self, index: usize) {
        if index > 0 {
            self.out.push(b',');
        }
    }

    fn key(&mut self, key: &str) {
        self.out.extend_from_slice(b",\"");
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    fn string(&mut self, text: &str) {
        self.string_bytes(text.as_bytes());
    }

    /// A JSON string from UTF-8 bytes: only `"`, `\\` and control bytes need
    /// escapes; every other byte (including multi-byte sequences) is copied.
    fn string_bytes(&mut self, text: &[u8]) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.out.push(b'"');
        for &b in text {
            match b {
                b'"' => self.out.extend_from_slice(b"\\\""),
                b'\\' => self.out.extend_from_slice(b"\\\\"),
                b'\n' => self.out.extend_from_slice(b"\\n"),
                b'\r' => self.out.extend_from_slice(b"\\r"),
                b'\t' => self.out.extend_from_slice(b"\\t"),
                0..=0x1f => {
                    self.out.extend_from_slice(b"\\u00");
                    self.out
                        .push(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'));
                    self.out
                        .push(HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0'));
                }
                _ => self.out.push(b),
            }
        }
        self.out.push(b'"');
    }

    fn sym(&mut self, sym: Sym) {
        let text = self.strings.bytes(sym);
        self.string_bytes(text);
    }

    fn opt_sym(&mut self, sym: Option<Sym>) {
        match sym {
            Some(sym) => self.sym(sym),
            None => self.out.extend_from_slice(b"null"),
        }
    }

    fn syms(&mut self, list: &[Sym]) {
        self.out.push(b'[');
        for (i, sym) in list.iter().enumerate() {
            self.comma(i);
            self.sym(*sym);
        }
        self.out.push(b']');
    }

    /// Opens a node: `{"kind":"...","from":N,"to":N`.
    fn node(&mut self, kind: NodeKind, span: Span) {
        self.out.extend_from_slice(b"{\"kind\":\"");
        self.out.extend_from_slice(kind.name().as_bytes());
        self.out.extend_from_slice(b"\",\"from\":");
        self.uint(self.positions.utf16(span.start));
        self.out.extend_from_slice(b",\"to\":");
        self.uint(self.positions.utf16(span.end));
    }

    fn document(&mut self, doc: &Document) {
        self.node(NodeKind::Document, doc.span);
        self.key("imports");
        self.out.push(b'[');
        for (i, import) in doc.imports.iter().enumerate() {
            self.comma(i);
            self.node(NodeKind::Import, import.span);
            self.key("source");
            self.sym(import.source);
            self.key("names");
            self.syms(&import.names);
            self.out.push(b'}');
        }
        self.out.push(b']');
        self.body_fields(&doc.body);
        self.out.push(b'}');
    }

    fn body_fields(&mut self, body: &Body) {
        self.key("traits");
        self.body_fields_after_traits_key(body);
    }

    fn body_fields_after_traits_key(&mut self, body: &Body) {
        self.out.push(b'[');
        for (i, item) in body.traits.iter().enumerate() {
            self.comma(i);
            self.node(NodeKind::Trait, item.span);
            self.key("name");
            self.sym(item.name);
            self.key("args");
            match &item.args {
                None => self.out.extend_from_slice(b"null"),
                Some(args) => {
                    self.out.push(b'[');
                    for (j, arg) in args.iter().enumerate() {
                        self.comma(j);
                        self.out.extend_from_slice(b"{\"name\":");
                        self.opt_sym(arg.name);
                        self.key("value");
                        self.expr(&arg.value);
                        self.out.push(b'}');
                    }
                    self.out.push(b']');
                }
            }
            self.key("body");
            match &item.body {
                None => self.out.extend_from_slice(b"null"),
                Some(config) => {
                    // A body without a node header: `body_fields` starts with a
                    // comma, so write the first key without one.
                    self.out.extend_from_slice(b"{\"traits\":");
                    self.body_fields_after_traits_key(config);
                    self.out.push(b'}');
                }
            }
            self.out.push(b'}');
        }
        self.out.push(b']');
        self.key("properties");
        self.out.push(b'[');
        for (i, property) in body.properties.iter().enumerate() {
            self.comma(i);
            self.node(NodeKind::Property, property.span);
            self.key("key");
            self.sym(property.key);
            self.key("value");
            self.expr(&property.value);
            self.out.push(b'}');
        }
        self.out.push(b']');
        self.key("handlers");
        self.out.push(b'[');
        for (i, handler) in body.handlers.iter().enumerate() {
            self.comma(i);
            self.node(NodeKind::Handler, handler.span);
            self.key("name");
            self.sym(handler.name);
            self.key("form");
            self.string(handler.form.name());
            self.key("params");
            self.syms(&handler.params);
            self.key("body");
            self.statements(&handler.body);
            self.out.push(b'}');
        }
        self.out.push(b']');
        self.key("children");
        self.out.push(b'[');
        for (i, block) in body.children.iter().enumerate() {
            self.comma(i);
            self.block(block);
        }
        self.out.push(b']');
    }

    fn block(&mut self, block: &Block) {
        self.node(block.kind, block.span);
        self.key("keyword");
        self.sym(block.keyword);
        self.key("name");
        self.opt_sym(block.name);
        self.key("using");
        self.opt_sym(block.using);
        self.body_fields(&block.body);
        self.out.push(b'}');
    }

    fn statements(&mut self, list: &[Stmt]) {
        self.out.push(b'[');
        for (i, statement) in list.iter().enumerate() {
            self.comma(i);
            self.statement(statement);
        }
        self.out.push(b']');
    }

    fn statement(&mut self, statement: &Stmt) {
        self.node(statement.kind.node_kind(), statement.span);
        match &statement.kind {
            StmtKind::Assign { op, target, value } => {
                self.key("op");
                self.string(op.name());
                self.key("target");
                self.expr(target);
                self.key("value");
                self.expr(value);
            }
            StmtKind::Let {
                keyword,
                name,
                value,
            } => {
                self.key("declaration");
                self.sym(*keyword);
                self.key("name");
                self.sym(*name);
                self.key("value");
                self.opt_expr(value.as_ref());
            }
            StmtKind::If {
                test,
                then,
                otherwise,
            } => {
                self.key("test");
                self.expr(test);
                self.key("then");
                self.statements(then);
                self.key("else");
                match otherwise {
                    None => self.out.extend_from_slice(b"null"),
                    Some(list) => self.statements(list),
                }
            }
            StmtKind::Expr(expr) => {
                self.key("expression");
                self.expr(expr);
            }
            StmtKind::Command { name, args } => {
                self.key("name");
                self.sym(*name);
                self.key("args");
                self.exprs(args);
            }
            StmtKind::Return(value) => {
                self.key("value");
                self.opt_expr(value.as_ref());
            }
        }
        self.out.push(b'}');
    }

    fn opt_expr(&mut self, expr: Option<&Expr>) {
        match expr {
            None => self.out.extend_from_slice(b"null"),
            Some(expr) => self.expr(expr),
        }
    }

    fn exprs(&mut self, list: &[Expr]) {
        self.out.push(b'[');
        for (i, expr) in list.iter().enumerate() {
            self.comma(i);
            self.expr(expr);
        }
        self.out.push(b']');
    }

    fn expr(&mut self, expr: &Expr) {
        self.node(expr.kind.node_kind(), expr.span);
        match &expr.kind {
            ExprKind::Number(num) => {
                self.key("value");
                self.number(num);
            }
            ExprKind::Str(sym) | ExprKind::Color(sym) => {
                self.key("value");
                self.sym(*sym);
            }
            ExprKind::Ident(sym) => {
                self.key("name");
                self.sym(*sym);
            }
            ExprKind::Bool(value) => {
                self.key("value");
                self.out
                    .extend_from_slice(if *value { b"true" } else { b"false" });
            }
            ExprKind::Null => {}
            ExprKind::Array(items) => {
                self.key("items");
                self.exprs(items);
            }
            ExprKind::Object(entries) => {
                self.key("entries");
                self.out.push(b'[');
                for (i, entry) in entries.iter().enumerate() {
                    self.comma(i);
                    self.out.extend_from_slice(b"{\"key\":");
                    self.sym(entry.key);
                    self.key("value");
                    self.expr(&entry.value);
                    self.out.push(b'}');
                }
                self.out.push(b']');
            }
            ExprKind::Unary(op, operand) => {
                self.key("op");
                self.string(op.name());
                self.key("operand");
                self.expr(operand);
            }
            ExprKind::Binary(op, left, right) => {
                self.key("op");
                self.string(op.name());
                self.key("left");
                self.expr(left);
                self.key("right");
                self.expr(right);
            }
            ExprKind::Member(object, name) => {
                self.key("object");
                self.expr(object);
                self.key("property");
                self.sym(*name);
            }
            ExprKind::Index(object, index) => {
                self.key("object");
                self.expr(object);
                self.key("index");
                self.expr(index);
            }
            ExprKind::Call(callee, args) => {
                self.key("callee");
                self.expr(callee);
                self.key("args");
                self.exprs(args);
            }
        }
        self.out.push(b'}');
    }

    fn diagnostic(&mut self, d: &Diagnostic) {
        self.out.extend_from_slice(b"{\"severity\":");
        self.string(d.severity.name());
        self.key("code");
        self.string(d.code);
        self.key("message");
        self.string(&d.message);
        self.key("expected");
        self.out.push(b'[');
        for (i, item) in d.expected.iter().enumerate() {
            self.comma(i);
            self.string(item);
        }
        self.out.push(b']');
        let (line, column) = (d.at.line, d.at.column);
        let (end_line, end_column) = (d.at.end_line, d.at.end_column);
        for (key, value) in [
            ("from", self.positions.utf16(d.span.start)),
            ("to", self.positions.utf16(d.span.end)),
            ("line", line),
            ("column", column),
            ("endLine", end_line),
            ("endColumn", end_column),
            ("byteStart", d.span.start),
            ("byteEnd", d.span.end),
        ] {
            self.key(key);
            self.uint(value);
        }
        self.out.push(b'}');
    }
}

/// Appends a decimal number.
fn push_digits(out: &mut Vec<u8>, value: u64) {
    let mut text = String::new();
    crate::diagnostics::push_number(&mut text, value);
    out.extend_from_slice(text.as_bytes());
}
