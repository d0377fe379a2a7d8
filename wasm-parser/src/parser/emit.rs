//! Writing nodes into the result words while parsing (layout in
//! docs/parser.md). Every node starts with `kind, from, to` in UTF-16
//! offsets; parse functions work with byte offsets and these helpers convert.
//! Indexes into the words are checked (`get_mut`): a wrong index would be a
//! parser bug, and in WebAssembly it must not become a panic.

use super::Parser;
use crate::diagnostics::Span;
use crate::schema::NodeKind;

/// An expression already written: where its node starts in the words, its
/// byte span, and its height (LIM2).
#[derive(Clone, Copy)]
pub struct Val {
    pub at: usize,
    pub span: Span,
    pub height: u32,
}

impl<'a> Parser<'a> {
    /// Where the next word goes: a mark to roll back to.
    #[inline]
    pub(super) fn mark(&self) -> usize {
        self.out.len()
    }

    /// Drops everything written since `mark` (a construct that failed).
    #[inline]
    pub(super) fn rollback(&mut self, mark: usize) {
        self.out.truncate(mark);
    }

    #[inline]
    pub(super) fn word(&mut self, word: u32) {
        self.out.push(word);
    }

    /// A word to fill in later (a count, a `to`); returns its index.
    #[inline]
    pub(super) fn placeholder(&mut self) -> usize {
        self.out.push(0);
        self.out.len() - 1
    }

    #[inline]
    pub(super) fn set(&mut self, at: usize, word: u32) {
        if let Some(slot) = self.out.get_mut(at) {
            *slot = word;
        }
    }

    #[inline]
    pub(super) fn word_at(&self, at: usize) -> u32 {
        self.out.get(at).copied().unwrap_or(u32::MAX)
    }

    /// The kind code of the node written at `at`.
    #[inline]
    pub(super) fn kind_at(&self, at: usize) -> u32 {
        self.word_at(at)
    }

    #[inline]
    pub(super) fn utf16(&self, byte: u32) -> u32 {
        self.positions.utf16(byte)
    }

    /// Starts a node whose end is not known yet; returns its index for [`Parser::close`].
    // Pushes one word at a time: `extend_from_slice` of three words becomes
    // a call to the standard library's byte-wise `memcpy` in the module.
    #[inline]
    pub(super) fn open(&mut self, kind: NodeKind, from: u32) -> usize {
        let at = self.out.len();
        let from = self.utf16(from);
        self.out.push(kind.code());
        self.out.push(from);
        self.out.push(0);
        at
    }

    /// Sets the end of the node opened at `at`.
    #[inline]
    pub(super) fn close(&mut self, at: usize, to: u32) {
        let to = self.utf16(to);
        self.set(at + 2, to);
    }

    /// Writes a node header with its whole span.
    #[inline]
    pub(super) fn header(&mut self, kind: NodeKind, span: Span) {
        let from = self.utf16(span.start);
        let to = self.utf16(span.end);
        self.out.push(kind.code());
        self.out.push(from);
        self.out.push(to);
    }

    /// Inserts a node header (and an `extra` word after it, e.g. an
    /// operator code) in front of the node written at `at`, which becomes
    /// its first child. The new node starts at `at` too; its `to` is set
    /// with [`Parser::close`].
    pub(super) fn wrap(&mut self, at: usize, kind: NodeKind, from: u32, extra: Option<u32>) {
        let end = self.out.len();
        if at > end {
            return;
        }
        let full = [kind.code(), self.utf16(from), 0, extra.unwrap_or(0)];
        let header = if extra.is_some() {
            &full[..]
        } else {
            &full[..3]
        };
        let len = header.len();
        self.out.extend_from_slice(header);
        self.out.copy_within(at..end, at + len);
        if let Some(target) = self.out.get_mut(at..at + len) {
            target.copy_from_slice(header);
        }
    }

    /// A number node: the value's bits follow the header, low word first.
    pub(super) fn number_node(&mut self, value: f64, span: Span) {
        self.header(NodeKind::Number, span);
        let bits = value.to_bits();
        self.out.push(bits as u32);
        self.out.push((bits >> 32) as u32);
    }
}
