//! Reads a binary result back into the [`crate::ast`] types: the snapshot
//! dumps and host tests look at the tree through this, so they see exactly
//! what the TypeScript decoder (app/scene/result-binary.ts) sees. Members
//! arrive in source order and are sorted into the body's four lists here,
//! as the decoder does. Spans are turned back into byte offsets.

use crate::ast::{
    Block, Body, Document, Entry, Expr, ExprKind, Function, Handler, Import, Property, Stmt,
    StmtKind, Trait, TraitArg,
};
use crate::diagnostics::Span;
use crate::output::binary::{HEADER_WORDS, MAGIC, NONE};
use crate::positions::Positions;
use crate::schema::{
    AssignOp, BinaryOp, FunctionForm, HandlerForm, NodeKind, UnaryOp, FORMAT_VERSION,
};

type Read<T> = Result<T, &'static str>;

struct Reader<'r> {
    words: &'r [u32],
    pos: usize,
    positions: &'r Positions,
}

/// The document of a result (`result` as built by `output::binary`, `len`
/// bytes long). Checks the whole result as the TypeScript decoder does:
/// header, section lengths, and that the diagnostics end the words exactly.
pub fn document(result: &[u32], len: usize, positions: &Positions) -> Read<Document> {
    let header = result
        .get(..HEADER_WORDS)
        .ok_or("result is shorter than its header")?;
    if header.first() != Some(&MAGIC) || header.get(1) != Some(&FORMAT_VERSION) {
        return Err("not a result of this format version");
    }
    let field = |i: usize| header.get(i).copied().unwrap_or(0) as usize;
    let (count, strings, text) = (field(2), field(3), field(4));
    if (HEADER_WORDS + count + strings) * 4 + text != len || len > result.len() * 4 {
        return Err("result length does not match its header");
    }
    let words = result
        .get(HEADER_WORDS..HEADER_WORDS + count)
        .ok_or("result ends inside the tree")?;
    let mut reader = Reader {
        words,
        pos: 0,
        positions,
    };
    let document = reader.document()?;
    let diagnostics = reader.word()?;
    for _ in 0..diagnostics {
        let severity = reader.word()?;
        if severity != 1 && severity != 2 {
            return Err("unknown severity");
        }
        let _code = reader.word()?;
        let _message = reader.word()?;
        let _expected = reader.syms()?;
        for _ in 0..8 {
            reader.word()?;
        }
    }
    if reader.pos != words.len() {
        return Err("result has words after the diagnostics");
    }
    Ok(document)
}

fn kind_of(code: u32) -> Read<NodeKind> {
    NodeKind::ALL
        .get(code as usize)
        .copied()
        .ok_or("unknown node kind")
}

fn coded<T: Copy>(all: &[T], code: u32) -> Read<T> {
    all.get(code as usize).copied().ok_or("unknown code")
}

impl<'r> Reader<'r> {
    fn word(&mut self) -> Read<u32> {
        let word = self
            .words
            .get(self.pos)
            .copied()
            .ok_or("result ends early")?;
        self.pos += 1;
        Ok(word)
    }

    fn opt(&mut self) -> Read<Option<u32>> {
        let word = self.word()?;
        Ok(if word == NONE { None } else { Some(word) })
    }

    fn syms(&mut self) -> Read<Vec<u32>> {
        let count = self.word()?;
        (0..count).map(|_| self.word()).collect()
    }

    /// `kind, from, to`.
    fn header(&mut self) -> Read<(NodeKind, Span)> {
        let kind = kind_of(self.word()?)?;
        let from = self.positions.byte(self.word()?);
        let to = self.positions.byte(self.word()?);
        Ok((kind, Span::new(from, to)))
    }

    fn document(&mut self) -> Read<Document> {
        let (kind, span) = self.header()?;
        if kind != NodeKind::Document {
            return Err("result does not start with a Document");
        }
        let mut imports = Vec::new();
        let body = self.members(Some(&mut imports))?;
        Ok(Document {
            imports,
            body,
            span,
        })
    }

