/**
 * ROLE10: after a viewer tries to grab or click a shared object, the page says
 * why nothing happened (the interaction's rights refused it and counted it in
 * `refused`; `hint` is what to say, undefined on a page that may change things).
 */
import type { Store } from '../core/store.ts';
import { useStore } from '../render/use-store.ts';

export function ViewOnlyHint({ refused, hint }: { refused: Store<{ count: number }>; hint: string | undefined }) {
  const { count } = useStore(refused);
  if (count === 0 || hint === undefined) return null;
  return (
    <p className="notice" role="status" data-testid="view-only-hint">
      {hint}
    </p>
  );
}
