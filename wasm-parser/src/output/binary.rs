//! The binary result format (format version in `schema::FORMAT_VERSION`),
//! read by app/scene/result-binary.ts. Documented byte by byte in
//! docs/parser.md. All integers are little-endian.
//!
//! ```text
//! header   6 x u32: magic "HOLB", format version, string count,
//!                   string bytes, number count, word count
//! numbers  f64 x number count             (8-byte aligned: header is 24 bytes)
//! ends     u32 x string count             UTF-16 end offset of each string
//! words    u32 x word count               the tree, then the diagnostics
//! strings  UTF-8, all strings concatenated (decoded by the host in one call)
//! ```
//!
//! Words are a pre-order walk. Every node starts with `kind code, from, to`
//! (UTF-16 offsets); lists are a count followed by the items; optional values
//! use [`NONE`]; strings are indexes into the string table; numbers are
//! indexes into the number table.

use crate::ast::{Block, Body, Document, Expr, ExprKind, Stmt, StmtKind};
use crate::diagnostics::{Diagnostic, Span};
use crate::intern::{Interner, Sym, NO_SYM};
use crate::positions::Positions;
use crate::schema::{NodeKind, FORMAT_VERSION};

/// "HOLB" read as a little-endian u32.
pub const MAGIC: u32 = u32::from_le_bytes(*b"HOLB");
/// An absent optional value.
pub const NONE: u32 = NO_SYM;

struct Writer<'p> {
    words: Vec<u32>,
    numbers: Vec<f64>,
    strings: &'p mut Interner,
    positions: &'p Positions,
}

pub fn write(
    out: &mut Vec<u8>,
    document: &Document,
    strings: &mut Interner,
    diagnostics: &[Diagnostic],
    positions: &Positions,
) {
    let mut w = Writer {
        // Results run at about one word per source byte: size once, not by regrowing.
        words: Vec::with_capacity(1024 + document.span.end as usize),
        numbers: Vec::new(),
        strings,
        positions,
    };
    w.document(document);
    w.diagnostics(diagnostics);

    let text = w.strings.text();
    let ends = w.strings.utf16_ends();
    out.clear();
    out.reserve(24 + w.numbers.len() * 8 + (ends.len() + w.words.len()) * 4 + text.len());
    let header = [
        MAGIC,
        FORMAT_VERSION,
        ends.len() as u32,
        text.len() as u32,
        w.numbers.len() as u32,
        w.words.len() as u32,
    ];
    put_words(out, &header);
    put_numbers(out, &w.numbers);
    put_words(out, ends);
    put_words(out, &w.words);
    out.extend_from_slice(text);
}

/// Appends words as little-endian bytes: on little-endian targets (wasm32)
/// that is their memory, copied in one go (the bulk of a result).
#[cfg(target_endian = "little")]
fn put_words(out: &mut Vec<u8>, words: &[u32]) {
    // SAFETY: any initialised u32 may be read as 4 bytes; the length is exact.
    let bytes = unsafe { std::slice::from_raw_parts(words.as_ptr().cast::<u8>(), words.len() * 4) };
    out.extend_from_slice(bytes);
}

#[cfg(target_endian = "little")]
fn put_numbers(out: &mut Vec<u8>, numbers: &[f64]) {
    // SAFETY: any initialised f64 may be read as 8 bytes; the length is exact.
    let bytes =
        unsafe { std::slice::from_raw_parts(numbers.as_ptr().cast::<u8>(), numbers.len() * 8) };
    out.extend_from_slice(bytes);
}

#[cfg(not(target_endian = "little"))]
fn put_words(out: &mut Vec<u8>, words: &[u32]) {
    for word in words {
        out.extend_from_slice(&word.to_le_bytes());
    }
}

#[cfg(not(target_endian = "little"))]
fn put_numbers(out: &mut Vec<u8>, numbers: &[f64]) {
    for number in numbers {
        out.extend_from_slice(&number.to_le_bytes());
    }
}

impl<'p> Writer<'p> {
    fn node(&mut self, kind: NodeKind, span: Span) {
        self.words.push(kind.code());
        self.words.push(self.positions.utf16(span.start));
        self.words.push(self.positions.utf16(span.end));
    }

    fn opt(&mut self, sym: Option<Sym>) {
        self.words.push(sym.unwrap_or(NONE));
    }

    fn document(&mut self, doc: &Document) {
        self.node(NodeKind::Document, doc.span);
        self.words.push(doc.imports.len() as u32);
        for import in &doc.imports {
            self.node(NodeKind::Import, import.span);
            self.words.push(import.source);
            self.words.push(import.names.len() as u32);
            self.words.extend_from_slice(&import.names);
        }
        self.body(&doc.body);
    }