    /// `count, members…` in source order, sorted into the body's lists.
    fn members(&mut self, mut imports: Option<&mut Vec<Import>>) -> Read<Body> {
        let count = self.word()?;
        let mut body = Body::default();
        for _ in 0..count {
            if self.words.get(self.pos) == Some(&NodeKind::Call.code()) {
                body.calls.push(self.expr()?);
                continue;
            }
            let (kind, span) = self.header()?;
            match kind {
                NodeKind::Import => {
                    let source = self.word()?;
                    let names = self.syms()?;
                    let list = imports
                        .as_deref_mut()
                        .ok_or("an Import outside the document")?;
                    list.push(Import {
                        source,
                        names,
                        span,
                    });
                }
                NodeKind::Trait => body.traits.push(self.trait_(span)?),
                NodeKind::Property => {
                    let key = self.word()?;
                    let value = self.expr()?;
                    body.properties.push(Property { key, value, span });
                }
                NodeKind::Handler => body.handlers.push(self.handler(span)?),
                _ if NodeKind::BLOCKS.contains(&kind) => {
                    let keyword = self.word()?;
                    let name = self.opt()?;
                    let using = self.opt()?;
                    let body_of_block = self.members(None)?;
                    body.children.push(Block {
                        kind,
                        keyword,
                        name,
                        using,
                        body: body_of_block,
                        span,
                    });
                }
                _ => return Err("expected a member"),
            }
        }
        Ok(body)
    }

    fn trait_(&mut self, span: Span) -> Read<Trait> {
        let name = self.word()?;
        let count = self.word()?;
        let args = if count == NONE {
            None
        } else {
            let mut args = Vec::new();
            for _ in 0..count {
                let name = self.opt()?;
                let value = self.expr()?;
                args.push(TraitArg { name, value });
            }
            Some(args)
        };
        let body = if self.word()? == 1 {
            Some(self.members(None)?)
        } else {
            None
        };
        Ok(Trait {
            name,
            args,
            body,
            span,
        })
    }

    fn flag(&mut self) -> Read<bool> {
        Ok(self.word()? == 1)
    }

    fn handler(&mut self, span: Span) -> Read<Handler> {
        let name = self.word()?;
        let form = coded(HandlerForm::ALL, self.word()?)?;
        let source = if self.flag()? {
            Some(self.expr()?)
        } else {
            None
        };
        let params = self.syms()?;
        let body = self.statements()?;
        Ok(Handler {
            name,
            form,
            source,
            params,
            body,
            span,
        })
    }

    fn statements(&mut self) -> Read<Vec<Stmt>> {
        let count = self.word()?;
        (0..count).map(|_| self.statement()).collect()
    }

    fn statement(&mut self) -> Read<Stmt> {
        let (kind, span) = self.header()?;
        let kind = match kind {
            NodeKind::Assign => {
                let op = coded(AssignOp::ALL, self.word()?)?;
                let target = self.expr()?;
                let value = self.expr()?;
                StmtKind::Assign { op, target, value }
            }
            NodeKind::Let => {
                let keyword = self.word()?;
                let name = self.word()?;
                let value = if self.word()? == 1 {
                    Some(self.expr()?)
                } else {
                    None
                };
                StmtKind::Let {
                    keyword,
                    name,
                    value,
                }
            }
            NodeKind::If => {
                let test = self.expr()?;
                let then = self.statements()?;
                let otherwise = if self.words.get(self.pos) == Some(&NONE) {
                    self.pos += 1;
                    None
                } else {
                    Some(self.statements()?)
                };
                StmtKind::If {
                    test,
                    then,
                    otherwise,
                }
            }
            NodeKind::ExprStatement => StmtKind::Expr(self.expr()?),
            NodeKind::Command => {
                let name = self.word()?;
                let args = self.exprs()?;
                StmtKind::Command { name, args }
            }
            NodeKind::Return => StmtKind::Return(if self.word()? == 1 {
                Some(self.expr()?)
            } else {
                None
            }),
            NodeKind::For => {
                let declaration = self.opt()?;
                let name = self.word()?;
                let list = self.expr()?;
                let body = self.statements()?;
                StmtKind::For {
                    declaration,
                    name,
                    list,
                    body,
                }
            }
            NodeKind::Property => {
                let key = self.word()?;
                let value = self.expr()?;
                StmtKind::Field(Property { key, value, span })
            }
            _ => return Err("expected a statement"),
        };
        Ok(Stmt { kind, span })
    }

