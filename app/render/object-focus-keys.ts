/**
 * The 3D view as one stop of the page's Tab order (docs/ui.md, ACC5-ACC6):
 * adapts the room's `ObjectFocus` (app/interaction/object-focus.ts) to the
 * view's container. Tab and Shift+Tab step between the interactive objects and
 * leave the view past either end; Enter clicks the focused object; Escape and
 * leaving the view drop object focus. What a screen reader hears goes into an
 * aria-live region: the focused object while the view has focus, else nothing.
 *
 * @example
 *   const detach = attachObjectFocusKeys(view, liveRegion, room);
 *   detach();
 */
import { announce } from '../interaction/object-focus.ts';
import type { Room } from '../room/open-room.ts';

/** True when `from` (where focus was) comes after `view` in the document: focus arrived with Shift+Tab. */
function cameBackwards(view: HTMLElement, from: EventTarget | null): boolean {
  return from instanceof Node && (view.compareDocumentPosition(from) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
}

export function attachObjectFocusKeys(view: HTMLElement, liveRegion: HTMLElement, room: Room): () => void {
  let viewFocused = false;
  const say = () => {
    liveRegion.textContent = viewFocused ? announce(room.focus.state.get()) : '';
  };
  view.tabIndex = 0;
  view.setAttribute('role', 'group');
  view.setAttribute('aria-label', '3D view');
  liveRegion.setAttribute('aria-live', 'polite');
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'Tab') {
      if (room.focus.move(event.shiftKey ? 'backward' : 'forward')) event.preventDefault();
    } else if (event.key === 'Enter') {
      if (room.clickFocused()) event.preventDefault();
    } else if (event.key === 'Escape') {
      room.focus.clear();
    }
  };
  const onFocus = (event: FocusEvent) => {
    if (event.target !== view) return;
    viewFocused = true;
    say();
    // A pointer press focuses the view too; only keyboard focus (focus-visible) picks an object.
    if (!view.matches(':focus-visible')) return;
    room.focus.enter(cameBackwards(view, event.relatedTarget) ? 'backward' : 'forward');
  };
  const onBlur = (event: FocusEvent) => {
    if (event.target !== view) return;
    viewFocused = false;
    room.focus.clear();
    say();
  };
  view.addEventListener('keydown', onKeyDown);
  view.addEventListener('focus', onFocus);
  view.addEventListener('blur', onBlur);
  const stopSaying = room.focus.state.subscribe(say);
  return () => {
    stopSaying();
    view.removeEventListener('keydown', onKeyDown);
    view.removeEventListener('focus', onFocus);
    view.removeEventListener('blur', onBlur);
  };
}
