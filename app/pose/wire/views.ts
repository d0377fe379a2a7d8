/**
 * Cached prefix views of reused buffers, so sending "the first n bytes" each
 * tick does not allocate a new Uint8Array view every time.
 */
const cache = new WeakMap<Uint8Array, (Uint8Array | undefined)[]>();

export function viewOf(buffer: Uint8Array, length: number): Uint8Array {
  let views = cache.get(buffer);
  if (!views) {
    views = new Array(buffer.length + 1);
    cache.set(buffer, views);
  }
  let view = views[length];
  if (!view) {
    view = buffer.subarray(0, length);
    views[length] = view;
  }
  return view;
}
