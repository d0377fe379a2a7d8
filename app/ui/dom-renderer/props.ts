/**
 * Props onto a DOM element (docs/architecture.md, DOM3): attributes,
 * properties, style and event handlers, set on creation and diffed on
 * update; a prop that is gone is removed.
 *
 * - `className` and `htmlFor` are the `class` and `for` attributes; other
 *   names are set as attributes as written (an HTML document lowercases them:
 *   `maxLength`, `tabIndex`, `autoComplete`, `dateTime`).
 * - `aria-*` and `data-*` take any value as text (`true` is `"true"`), as do
 *   `spellCheck` and `draggable`; the boolean attributes below are present
 *   when `true` and absent when `false`. A boolean anywhere else throws.
 * - `value`, `checked`, `selected`, `defaultValue`, `defaultChecked` are
 *   properties, set after every attribute (an input's `type`, `min`, `max`
 *   and `step` first, or a range would clamp its value).
 * - `style` is an object of camelCase (or `--custom`) properties; numbers get
 *   `px` except for the unitless ones.
 * - `autoFocus` focuses the element when it is first committed
 *   (host-config.ts), `dangerouslySetInnerHTML` is not supported (the app
 *   does not use it) and throws.
 */
import { isEventProp, setEventHandler } from './events.ts';

/** An element's props as React passes them to the host. */
export type Props = Readonly<Record<string, unknown>>;
type Style = Readonly<Record<string, unknown>>;

/** Props the reconciler itself handles, or that never reach the DOM. */
const NOT_ATTRIBUTES = new Set(['children', 'key', 'ref', 'autoFocus', 'suppressHydrationWarning']);

const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = { className: 'class', htmlFor: 'for' };

const BOOLEAN_ATTRIBUTES = new Set([
  'disabled',
  'hidden',
  'readOnly',
  'required',
  'open',
  'multiple',
  'noValidate',
  'inert',
  'autoPlay',
  'controls',
  'loop',
  'muted',
  'playsInline',
]);

/** Attributes whose value is the text "true" or "false". */
const BOOLEANISH_ATTRIBUTES = new Set(['spellCheck', 'draggable', 'contentEditable']);

/** Properties, in the order they are set, after the attributes. */
const PROPERTIES = ['defaultValue', 'defaultChecked', 'value', 'checked', 'selected'] as const;
type Property = (typeof PROPERTIES)[number];
const isProperty = (name: string): name is Property => (PROPERTIES as readonly string[]).includes(name);

const UNITLESS_STYLES = new Set([
  'aspectRatio',
  'flex',
  'flexGrow',
  'flexShrink',
  'fontWeight',
  'lineHeight',
  'opacity',
  'order',
  'zIndex',
  'zoom',
  'scale',
  'columnCount',
  'tabSize',
]);

/** Sets every prop of a new element. */
export function setInitialProps(element: HTMLElement, props: Props): void {
  updateProps(element, {}, props);
}

/** Applies what changed from `previous` to `next`, removing what is gone (DOM3). */
export function updateProps(element: HTMLElement, previous: Props, next: Props): void {
  for (const name of Object.keys(previous)) {
    if (!(name in next) && !isProperty(name)) setProp(element, name, previous[name], undefined);
  }
  for (const [name, value] of Object.entries(next)) {
    if (!isProperty(name) && previous[name] !== value) setProp(element, name, previous[name], value);
  }
  for (const name of PROPERTIES) {
    if (name in next || name in previous) setProperty(element, name, next[name]);
  }
}

function setProp(element: HTMLElement, name: string, previous: unknown, value: unknown): void {
  if (NOT_ATTRIBUTES.has(name)) return;
  if (isEventProp(name)) setEventHandler(element, name, value);
  else if (name === 'style') setStyle(element, previous as Style | undefined, value as Style | undefined);
  else if (name === 'dangerouslySetInnerHTML') {
    throw new Error('The DOM renderer does not support `dangerouslySetInnerHTML` (DOM3)');
  } else setAttribute(element, name, value);
}

function setAttribute(element: HTMLElement, name: string, value: unknown): void {
  const attribute = ATTRIBUTE_NAMES[name] ?? name;
  if (value === undefined || value === null) {
    element.removeAttribute(attribute);
  } else if (BOOLEAN_ATTRIBUTES.has(name)) {
    if (value === true) element.setAttribute(attribute, '');
    else if (value === false) element.removeAttribute(attribute);
    else throw new TypeError(`\`${name}\` is a boolean attribute: pass true or false, not ${JSON.stringify(value)}`);
  } else if (typeof value === 'boolean') {
    if (!(name.startsWith('aria-') || name.startsWith('data-') || BOOLEANISH_ATTRIBUTES.has(name))) {
      throw new TypeError(`\`${name}={${value}}\`: \`${name}\` is not a boolean attribute; pass its text (DOM3)`);
    }
    element.setAttribute(attribute, String(value));
  } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    element.setAttribute(attribute, String(value));
  } else {
    throw new TypeError(`\`${name}\` must be text, a number or a boolean, not ${typeof value} (DOM3)`);
  }
}

/**
 * A controlled field's value is written only when it differs from what the
 * element shows, so the caret stays where the person is typing (DOM6).
 */
function setProperty(element: HTMLElement, name: Property, value: unknown): void {
  if (!(name in element)) {
    if (name === 'value') setAttribute(element, name, value);
    return;
  }
  const target = element as unknown as Record<Property, unknown>;
  if (name === 'checked' || name === 'selected' || name === 'defaultChecked') {
    const next = Boolean(value);
    if (target[name] !== next) target[name] = next;
    return;
  }
  const next = value === undefined || value === null ? '' : String(value);
  if (target[name] !== next) target[name] = next;
}

/** `fontSize` → `font-size`, `WebkitUserSelect` → `-webkit-user-select`; custom properties as they are. */
function cssName(name: string): string {
  if (name.startsWith('--')) return name;
  const hyphenated = name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  return /^(webkit|moz|ms)-/.test(hyphenated) ? `-${hyphenated}` : hyphenated;
}

function cssValue(name: string, value: unknown): string {
  if (value === undefined || value === null || typeof value === 'boolean' || value === '') return '';
  if (typeof value === 'number' && value !== 0 && !name.startsWith('--') && !UNITLESS_STYLES.has(name)) {
    return `${value}px`;
  }
  return String(value);
}

function setStyle(element: HTMLElement, previous: Style | undefined, next: Style | undefined): void {
  for (const name of Object.keys(previous ?? {})) {
    if (!next || !(name in next)) element.style.removeProperty(cssName(name));
  }
  for (const [name, value] of Object.entries(next ?? {})) {
    if (previous?.[name] === value) continue;
    const text = cssValue(name, value);
    if (text === '') element.style.removeProperty(cssName(name));
    else element.style.setProperty(cssName(name), text);
  }
}

/**
 * After a handler ran and its updates committed, a controlled field shows its
 * props again: if the handler did not take the edit into state, the edit is
 * undone, as React DOM does (DOM6).
 */
export function restoreControlledValue(element: HTMLElement, props: Props | undefined): void {
  if (!props) return;
  if ('value' in props && props.value !== undefined && props.value !== null) setProperty(element, 'value', props.value);
  if ('checked' in props && props.checked !== undefined && props.checked !== null) {
    setProperty(element, 'checked', props.checked);
  }
}
