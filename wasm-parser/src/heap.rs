//! The module's memory allocator (WebAssembly only; host builds use the
//! system allocator).
//!
//! The standard library's default for wasm32 is dlmalloc, about a tenth of
//! this module's code. A parse needs far less: a handful of vectors that
//! grow by doubling (tokens, result words, string table, diagnostics) and
//! the host's input buffer, all freed or reused by the next parse. So blocks
//! come in power-of-two size classes: a freed block goes on its class's free
//! list and the next request of that class takes it back; new blocks are cut
//! from the end of memory, which grows a page at a time (WebAssembly memory
//! never shrinks, with dlmalloc either). A block never moves between
//! classes, so memory holds at most the largest set of blocks in use at
//! once, rounded up to powers of two.

/// Addresses and sizes of a heap: the free lists and the unused end.
pub struct Heap {
    /// Head of the free list of each class (class `k` holds `2^k` bytes);
    /// 0 = empty. The first word of a free block links to the next.
    free: [usize; CLASSES],
    /// Next unused address, and the end of memory.
    next: usize,
    end: usize,
}

const CLASSES: usize = 32;
/// The smallest block holds one link.
const MIN_CLASS: usize = 3;
/// Blocks start on 8-byte boundaries: every type the parser allocates
/// needs at most that (`u64`, `f64`).
const ALIGN: usize = 8;

/// The class of a request: the smallest `k >= MIN_CLASS` with `2^k >= size`.
pub fn class_of(size: usize) -> usize {
    let size = size.max(1 << MIN_CLASS);
    (usize::BITS - (size - 1).leading_zeros()) as usize
}

impl Default for Heap {
    fn default() -> Heap {
        Heap::new()
    }
}

impl Heap {
    pub const fn new() -> Heap {
        Heap {
            free: [0; CLASSES],
            next: 0,
            end: 0,
        }
    }

    /// The address of a block for `size` bytes aligned to `align`, or 0.
    /// `grow(bytes)` must add at least `bytes` of memory right after `end`
    /// and return how many it added (0 if it cannot).
    ///
    /// # Safety
    /// Every non-zero free-list head must be a block this heap handed out
    /// and was given back with [`Heap::free`] (its first word is writable).
    pub unsafe fn allocate(
        &mut self,
        size: usize,
        align: usize,
        grow: impl FnOnce(usize) -> usize,
    ) -> usize {
        if align > ALIGN {
            return 0;
        }
        let class = class_of(size);
        let head = match self.free.get(class) {
            Some(&head) => head,
            None => return 0,
        };
        if head != 0 {
            // SAFETY: a free block's first word holds the next link.
            let next = *(head as *const usize);
            if let Some(slot) = self.free.get_mut(class) {
                *slot = next;
            }
            return head;
        }
        let start = (self.next + ALIGN - 1) & !(ALIGN - 1);
        let end = match start.checked_add(1 << class) {
            Some(end) => end,
            None => return 0,
        };
        if end > self.end {
            let added = grow(end - self.end);
            if added < end - self.end {
                return 0;
            }
            self.end += added;
        }
        self.next = end;
        start
    }

    /// Gives back a block of `size` bytes from [`Heap::allocate`].
    ///
    /// # Safety
    /// `block` must come from `allocate` with the same `size` and not be in
    /// use any more.
    pub unsafe fn free(&mut self, block: usize, size: usize) {
        if let Some(head) = self.free.get_mut(class_of(size)) {
            // SAFETY: the caller gives up the block; its first word is ours.
            *(block as *mut usize) = *head;
            *head = block;
        }
    }

    /// Whether a block for `old` bytes also holds `new` bytes (same class).
    pub fn same_class(old: usize, new: usize) -> bool {
        class_of(old) == class_of(new)
    }

    /// Starts the heap at `start` with memory up to `end` (the first call
    /// does this; later calls change nothing).
    pub fn start_at(&mut self, start: usize, end: usize) {
        if self.end == 0 {
            self.next = start;
            self.end = end;
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use super::Heap;
    use std::alloc::{GlobalAlloc, Layout};
    use std::arch::wasm32;
    use std::cell::UnsafeCell;

    const PAGE: usize = 65_536;

    extern "C" {
        /// First address after the module's data and stack (set by the linker).
        static __heap_base: u8;
    }

    struct SizeClasses(UnsafeCell<Heap>);

    // SAFETY: WebAssembly modules without threads run on one thread.
    unsafe impl Sync for SizeClasses {}

    #[global_allocator]
    static ALLOCATOR: SizeClasses = SizeClasses(UnsafeCell::new(Heap::new()));

    unsafe impl GlobalAlloc for SizeClasses {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let heap = &mut *self.0.get();
            heap.start_at(
                &__heap_base as *const u8 as usize,
                wasm32::memory_size(0) * PAGE,
            );
            let grow = |bytes: usize| {
                let pages = (bytes + PAGE - 1) / PAGE;
                if wasm32::memory_grow(0, pages) == usize::MAX {
                    0
                } else {
                    pages * PAGE
                }
            };
            heap.allocate(layout.size(), layout.align(), grow) as *mut u8
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            (*self.0.get()).free(ptr as usize, layout.size());
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            if Heap::same_class(layout.size(), new_size) {
                return ptr;
            }
            let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
            let new = self.alloc(new_layout);
            if !new.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_powers_of_two_from_eight_bytes() {
        assert_eq!(class_of(0), 3);
        assert_eq!(class_of(8), 3);
        assert_eq!(class_of(9), 4);
        assert_eq!(class_of(4096), 12);
        assert_eq!(class_of(4097), 13);
        assert!(Heap::same_class(100, 128) && !Heap::same_class(128, 129));
    }

    /// Runs the heap over a real buffer: blocks are distinct, aligned, inside
    /// the memory given, and freed blocks come back for their class only.
    #[test]
    fn blocks_are_reused_by_class_and_memory_grows_on_demand() {
        let mut memory = vec![0u64; 1 << 16];
        let base = memory.as_mut_ptr() as usize;
        let limit = base + memory.len() * 8;
        let mut heap = Heap::new();
        heap.start_at(base, base + 1024);
        let grown = std::cell::Cell::new(0);
        let grow = |bytes: usize| {
            grown.set(grown.get() + 1);
            if base + 1024 + bytes <= limit {
                bytes
            } else {
                0
            }
        };
        unsafe {
            let a = heap.allocate(24, 8, grow);
            let b = heap.allocate(24, 8, grow);
            let c = heap.allocate(100, 4, grow);
            assert!(a != 0 && b != 0 && c != 0);
            assert_eq!((a % 8, b - a, c - b), (0, 32, 32));
            heap.free(a, 24);
            assert_eq!(
                heap.allocate(17, 8, grow),
                a,
                "a freed 32-byte block comes back"
            );
            heap.free(c, 100);
            assert_ne!(
                heap.allocate(24, 8, grow),
                c,
                "a 128-byte block is not reused for 24"
            );
            let big = heap.allocate(200_000, 8, grow);
            assert!(big != 0 && big + 200_000 <= limit);
            assert!(grown.get() > 0);
            assert_eq!(
                heap.allocate(1 << 30, 8, grow),
                0,
                "out of memory is a null block"
            );
            assert_eq!(
                heap.allocate(8, 16, grow),
                0,
                "over-aligned requests are refused"
            );
        }
        drop(memory);
    }
}
