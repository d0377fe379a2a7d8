/**
 * # The DOM renderer
 *
 * The app's panels and start page render with React on this small renderer,
 * not React DOM (docs/architecture.md "The DOM renderer", DOM1-DOM9;
 * docs/performance.md LOAD27). It is a host config (host-config.ts) for the
 * same `react-reconciler` the room's canvas already runs under R3F: the build
 * takes R3F's inlined copy of it out and shares the package's own module
 * (scripts/shared-reconciler.mjs), so the page carries one reconciler and no
 * React DOM (about 60 K gzip less).
 *
 * What it does, and what it leaves out:
 * - `createRoot(element).render(node)` / `.unmount()`: a React 18+ concurrent
 *   root (DOM1); `createPortal(node, element)` (DOM8).
 * - Elements, text, attributes, properties and style (props.ts, DOM3).
 * - Events are the browser's own, listened to on each element (events.ts,
 *   DOM4-DOM5): `onClick`, `onChange` (`input` for text fields and ranges,
 *   `change` for checkboxes, radios and selects), `onSubmit`, `onFocus` and
 *   `onBlur` (bubbling, as `focusin`/`focusout`). A handler receives a native
 *   `Event`: there is no `nativeEvent`, `persist()` or
 *   `isPropagationStopped()`; the app's handlers keep React's event types for
 *   the fields they read (`target`, `currentTarget`, `preventDefault()`), which
 *   the native events have. Events bubble along the DOM tree, also out of a
 *   portal. Any other `on*` prop throws.
 * - Controlled fields (DOM6): `value`/`checked` are written when they differ
 *   from what the field shows, and after each event the field shows its props
 *   again, so an edit the handler did not keep is undone.
 * - Suspense (DOM7), refs (by the reconciler), `autoFocus`.
 * - Not: hydration, SVG/MathML, `dangerouslySetInnerHTML`, form actions,
 *   `flushSync` (the app uses none).
 *
 * @example
 *   const root = createRoot(document.getElementById('root')!);
 *   root.render(<App />);
 *   root.unmount();
 */

import { ConcurrentRoot, DiscreteEventPriority } from '@react-three/fiber/react-reconciler/constants.js';
import createReconciler from '@react-three/fiber/react-reconciler/index.js';
import type { ReactNode, ReactPortal } from 'react';
import { configureEventDispatch } from './events.ts';
import { type Container, currentProps, hostConfig } from './host-config.ts';
import { restoreControlledValue } from './props.ts';

const reconciler = createReconciler(hostConfig);

// DOM4: a handler's updates render as one discrete batch before the event returns; DOM6: then the field shows its props.
configureEventDispatch((handler, event) => {
  const previous = hostConfig.getCurrentUpdatePriority();
  try {
    hostConfig.setCurrentUpdatePriority(DiscreteEventPriority);
    reconciler.batchedUpdates(() => handler(event), undefined);
  } finally {
    hostConfig.setCurrentUpdatePriority(previous);
  }
  reconciler.flushSyncWork();
  const target = event.target;
  if ((event.type === 'input' || event.type === 'change') && target instanceof HTMLElement) {
    restoreControlledValue(target, currentProps.get(target));
  }
});

/** A root: what React renders into one element of the page. */
export interface Root {
  render(children: ReactNode): void;
  unmount(): void;
}

const rooted = new WeakSet<Container>();

/** Uncaught render errors reach the page's error handlers, as with React DOM. */
function reportUncaught(error: unknown): void {
  reportError(error);
}

/**
 * Makes `container` a root (DOM1). Its children are replaced by what is
 * rendered at the first commit. One root per element: a second throws.
 */
export function createRoot(container: Container): Root {
  if (rooted.has(container)) throw new Error('This element is already a root: unmount it before making another (DOM1)');
  rooted.add(container);
  const fiberRoot = reconciler.createContainer(
    container,
    ConcurrentRoot,
    null,
    false,
    null,
    '',
    reportUncaught,
    (error) => console.error(error),
    reportUncaught,
    () => {},
  );
  let mounted = true;
  return {
    render(children) {
      if (!mounted) throw new Error('This root was unmounted: make a new one with createRoot (DOM1)');
      reconciler.updateContainer(children, fiberRoot, null, null);
    },
    unmount() {
      if (!mounted) return;
      mounted = false;
      reconciler.updateContainerSync(null, fiberRoot, null, null);
      reconciler.flushSyncWork();
      rooted.delete(container);
    },
  };
}

/** Renders `children` into `container`, elsewhere in the page, as part of this tree (DOM8). */
export function createPortal(children: ReactNode, container: Container, key?: string): ReactPortal {
  return reconciler.createPortal(children, container, null, key ?? null) as unknown as ReactPortal;
}
