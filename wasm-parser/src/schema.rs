//! The vocabulary shared with the TypeScript side: node kinds, operators and
//! handler forms with their numeric codes (used by the binary result format)
//! and names (used by the JSON format and the TypeScript types).
//!
//! This is the single source of truth: `holo_schema` exports it, and a test in
//! app/scene/ fails when app/scene/ast.ts disagrees with it.

/// Version of the result format (binary layout). Bumped with any change to
/// it; the TypeScript decoder refuses other versions.
/// 2: written while parsing; members in source order, numbers inline.
/// 3: the constructs of real scene files (templates, conditionals, optional
///    chaining, functions, loops, units, fields, event and action handlers).
pub const FORMAT_VERSION: u32 = 3;

macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:expr),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            pub fn code(self) -> u32 {
                self as u32
            }
        }
    };
}

named_enum! {
    /// Every node kind, in code order (the code is the binary tag).
    NodeKind {
        Document = "Document",
        Import = "Import",
        Composition = "Composition",
        Object = "Object",
        Template = "Template",
        Group = "Group",
        Environment = "Environment",
        Light = "Light",
        Camera = "Camera",
        State = "State",
        Metadata = "Metadata",
        Material = "Material",
        UnknownBlock = "UnknownBlock",
        Trait = "Trait",
        Property = "Property",
        Handler = "Handler",
        Assign = "Assign",
        Let = "Let",
        If = "If",
        ExprStatement = "ExprStatement",
        Command = "Command",
        Return = "Return",
        Number = "Number",
        String = "String",
        Boolean = "Boolean",
        Null = "Null",
        Identifier = "Identifier",
        Color = "Color",
        ArrayLiteral = "ArrayLiteral",
        ObjectLiteral = "ObjectLiteral",
        Unary = "Unary",
        Binary = "Binary",
        Member = "Member",
        Index = "Index",
        Call = "Call",
        TemplateString = "TemplateString",
        Conditional = "Conditional",
        Function = "Function",
        Spread = "Spread",
        Quantity = "Quantity",
        Field = "Field",
        Generic = "Generic",
        For = "For",
    }
}

impl NodeKind {
    /// The kinds a block keyword makes (rule SYN3).
    pub const BLOCKS: &'static [NodeKind] = &[
        NodeKind::Composition,
        NodeKind::Object,
        NodeKind::Template,
        NodeKind::Group,
        NodeKind::Environment,
        NodeKind::Light,
        NodeKind::Camera,
        NodeKind::State,
        NodeKind::Metadata,
        NodeKind::Material,
        NodeKind::UnknownBlock,
    ];
}

named_enum! {
    BinaryOp {
        Or = "||",
        And = "&&",
        Eq = "==",
        NotEq = "!=",
        StrictEq = "===",
        StrictNotEq = "!==",
        Lt = "<",
        Le = "<=",
        Gt = ">",
        Ge = ">=",
        Add = "+",
        Sub = "-",
        Mul = "*",
        Div = "/",
        Rem = "%",
        Nullish = "??",
        BitOr = "|",
        BitAnd = "&",
        Pow = "**",
    }
}

named_enum! {
    UnaryOp {
        Neg = "-",
        Not = "!",
    }
}

named_enum! {
    AssignOp {
        Set = "=",
        Add = "+=",
        Sub = "-=",
        Mul = "*=",
        Div = "/=",
    }
}

named_enum! {
    /// How a handler was written: `onGrab: { }`, `on_click { }`,
    /// `on_click(event) { }`, an `on` form (`on "tap" { }`, `on(Source, "event") { }`,
    /// `on Knob.knob.turned -> (event) { }`, `on_event("x") { }`), or a
    /// declared action (`action name(params) { }`, `function name(params) { }`),
    /// or the callback of a block (`button "Reset" -> () { }`).
    HandlerForm {
        Colon = "colon",
        Block = "block",
        Params = "params",
        On = "on",
        Action = "action",
        Callback = "callback",
    }
}

named_enum! {
    /// How a function value was written: `function (a) { }`, `(a) => { }`,
    /// `(a) => value` (its body is one `Return`), or a block after a call's
    /// parentheses (`after(0.5) { }`, a function without parameters).
    FunctionForm {
        Function = "function",
        Arrow = "arrow",
        ArrowValue = "arrowValue",
        Block = "block",
    }
}

