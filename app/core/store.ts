/**
 * A minimal observable value (the vanilla half of a zustand-style store):
 * plain TypeScript, no React. `app/ui/use-store.ts` adapts it with
 * `useSyncExternalStore`.
 *
 * @example
 *   const count = createStore(0);
 *   const stop = count.subscribe((n) => console.log(n));
 *   count.set(1); // logs 1
 */
export interface Store<T> {
  get(): T;
  set(next: T): void;
  update(fn: (current: T) => T): void;
  subscribe(listener: (value: T) => void): () => void;
}

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<(value: T) => void>();
  const set = (next: T) => {
    if (Object.is(next, value)) return;
    value = next;
    for (const listener of [...listeners]) listener(value);
  };
  return {
    get: () => value,
    set,
    update: (fn) => set(fn(value)),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