    fn body(&mut self, body: &Body) {
        self.words.push(body.traits.len() as u32);
        for item in &body.traits {
            self.node(NodeKind::Trait, item.span);
            self.words.push(item.name);
            match &item.args {
                None => self.words.push(NONE),
                Some(args) => {
                    self.words.push(args.len() as u32);
                    for arg in args {
                        self.opt(arg.name);
                        self.expr(&arg.value);
                    }
                }
            }
            match &item.body {
                None => self.words.push(0),
                Some(config) => {
                    self.words.push(1);
                    self.body(config);
                }
            }
        }
        self.words.push(body.properties.len() as u32);
        for property in &body.properties {
            self.node(NodeKind::Property, property.span);
            self.words.push(property.key);
            self.expr(&property.value);
        }
        self.words.push(body.handlers.len() as u32);
        for handler in &body.handlers {
            self.node(NodeKind::Handler, handler.span);
            self.words.push(handler.name);
            self.words.push(handler.form.code());
            self.words.push(handler.params.len() as u32);
            self.words.extend_from_slice(&handler.params);
            self.statements(&handler.body);
        }
        self.words.push(body.children.len() as u32);
        for block in &body.children {
            self.block(block);
        }
    }

    fn block(&mut self, block: &Block) {
        self.node(block.kind, block.span);
        self.words.push(block.keyword);
        self.opt(block.name);
        self.opt(block.using);
        self.body(&block.body);
    }

    fn statements(&mut self, list: &[Stmt]) {
        self.words.push(list.len() as u32);
        for statement in list {
            self.statement(statement);
        }
    }

    fn statement(&mut self, statement: &Stmt) {
        self.node(statement.kind.node_kind(), statement.span);
        match &statement.kind {
            StmtKind::Assign { op, target, value } => {
                self.words.push(op.code());
                self.expr(target);
                self.expr(value);
            }
            StmtKind::Let {
                keyword,
                name,
                value,
            } => {
                self.words.push(*keyword);
                self.words.push(*name);
                self.opt_expr(value.as_ref());
            }
            StmtKind::If {
                test,
                then,
                otherwise,
            } => {
                self.expr(test);
                self.statements(then);
                match otherwise {
                    None => self.words.push(NONE),
                    Some(list) => self.statements(list),
                }
            }
            StmtKind::Expr(expr) => self.expr(expr),
            StmtKind::Command { name, args } => {
                self.words.push(*name);
                self.exprs(args);
            }
            StmtKind::Return(value) => self.opt_expr(value.as_ref()),
        }
    }

    fn opt_expr(&mut self, expr: Option<&Expr>) {
        match expr {
            None => self.words.push(0),
            Some(expr) => {
                self.words.push(1);
                self.expr(expr);
            }
        }
    }

    fn exprs(&mut self, list: &[Expr]) {
        self.words.push(list.len() as u32);
        for expr in list {
            self.expr(expr);
        }
    }

    fn expr(&mut self, expr: &Expr) {
        self.node(expr.kind.node_kind(), expr.span);
        match &expr.kind {
            ExprKind::Number(num) => {
                self.words.push(self.numbers.len() as u32);
                self.numbers.push(num.value);
            }
            ExprKind::Str(sym) | ExprKind::Ident(sym) | ExprKind::Color(sym) => {
                self.words.push(*sym)
            }
            ExprKind::Bool(value) => self.words.push(u32::from(*value)),
            ExprKind::Null => {}
            ExprKind::Array(items) => self.exprs(items),
            ExprKind::Object(entries) => {
                self.words.push(entries.len() as u32);
                for entry in entries {
                    self.words.push(entry.key);
                    self.expr(&entry.value);
                }
            }
            ExprKind::Unary(op, operand) => {
                self.words.push(op.code());
                self.expr(operand);
            }
            ExprKind::Binary(op, left, right) => {
                self.words.push(op.code());
                self.expr(left);
                self.expr(right);
            }
            ExprKind::Member(object, name) => {
                self.expr(object);
                self.words.push(*name);
            }
            ExprKind::Index(object, index) => {
                self.expr(object);
                self.expr(index);
            }
            ExprKind::Call(callee, args) => {
                self.expr(callee);
                self.exprs(args);
            }
        }
    }

    fn diagnostics(&mut self, list: &[Diagnostic]) {
        self.words.push(list.len() as u32);
        for d in list {
            self.words.push(d.severity as u32);
            let code = self.strings.intern(d.code);
            let message = self.strings.intern(&d.message);
            self.words.push(code);
            self.words.push(message);
            self.words.push(d.expected.len() as u32);
            for item in &d.expected {
                let sym = self.strings.intern(item);
                self.words.push(sym);
            }
            let (line, column) = (d.at.line, d.at.column);
            let (end_line, end_column) = (d.at.end_line, d.at.end_column);
            self.words.extend_from_slice(&[
                self.positions.utf16(d.span.start),
                self.positions.utf16(d.span.end),
                line,
                column,
                end_line,
                end_column,
                d.span.start,
                d.span.end,
            ]);
        }
    }
}
