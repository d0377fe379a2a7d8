/**
 * Handler names to events (docs/scene-runtime.md EV1-EV4).
 *
 *   EV1 a handler's event is its name without a leading `on`/`on_`, lower-cased,
 *       without underscores: `onClick`, `on_click` and `onclick` are all `click`;
 *       `on_hover_enter` and `onHoverEnter` are `hoverenter`.
 *   EV2 synonyms people write map to the five events Holoroom fires (the
 *       vocabulary's EVENTS: click, hoverenter, hoverexit, grab, release).
 *   EV3 other `on...` handlers are kept but reported as unsupported; every
 *       handler is also a method callable by its written name (`this.helper()`).
 *   EV4 the `on` forms name their event as written (`on "tap" { }`,
 *       `on("grab") { }`), matched like EV1 without the `on`.
 */
import { EVENTS, type EventWord } from '../syntax/vocabulary.ts';

export type SceneEvent = EventWord['name'];

/** Every spelling of an event (EV2) -> the event Holoroom fires. */
const SYNONYMS = new Map<string, SceneEvent>();
for (const event of EVENTS) for (const name of [event.name, ...event.aliases]) SYNONYMS.set(name, event.name);

/** `onHoverEnter` -> `hoverenter`; undefined for names that are not handlers (`helper`). */
function eventKey(name: string): string | undefined {
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
  return key === undefined ? undefined : SYNONYMS.get(key);
}

/** Handler-looking property names (`on_click: "name"`): they name actions Holoroom cannot run. */
export function isHandlerName(name: string): boolean {
  return eventKey(name) !== undefined;
}

/** The event Holoroom fires for an `on` form's event name (`tap`, `gaze_enter`), or undefined (EV4). */
export function onFormEventOf(event: string): SceneEvent | undefined {
  return SYNONYMS.get(event.replace(/[_\s-]/g, '').toLowerCase());
}
