//! String interning. Every name and string value in the tree is a [`Sym`]: an
//! index into one table. The table is what the binary result ships (each
//! distinct string once, decoded by the host in one call), and repeated keys
//! such as `position` become one shared host string instead of thousands.

/// Index of an interned string.
pub type Sym = u32;

/// Marks "no string" in optional fields of the binary format.
pub const NO_SYM: u32 = u32::MAX;

pub struct Interner {
    /// All strings, concatenated. Always valid UTF-8: only `&str` and ASCII
    /// bytes go in.
    text: Vec<u8>,
    /// Byte end of each string in `text`.
    ends: Vec<u32>,
    /// UTF-16 end of each string, as if `text` were a JavaScript string.
    utf16_ends: Vec<u32>,
    /// Open addressing: slot holds a Sym + 1 (0 = empty). Power-of-two size.
    slots: Vec<u32>,
}

impl Default for Interner {
    fn default() -> Self {
        Interner {
            text: Vec::new(),
            ends: Vec::new(),
            utf16_ends: Vec::new(),
            slots: vec![0; 256],
        }
    }
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> Sym {
        self.intern_bytes(s.as_bytes(), utf16_len(s))
    }

    /// Interns ASCII text (identifiers, colours) without UTF-8 validation;
    /// anything else is converted like invalid input.
    #[inline]
    pub fn intern_ascii(&mut self, bytes: &[u8]) -> Sym {
        if bytes.is_ascii() {
            self.intern_bytes(bytes, bytes.len() as u32)
        } else {
            self.intern(&lossy(bytes))
        }
    }

    /// `bytes` must be valid UTF-8 with `units` UTF-16 code units.
    fn intern_bytes(&mut self, bytes: &[u8], units: u32) -> Sym {
        let mask = self.slots.len() - 1;
        let mut slot = (hash(bytes) as usize) & mask;
        loop {
            match self.slots.get(slot).copied() {
                Some(0) | None => break,
                Some(entry) => {
                    if self.bytes(entry - 1) == bytes {
                        return entry - 1;
                    }
                }
            }
            slot = (slot + 1) & mask;
        }
        let sym = self.ends.len() as Sym;
        let start_units = self.utf16_ends.last().copied().unwrap_or(0);
        self.text.extend_from_slice(bytes);
        self.ends.push(self.text.len() as u32);
        self.utf16_ends.push(start_units + units);
        if let Some(entry) = self.slots.get_mut(slot) {
            *entry = sym + 1;
        }
        // Keep the load factor at or under one half.
        if self.ends.len() * 2 > self.slots.len() {
            self.grow();
        }
        sym
    }

    /// The UTF-8 bytes of a string.
    pub fn bytes(&self, sym: Sym) -> &[u8] {
        let index = sym as usize;
        let end = self.ends.get(index).copied().unwrap_or(0) as usize;
        let start = match index.checked_sub(1) {
            Some(previous) => self.ends.get(previous).copied().unwrap_or(0) as usize,
            None => 0,
        };
        self.text.get(start..end).unwrap_or(&[])
    }

    /// A string as `&str` (validated; for tests and debugging output).
    pub fn get(&self, sym: Sym) -> &str {
        std::str::from_utf8(self.bytes(sym)).unwrap_or("\u{FFFD}")
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// All strings, concatenated, as UTF-8.
    pub fn text(&self) -> &[u8] {
        &self.text
    }

    pub fn utf16_ends(&self) -> &[u32] {
        &self.utf16_ends
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        let mut slots = vec![0u32; size];
        let mask = size - 1;
        for sym in 0..self.ends.len() as u32 {
            let mut slot = (hash(self.bytes(sym)) as usize) & mask;
            while slots.get(slot).copied().unwrap_or(0) != 0 {
                slot = (slot + 1) & mask;
            }
            if let Some(entry) = slots.get_mut(slot) {
                *entry = sym + 1;
            }
        }
        self.slots = slots;
    }
}

/// UTF-8 text with U+FFFD for each invalid sequence, as `String::from_utf8_lossy`
/// gives, built on `str::from_utf8` alone (the standard library's lossy
/// iterator is a sizeable part of the module for a case only broken input hits).
pub fn lossy(mut bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    loop {
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                out.push_str(text);
                return out;
            }
            Err(error) => {
                let (valid, rest) = bytes.split_at(error.valid_up_to());
                out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                out.push('\u{FFFD}');
                let skip = error.error_len().unwrap_or(rest.len()).max(1);
                bytes = rest.get(skip..).unwrap_or(&[]);
            }
        }
    }
}

/// FNV-1a: tiny and good enough for short identifiers (no DoS concern: the
/// table is per parse and its size is bounded by the input limit).
fn hash(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in bytes {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

fn utf16_len(s: &str) -> u32 {
    if s.is_ascii() {
        return s.len() as u32;
    }
    s.chars().map(|c| c.len_utf16() as u32).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_each_string_once() {
        let mut i = Interner::default();
        let a = i.intern("position");
        let b = i.intern("é😀");
        assert_eq!(i.intern("position"), a);
        assert_eq!(i.get(b), "é😀");
        assert_eq!(i.utf16_ends(), &[8, 11]);
        for n in 0..1000 {
            let s = n.to_string();
            let sym = i.intern(&s);
            assert_eq!(i.get(sym), s);
        }
        assert_eq!(i.intern("position"), a);
        assert_eq!(i.len(), 1002);
    }

    #[test]
    fn lossy_matches_the_standard_library() {
        for case in [
            &b"plain"[..],
            b"caf\xc3\xa9",
            b"a\xffb",
            b"\xe2\x82",
            b"\xf0\x9f\x98\x80\xc3",
            b"\xed\xa0\x80x",
            b"",
        ] {
            assert_eq!(lossy(case), String::from_utf8_lossy(case), "{:?}", case);
        }
    }
}
