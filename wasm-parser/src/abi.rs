//! The C ABI seen by the TypeScript bridge (`app/scene/wasm-module.ts`).
//!
//! Memory protocol: the host calls [`holo_alloc`] for an input buffer, writes
//! UTF-8 bytes into it, calls a function with `(ptr, len)`, then releases the
//! buffer with [`holo_free`] using the same length. Functions that produce
//! bytes ([`holo_parse`], [`holo_schema`]) leave them in one result buffer
//! owned by the module: read [`holo_result_ptr`] / [`holo_result_len`] and copy
//! the bytes out before the next call, which reuses the buffer. The buffer
//! is a vector of words the parser writes into while it parses, so the
//! result is never copied inside the module.
//! Functions never panic on any input; an allocation failure returns null.

use std::alloc::{alloc, dealloc, Layout};
use std::cell::RefCell;

/// Bumped when an export changes meaning; the bridge refuses other versions.
/// 2: parse, result buffer and schema exports.
/// 3: the binary format is the only one (no JSON results).
pub const ABI_VERSION: u32 = 3;

/// `holo_parse` formats: only the binary one (docs/parser.md).
pub const FORMAT_BINARY: u32 = 1;

/// `holo_parse` status codes.
pub const STATUS_OK: u32 = 0;
pub const STATUS_UNKNOWN_FORMAT: u32 = 1;
pub const STATUS_BUSY: u32 = 2;

/// A result: its words and its length in bytes (the last word may be padding).
struct Output {
    words: Vec<u32>,
    len: usize,
}

/// The last result, kept between calls so its capacity is reused. A module
/// without threads has one copy, a plain static (a thread-local would bring
/// the standard library's thread-local machinery into the module); host
/// builds, whose tests run on several threads, keep one per thread.
struct Slot(RefCell<Output>);

// SAFETY: WebAssembly modules without threads run on one thread.
#[cfg(target_arch = "wasm32")]
unsafe impl Sync for Slot {}

#[cfg(target_arch = "wasm32")]
static RESULT: Slot = Slot(RefCell::new(Output {
    words: Vec::new(),
    len: 0,
}));

#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    static RESULT: Slot = const {
        Slot(RefCell::new(Output {
            words: Vec::new(),
            len: 0,
        }))
    };
}

fn with_slot<T>(f: impl FnOnce(&RefCell<Output>) -> T) -> T {
    #[cfg(target_arch = "wasm32")]
    {
        f(&RESULT.0)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        RESULT.with(|slot| f(&slot.0))
    }
}

#[no_mangle]
pub extern "C" fn holo_abi_version() -> u32 {
    ABI_VERSION
}

#[no_mangle]
pub extern "C" fn holo_version() -> u32 {
    crate::version()
}

/// Allocates `len` bytes (at least one) and returns the pointer, or null.
#[no_mangle]
pub extern "C" fn holo_alloc(len: usize) -> *mut u8 {
    match Layout::from_size_align(len.max(1), 1) {
        // SAFETY: the layout has a non-zero size.
        Ok(layout) => unsafe { alloc(layout) },
        Err(_) => std::ptr::null_mut(),
    }
}

/// Frees a buffer returned by [`holo_alloc`] with the same `len`.
///
/// # Safety
/// `ptr` must come from `holo_alloc(len)` and not have been freed.
#[no_mangle]
pub unsafe extern "C" fn holo_free(ptr: *mut u8, len: usize) {
    if ptr.is_null() {
        return;
    }
    if let Ok(layout) = Layout::from_size_align(len.max(1), 1) {
        dealloc(ptr, layout);
    }
}

/// Counts lines of the UTF-8 text at `ptr..ptr+len`.
///
/// # Safety
/// `ptr` must point to `len` readable bytes (or be null with `len == 0`).
#[no_mangle]
pub unsafe extern "C" fn holo_line_count(ptr: *const u8, len: usize) -> u32 {
    crate::line_count(input(ptr, len))
}

/// Parses the script at `ptr..ptr+len` and leaves the binary result in the
/// result buffer. Returns a status code ([`STATUS_OK`] ...).
///
/// # Safety
/// `ptr` must point to `len` readable bytes (or be null with `len == 0`).
#[no_mangle]
pub unsafe extern "C" fn holo_parse(ptr: *const u8, len: usize, format: u32) -> u32 {
    if format != FORMAT_BINARY {
        return STATUS_UNKNOWN_FORMAT;
    }
    with_result(|result| {
        let buffer = std::mem::take(&mut result.words);
        let parsed = crate::parse_into(input(ptr, len), None, buffer);
        result.words = parsed.result;
        result.len = parsed.len;
    })
}

/// Leaves the schema (node kinds, operators, formats; see `schema`) as JSON
/// in the result buffer.
#[no_mangle]
pub extern "C" fn holo_schema() -> u32 {
    let json = crate::schema::SCHEMA_JSON;
    with_result(|result| {
        result.words.clear();
        for chunk in json.as_bytes().chunks(4) {
            let mut bytes = [0u8; 4];
            if let Some(head) = bytes.get_mut(..chunk.len()) {
                head.copy_from_slice(chunk);
            }
            result.words.push(u32::from_le_bytes(bytes));
        }
        result.len = json.len();
    })
}

/// Start of the result buffer.
#[no_mangle]
pub extern "C" fn holo_result_ptr() -> *const u8 {
    with_slot(|cell| match cell.try_borrow() {
        Ok(result) => result.words.as_ptr().cast::<u8>(),
        Err(_) => std::ptr::null(),
    })
}

/// Length of the result buffer in bytes.
#[no_mangle]
pub extern "C" fn holo_result_len() -> usize {
    with_slot(|cell| match cell.try_borrow() {
        Ok(result) => result.len,
        Err(_) => 0,
    })
}

fn with_result(fill: impl FnOnce(&mut Output)) -> u32 {
    with_slot(|cell| match cell.try_borrow_mut() {
        Ok(mut result) => {
            fill(&mut result);
            STATUS_OK
        }
        Err(_) => STATUS_BUSY,
    })
}

/// # Safety
/// As for the exported functions that call it.
unsafe fn input<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if ptr.is_null() || len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr, len)
    }
}
