import { describe, expect, it } from 'vitest';
import { createStore } from './store.ts';

describe('store', () => {
  it('notifies subscribers of changes only, until they unsubscribe', () => {
    const store = createStore({ n: 0 });
    const seen: number[] = [];
    const stop = store.subscribe((value) => seen.push(value.n));
    const same = store.get();
    store.set(same);
    store.update((v) => ({ n: v.n + 1 }));
    stop();
    store.set({ n: 5 });
    expect(seen).toEqual([1]);
    expect(store.get().n).toBe(5);
  });
});
