//! The C ABI seen by the TypeScript bridge (`app/scene/wasm-module.ts`).
//!
//! Memory protocol: the host calls [`holo_alloc`] for an input buffer, writes
//! UTF-8 bytes into it, calls a function with `(ptr, len)`, then releases the
//! buffer with [`holo_free`] using the same length. Functions never panic on
//! any input; an allocation failure returns a null pointer.

use std::alloc::{alloc, dealloc, Layout};

/// Bumped when an export changes meaning; the bridge refuses other versions.
pub const ABI_VERSION: u32 = 1;

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

/// # Safety
/// As for the exported functions that call it.
unsafe fn input<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if ptr.is_null() || len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr, len)
    }
}
