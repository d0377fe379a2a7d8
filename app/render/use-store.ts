import { useSyncExternalStore } from 'react';
import type { Store } from '../core/store.ts';

/** Subscribes a component to a plain-TS store. */
export function useStore<T>(store: Pick<Store<T>, 'get' | 'subscribe'>): T {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}
