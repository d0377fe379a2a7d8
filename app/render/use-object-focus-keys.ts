/**
 * The 3D view as one stop of the page's Tab order (docs/ui.md, ACC5-ACC6):
 * adapts the room's `ObjectFocus` (app/interaction/object-focus.ts) to the
 * view's container. Tab and Shift+Tab step between the interactive objects and
 * leave the view past either end; Enter clicks the focused object; Escape and
 * leaving the view drop object focus. What a screen reader hears is returned
 * for an aria-live region.
 */
import { type FocusEvent, type KeyboardEvent, useMemo, useState } from 'react';
import { announce } from '../interaction/object-focus.ts';
import type { Room } from '../room/open-room.ts';
import { useStore } from './use-store.ts';

export interface ObjectFocusKeys {
  /** For the view's container: focusable, named, with the key and focus handlers. */
  container: {
    tabIndex: 0;
    role: 'group';
    'aria-label': string;
    onKeyDown(event: KeyboardEvent<HTMLElement>): void;
    onFocus(event: FocusEvent<HTMLElement>): void;
    onBlur(event: FocusEvent<HTMLElement>): void;
  };
  /** The live region's text: the focused object while the view has focus, else empty. */
  announcement: string;
}

/** True when `from` (where focus was) comes after `view` in the document: focus arrived with Shift+Tab. */
function cameBackwards(view: HTMLElement, from: EventTarget | null): boolean {
  return from instanceof Node && (view.compareDocumentPosition(from) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
}

export function useObjectFocusKeys(room: Room): ObjectFocusKeys {
  const state = useStore(room.focus.state);
  const [viewFocused, setViewFocused] = useState(false);
  const container = useMemo<ObjectFocusKeys['container']>(
    () => ({
      tabIndex: 0,
      role: 'group',
      'aria-label': '3D view',
      onKeyDown(event) {
        if (event.altKey || event.ctrlKey || event.metaKey) return;
        if (event.key === 'Tab') {
          if (room.focus.move(event.shiftKey ? 'backward' : 'forward')) event.preventDefault();
        } else if (event.key === 'Enter') {
          if (room.clickFocused()) event.preventDefault();
        } else if (event.key === 'Escape') {
          room.focus.clear();
        }
      },
      onFocus(event) {
        if (event.target !== event.currentTarget) return;
        setViewFocused(true);
        // A pointer press focuses the view too; only keyboard focus (focus-visible) picks an object.
        if (!event.currentTarget.matches(':focus-visible')) return;
        room.focus.enter(cameBackwards(event.currentTarget, event.relatedTarget) ? 'backward' : 'forward');
      },
      onBlur(event) {
        if (event.target !== event.currentTarget) return;
        setViewFocused(false);
        room.focus.clear();
      },
    }),
    [room],
  );
  return { container, announcement: viewFocused ? announce(state) : '' };
}