    fn exprs(&mut self) -> Read<Vec<Expr>> {
        let count = self.word()?;
        (0..count).map(|_| self.expr()).collect()
    }

    fn expr(&mut self) -> Read<Expr> {
        let (kind, span) = self.header()?;
        let kind = match kind {
            NodeKind::Number => {
                let low = u64::from(self.word()?);
                let high = u64::from(self.word()?);
                ExprKind::Number(f64::from_bits(high << 32 | low))
            }
            NodeKind::String => ExprKind::Str(self.word()?),
            NodeKind::Boolean => ExprKind::Bool(self.word()? == 1),
            NodeKind::Null => ExprKind::Null,
            NodeKind::Identifier => ExprKind::Ident(self.word()?),
            NodeKind::Color => ExprKind::Color(self.word()?),
            NodeKind::ArrayLiteral => ExprKind::Array(self.exprs()?),
            NodeKind::ObjectLiteral => {
                let count = self.word()?;
                let mut entries = Vec::new();
                for _ in 0..count {
                    let key = self.word()?;
                    let value = self.expr()?;
                    entries.push(Entry { key, value });
                }
                ExprKind::Object(entries)
            }
            NodeKind::Unary => {
                let op = coded(UnaryOp::ALL, self.word()?)?;
                ExprKind::Unary(op, Box::new(self.expr()?))
            }
            NodeKind::Binary => {
                let op = coded(BinaryOp::ALL, self.word()?)?;
                let left = self.expr()?;
                let right = self.expr()?;
                ExprKind::Binary(op, Box::new(left), Box::new(right))
            }
            NodeKind::Member => {
                let object = self.expr()?;
                let name = self.word()?;
                ExprKind::Member(Box::new(object), name, self.flag()?)
            }
            NodeKind::Index => {
                let object = self.expr()?;
                let index = self.expr()?;
                ExprKind::Index(Box::new(object), Box::new(index), self.flag()?)
            }
            NodeKind::Call => {
                let callee = self.expr()?;
                let optional = self.flag()?;
                let args = self.exprs()?;
                ExprKind::Call(Box::new(callee), args, optional)
            }
            NodeKind::TemplateString => {
                let count = self.word()?;
                let mut texts = vec![self.word()?];
                let mut values = Vec::new();
                for _ in 0..count {
                    values.push(self.expr()?);
                    texts.push(self.word()?);
                }
                ExprKind::Template(texts, values)
            }
            NodeKind::Conditional => {
                let test = self.expr()?;
                let then = self.expr()?;
                let otherwise = self.expr()?;
                ExprKind::Conditional(Box::new(test), Box::new(then), Box::new(otherwise))
            }
            NodeKind::Function => {
                let name = self.opt()?;
                let form = coded(FunctionForm::ALL, self.word()?)?;
                let params = self.syms()?;
                let body = self.statements()?;
                ExprKind::Function(Function {
                    name,
                    form,
                    params,
                    body,
                })
            }
            NodeKind::Spread => ExprKind::Spread(Box::new(self.expr()?)),
            NodeKind::Quantity => {
                let low = u64::from(self.word()?);
                let high = u64::from(self.word()?);
                ExprKind::Quantity(f64::from_bits(high << 32 | low), self.word()?)
            }
            NodeKind::Field => {
                let value = Box::new(self.expr()?);
                let optional = self.flag()?;
                let default = if self.flag()? {
                    Some(Box::new(self.expr()?))
                } else {
                    None
                };
                ExprKind::Field {
                    value,
                    optional,
                    default,
                }
            }
            NodeKind::Generic => {
                let base = self.expr()?;
                let args = self.exprs()?;
                ExprKind::Generic(Box::new(base), args)
            }
            NodeKind::Trait => ExprKind::Trait(self.trait_(span)?),
            _ => return Err("expected an expression"),
        };
        Ok(Expr { kind, span })
    }
}