/// Block keywords the language knows, and the kind each makes (rule LANG1:
/// any other keyword makes an `UnknownBlock` with a warning).
pub const BLOCK_KEYWORDS: &[(&str, NodeKind)] = &[
    ("composition", NodeKind::Composition),
    ("object", NodeKind::Object),
    ("orb", NodeKind::Object),
    ("entity", NodeKind::Object),
    ("template", NodeKind::Template),
    ("spatial_group", NodeKind::Group),
    ("group", NodeKind::Group),
    ("scene", NodeKind::Group),
    ("environment", NodeKind::Environment),
    ("light", NodeKind::Light),
    ("point_light", NodeKind::Light),
    ("spot_light", NodeKind::Light),
    ("directional_light", NodeKind::Light),
    ("ambient_light", NodeKind::Light),
    ("hemisphere_light", NodeKind::Light),
    ("camera", NodeKind::Camera),
    ("state", NodeKind::State),
    ("metadata", NodeKind::Metadata),
    ("material", NodeKind::Material),
];

pub fn block_kind(keyword: &[u8]) -> NodeKind {
    for (text, kind) in BLOCK_KEYWORDS {
        if text.as_bytes() == keyword {
            return *kind;
        }
    }
    NodeKind::UnknownBlock
}

/// The schema as JSON, as `holo_schema` returns it: `schema.json`, written
/// from [`schema_json`] and checked against it by a test, so the module
/// ships the text instead of the code that writes it
/// (`HOLO_BLESS=1 cargo test -p holoroom-parser schema` rewrites it).
pub const SCHEMA_JSON: &str = include_str!("schema.json");

/// The schema as JSON, from the tables above:
/// `{"formatVersion":1,"nodeKinds":[...],"binaryOps":[...],...,"blockKeywords":{...}}`.
pub fn schema_json() -> String {
    let mut out = String::from("{\"formatVersion\":");
    crate::diagnostics::push_number(&mut out, FORMAT_VERSION as u64);
    out.push_str(",\"maxInputBytes\":");
    crate::diagnostics::push_number(&mut out, crate::limits::MAX_INPUT_BYTES as u64);
    push_list(
        &mut out,
        "nodeKinds",
        NodeKind::ALL.iter().map(|k| k.name()),
    );
    push_list(
        &mut out,
        "binaryOps",
        BinaryOp::ALL.iter().map(|k| k.name()),
    );
    push_list(&mut out, "unaryOps", UnaryOp::ALL.iter().map(|k| k.name()));
    push_list(
        &mut out,
        "assignOps",
        AssignOp::ALL.iter().map(|k| k.name()),
    );
    push_list(
        &mut out,
        "handlerForms",
        HandlerForm::ALL.iter().map(|k| k.name()),
    );
    push_list(
        &mut out,
        "functionForms",
        FunctionForm::ALL.iter().map(|k| k.name()),
    );
    push_list(
        &mut out,
        "severities",
        ["", "warning", "error"].iter().copied(),
    );
    out.push_str(",\"blockKeywords\":{");
    for (i, (keyword, kind)) in BLOCK_KEYWORDS.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(keyword);
        out.push_str("\":\"");
        out.push_str(kind.name());
        out.push('"');
    }
    out.push_str("}}");
    out
}

fn push_list<'a>(out: &mut String, key: &str, items: impl Iterator<Item = &'a str>) {
    out.push_str(",\"");
    out.push_str(key);
    out.push_str("\":[");
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(item);
        out.push('"');
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_positions_in_all() {
        for (i, kind) in NodeKind::ALL.iter().enumerate() {
            assert_eq!(kind.code() as usize, i);
        }
        for (i, op) in BinaryOp::ALL.iter().enumerate() {
            assert_eq!(op.code() as usize, i);
        }
    }

    #[test]
    fn schema_json_file_is_current() {
        let json = schema_json();
        if std::env::var_os("HOLO_BLESS").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/schema.json");
            std::fs::write(path, &json).unwrap();
            return;
        }
        assert_eq!(
            SCHEMA_JSON, json,
            "src/schema.json is out of date: run with HOLO_BLESS=1"
        );
    }

    #[test]
    fn schema_lists_everything() {
        let json = schema_json();
        assert!(json.starts_with(
            "{\"formatVersion\":3,\"maxInputBytes\":1048576,\"nodeKinds\":[\"Document\",\"Import\""
        ));
        assert!(json.contains("\"point_light\":\"Light\""));
        assert!(json.ends_with("}}"));
    }
}
