/**
 * Event props as native listeners (docs/architecture.md, DOM4-DOM5).
 *
 * Each element listens itself, once per native event type, and looks up its
 * current handler when the event arrives, so an update that swaps a handler
 * touches no listener. Handlers receive the browser's own event: `target`,
 * `currentTarget` (the element the prop is on), `preventDefault()` and
 * `stopPropagation()` are the DOM's. Events bubble along the DOM tree, so
 * a portal's events reach the portal's DOM parents, not its React parents.
 *
 * Only the props the app uses are known; any other `on*` prop is a
 * programmer error that throws with the list (DOM5).
 */

/** A handler as the app writes it; React's event types describe the fields it reads. */
type Handler = (event: Event) => void;

/** The native events each supported prop listens to. `onChange` needs both: which one fires it depends on the element. */
const NATIVE_TYPES: Readonly<Record<string, readonly string[]>> = {
  onClick: ['click'],
  onSubmit: ['submit'],
  // React's onFocus/onBlur bubble: the focusin/focusout events do, focus/blur do not.
  onFocus: ['focusin'],
  onBlur: ['focusout'],
  onChange: ['input', 'change'],
};

/** The event props this renderer knows, for its error message. */
const EVENT_PROPS: readonly string[] = Object.keys(NATIVE_TYPES);

/** Whether a prop name is an event prop (`on` and a capital letter). */
export function isEventProp(name: string): boolean {
  return name.length > 2 && name.startsWith('on') && name[2] !== undefined && name[2] >= 'A' && name[2] <= 'Z';
}

/**
 * `onChange` is the value changing as the person edits (DOM4): `input` for
 * text fields, text areas and ranges, `change` for checkboxes, radios, file
 * inputs and selects, whose `input` and `change` come together.
 */
function changeEventType(element: Element): 'input' | 'change' {
  if (element instanceof HTMLSelectElement) return 'change';
  if (element instanceof HTMLInputElement && ['checkbox', 'radio', 'file'].includes(element.type)) return 'change';
  return 'input';
}

/** The prop an arriving native event calls on `element`. */
function propFor(element: Element, type: string): string | undefined {
  switch (type) {
    case 'click':
      return 'onClick';
    case 'submit':
      return 'onSubmit';
    case 'focusin':
      return 'onFocus';
    case 'focusout':
      return 'onBlur';
    case 'input':
    case 'change':
      return changeEventType(element) === type ? 'onChange' : undefined;
    default:
      return undefined;
  }
}

/** Runs a handler as an update of the reconciler: set by the renderer's root module (`configureEventDispatch`). */
type Dispatch = (handler: Handler, event: Event) => void;
let dispatch: Dispatch = (handler, event) => handler(event);

/** Sets how a handler runs: inside the reconciler's discrete update, then its sync work flushed (DOM4). */
export function configureEventDispatch(run: Dispatch): void {
  dispatch = run;
}

const handlers = new WeakMap<Element, Map<string, Handler>>();

function listener(this: Element, event: Event): void {
  const prop = propFor(this, event.type);
  const handler = prop === undefined ? undefined : handlers.get(this)?.get(prop);
  if (handler) dispatch(handler, event);
}

function nativeTypesOf(prop: string): readonly string[] {
  const types = NATIVE_TYPES[prop];
  if (!types) {
    throw new Error(
      `The DOM renderer does not know the event prop \`${prop}\` (it supports ${EVENT_PROPS.join(', ')}): ` +
        'add it to app/ui/dom-renderer/events.ts with the native event it means (DOM5)',
    );
  }
  return types;
}

/** Sets, replaces or (with `undefined`/`null`) removes the handler of event prop `prop` on `element`. */
export function setEventHandler(element: Element, prop: string, value: unknown): void {
  const types = nativeTypesOf(prop);
  let byProp = handlers.get(element);
  if (value === undefined || value === null) {
    if (!byProp?.delete(prop)) return;
    for (const type of types) element.removeEventListener(type, listener);
    return;
  }
  if (typeof value !== 'function') throw new TypeError(`\`${prop}\` must be a function, not ${typeof value} (DOM5)`);
  if (!byProp) {
    byProp = new Map();
    handlers.set(element, byProp);
  }
  if (!byProp.has(prop)) for (const type of types) element.addEventListener(type, listener);
  byProp.set(prop, value as Handler);
}
