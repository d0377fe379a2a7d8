/**
 * Handler names to events (docs/scene-runtime.md EV1-EV3).
 *
 *   EV1 a handler's event is its name without a leading `on`/`on_`, lower-cased,
 *       without underscores: `onClick`, `on_click` and `onclick` are all `click`;
 *       `on_hover_enter` and `onHoverEnter` are `hoverenter`.
 *   EV2 synonyms people write map to the five events Holoroom fires:
 *       click (select, press, tap, point, pinch), hoverenter (hover,
 *       hoverstart, pointerenter, gazeenter), hoverexit (hoverleave, hoverend,
 *       unhover, pointerleave, gazeexit), grab (grabstart, pickup), release
 *       (grabend, drop).
 *   EV3 other `on...` handlers are kept but reported as unsupported; every
 *       handler is also a method callable by its written name (`this.helper()`).
 *   EV4 the `on` forms name their event as written (`on "tap" { }`,
 *       `on("grab") { }`), matched like EV1 without the `on`.
 */
import { own } from './own.ts';

export const EVENTS = ['click', 'hoverenter', 'hoverexit', 'grab', 'release'] as const;
export type SceneEvent = (typeof EVENTS)[number];

const SYNONYMS: Readonly<Record<string, SceneEvent>> = {
  click: 'click',
  select: 'click',
  press: 'click',
  tap: 'click',
  point: 'click',
  hoverenter: 'hoverenter',
  hover: 'hoverenter',
  hoverstart: 'hoverenter',
  pointerenter: 'hoverenter',
  hoverexit: 'hoverexit',
  hoverleave: 'hoverexit',
  hoverend: 'hoverexit',
  unhover: 'hoverexit',
  pointerleave: 'hoverexit',
  grab: 'grab',
  grabstart: 'grab',
  pickup: 'grab',
  release: 'release',
  grabend: 'release',
  drop: 'release',
  pinch: 'click',
  gazeenter: 'hoverenter',
  gazeexit: 'hoverexit',
};

/** `onHoverEnter` -> `hoverenter`; undefined for names that are not handlers (`helper`). */
export function eventKey(name: string): string | undefined {
  let rest: string;
  if (name.startsWith('on_')) rest = name.slice(3);
  else if (/^on[A-Z]/.test(name)) rest = name.slice(2);
  else if (/^on[a-z]/.test(name) && name.toLowerCase() === name && name.length > 2) rest = name.slice(2);
  else return undefined;
  const key = rest.replace(/_/g, '').toLowerCase();
  return key.length > 0 ? key : undefined;
}

/** The event Holoroom fires for a handler name, or undefined (EV3). */
export function sceneEventOf(name: string): SceneEvent | undefined {
  const key = eventKey(name);
  return key === undefined ? undefined : own(SYNONYMS, key);
}

/** Handler-looking property names (`on_click: "name"`): they name actions Holoroom cannot run. */
export function isHandlerName(name: string): boolean {
  return eventKey(name) !== undefined;
}

/** The event Holoroom fires for an `on` form's event name (`tap`, `gaze_enter`), or undefined (EV4). */
export function onFormEventOf(event: string): SceneEvent | undefined {
  return own(SYNONYMS, event.replace(/[_\s-]/g, '').toLowerCase());
}
