//! The syntax tree as host tools see it: the parser writes the binary result
//! directly (see `parser`), and `output::read` reads it back into these
//! types for the snapshot dumps and tests. Names and strings are [`Sym`]s
//! (indexes into the result's string table); spans are byte ranges.
//!
//! A construct with a syntax error is left out of the tree (its diagnostic
//! says why); the construct around it is kept. So every node here is
//! well-formed, and a consumer never sees a half-parsed property.

use crate::diagnostics::Span;
use crate::intern::Sym;
use crate::schema::{AssignOp, BinaryOp, FunctionForm, HandlerForm, NodeKind, UnaryOp};

pub struct Document {
    pub imports: Vec<Import>,
    pub body: Body,
    pub span: Span,
}

/// The members of a document, block or trait configuration, each list in
/// source order.
#[derive(Default)]
pub struct Body {
    pub traits: Vec<Trait>,
    pub properties: Vec<Property>,
    pub handlers: Vec<Handler>,
    pub children: Vec<Block>,
    /// Calls standing as members (`track_event("hit", { })`).
    pub calls: Vec<Expr>,
}

pub struct Block {
    /// One of the block kinds (`Composition` ... `UnknownBlock`).
    pub kind: NodeKind,
    /// The keyword as written, e.g. `object`, `orb`, `point_light`, `post_processing`.
    pub keyword: Sym,
    pub name: Option<Sym>,
    pub using: Option<Sym>,
    pub body: Body,
    pub span: Span,
}

pub struct Import {
    pub source: Sym,
    pub names: Vec<Sym>,
    pub span: Span,
}

pub struct Trait {
    pub name: Sym,
    /// `None` without parentheses; `Some(vec![])` for `@name()`.
    pub args: Option<Vec<TraitArg>>,
    /// The `{ ... }` configuration, only in a body (not in a block header).
    pub body: Option<Body>,
    pub span: Span,
}

pub struct TraitArg {
    pub name: Option<Sym>,
    pub value: Expr,
}

pub struct Property {
    pub key: Sym,
    pub value: Expr,
    pub span: Span,
}

pub struct Handler {
    pub name: Sym,
    pub form: HandlerForm,
    /// Where the event comes from, in `on(Source, "event")` and `on Source.part.event`.
    pub source: Option<Expr>,
    pub params: Vec<Sym>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

/// A function value: `function (a) { }`, `(a) => { }`, `a => value`, or a
/// block after a call (`after(1) { }`).
pub struct Function {
    pub name: Option<Sym>,
    pub form: FunctionForm,
    pub params: Vec<Sym>,
    pub body: Vec<Stmt>,
}

pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

pub enum StmtKind {
    Assign {
        op: AssignOp,
        target: Expr,
        value: Expr,
    },
    /// `let`/`const`/`var` (the keyword as written).
    Let {
        keyword: Sym,
        name: Sym,
        value: Option<Expr>,
    },
    If {
        test: Expr,
        then: Vec<Stmt>,
        otherwise: Option<Vec<Stmt>>,
    },
    Expr(Expr),
    Command {
        name: Sym,
        args: Vec<Expr>,
    },
    Return(Option<Expr>),
    /// `for (const x of list) { }`
    For {
        declaration: Option<Sym>,
        name: Sym,
        list: Expr,
        body: Vec<Stmt>,
    },
    /// `key: value` in a statement list.
    Field(Property),
}

pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

pub enum ExprKind {
    Number(f64),
    Str(Sym),
    Bool(bool),
    Null,
    Ident(Sym),
    Color(Sym),
    Array(Vec<Expr>),
    Object(Vec<Entry>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// Object, name, optional (`?.`).
    Member(Box<Expr>, Sym, bool),
    Index(Box<Expr>, Box<Expr>, bool),
    Call(Box<Expr>, Vec<Expr>, bool),
    /// Texts (one more than values) and values.
    Template(Vec<Sym>, Vec<Expr>),
    Conditional(Box<Expr>, Box<Expr>, Box<Expr>),
    Function(Function),
    Spread(Box<Expr>),
    Quantity(f64, Sym),
    Field {
        value: Box<Expr>,
        optional: bool,
        default: Option<Box<Expr>>,
    },
    Generic(Box<Expr>, Vec<Expr>),
    Trait(Trait),
}

pub struct Entry {
    pub key: Sym,
    pub value: Expr,
}

impl StmtKind {
    pub fn node_kind(&self) -> NodeKind {
        match self {
            StmtKind::Assign { .. } => NodeKind::Assign,
            StmtKind::Let { .. } => NodeKind::Let,
            StmtKind::If { .. } => NodeKind::If,
            StmtKind::Expr(_) => NodeKind::ExprStatement,
            StmtKind::Command { .. } => NodeKind::Command,
            StmtKind::Return(_) => NodeKind::Return,
            StmtKind::For { .. } => NodeKind::For,
            StmtKind::Field(_) => NodeKind::Property,
        }
    }
}

impl ExprKind {
    pub fn node_kind(&self) -> NodeKind {
        match self {
            ExprKind::Number(_) => NodeKind::Number,
            ExprKind::Str(_) => NodeKind::String,
            ExprKind::Bool(_) => NodeKind::Boolean,
            ExprKind::Null => NodeKind::Null,
            ExprKind::Ident(_) => NodeKind::Identifier,
            ExprKind::Color(_) => NodeKind::Color,
            ExprKind::Array(_) => NodeKind::ArrayLiteral,
            ExprKind::Object(_) => NodeKind::ObjectLiteral,
            ExprKind::Unary(..) => NodeKind::Unary,
            ExprKind::Binary(..) => NodeKind::Binary,
            ExprKind::Member(..) => NodeKind::Member,
            ExprKind::Index(..) => NodeKind::Index,
            ExprKind::Call(..) => NodeKind::Call,
            ExprKind::Template(..) => NodeKind::TemplateString,
            ExprKind::Conditional(..) => NodeKind::Conditional,
            ExprKind::Function(_) => NodeKind::Function,
            ExprKind::Spread(_) => NodeKind::Spread,
            ExprKind::Quantity(..) => NodeKind::Quantity,
            ExprKind::Field { .. } => NodeKind::Field,
            ExprKind::Generic(..) => NodeKind::Generic,
            ExprKind::Trait(_) => NodeKind::Trait,
        }
    }
}
