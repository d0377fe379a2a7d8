/**
 * The keyboard path to the 3D view's interactive objects (docs/ui.md,
 * ACC5-ACC6): which objects Tab stops at, in which order, which one has
 * focus, and what a screen reader is told about it. Plain TypeScript; the
 * page adapts it (`app/ui/SceneKeyboard.tsx`) and the room runs the click.
 *
 * The view is one stop of the page's Tab order that holds its objects:
 * entering it forwards focuses the first object, backwards (Shift+Tab) the
 * last; Tab and Shift+Tab step between them, and stepping past either end
 * leaves the view, so the rest of the page stays reachable.
 *
 * @example
 *   const focus = new ObjectFocus();
 *   focus.setTargets(focusTargets(view.model?.roots ?? []));
 *   focus.enter('forward');          // the first object
 *   focus.move('forward');           // true: the second; false past the last (focus leaves)
 *   announce(focus.state.get());     // "Say hello, button, 2 of 5"
 */
import type { ObjectId } from '../core/ids.ts';
import { createStore, type Store } from '../core/store.ts';
import type { SceneNode } from '../scene/model/scene-model.ts';

export interface FocusTarget {
  id: ObjectId;
  /** What a screen reader says: the object's label, else its name, else its id. */
  name: string;
  /** Enter runs its click handler (TRAIT3). */
  clickable: boolean;
  /** It can be picked up with a pointer or a controller (GRAB1). */
  grabbable: boolean;
}

export interface FocusState {
  targets: readonly FocusTarget[];
  /** Index into `targets` of the focused object, or null when no object has focus. */
  index: number | null;
}

export type FocusDirection = 'forward' | 'backward';

/** An object a person can act on: clickable (the trait or a click handler) or grabbable. */
function isInteractive(node: SceneNode): boolean {
  return node.traits.clickable || node.handlers.events.has('click') || node.traits.grabbable;
}

/** The interactive objects of a scene, in the order the script writes them (depth first). */
export function focusTargets(roots: readonly SceneNode[]): FocusTarget[] {
  const targets: FocusTarget[] = [];
  const visit = (nodes: readonly SceneNode[]) => {
    for (const node of nodes) {
      if (isInteractive(node)) {
        targets.push({
          id: node.id,
          name: node.label ?? node.name ?? node.id,
          clickable: node.traits.clickable || node.handlers.events.has('click'),
          grabbable: node.traits.grabbable,
        });
      }
      visit(node.children);
    }
  };
  visit(roots);
  return targets;
}

/** The sentence a screen reader announces for the focused object, or for the view when none has focus. */
export function announce(state: FocusState): string {
  const { targets, index } = state;
  const target = index === null ? undefined : targets[index];
  if (!target) {
    if (targets.length === 0) return '3D view: nothing here reacts to the keyboard.';
    return `3D view: ${targets.length} interactive object${targets.length === 1 ? '' : 's'}. Tab moves between them.`;
  }
  const role = target.clickable ? 'button, Enter to click' : 'can be picked up with a pointer';
  return `${target.name}, ${role}, ${(index ?? 0) + 1} of ${targets.length}`;
}

export class ObjectFocus {
  readonly state: Store<FocusState> = createStore<FocusState>({ targets: [], index: null });

  /** The focused object, if any. */
  current(): FocusTarget | undefined {
    const { targets, index } = this.state.get();
    return index === null ? undefined : targets[index];
  }

  /** New targets after the scene changed: focus stays on the same object while it is still there. */
  setTargets(targets: readonly FocusTarget[]): void {
    const focused = this.current()?.id;
    const index = focused === undefined ? -1 : targets.findIndex((target) => target.id === focused);
    this.state.set({ targets, index: index < 0 ? null : index });
  }

  /** Focus comes into the view: the first object going forwards, the last going backwards. */
  enter(direction: FocusDirection): void {
    const { targets } = this.state.get();
    const index = targets.length === 0 ? null : direction === 'forward' ? 0 : targets.length - 1;
    this.state.set({ targets, index });
  }

  /**
   * One step (Tab or Shift+Tab). Returns true when another object took focus;
   * false when the step leaves the view (no object keeps focus).
   */
  move(direction: FocusDirection): boolean {
    const { targets, index } = this.state.get();
    if (index === null) {
      this.enter(direction);
      return this.state.get().index !== null;
    }
    const next = index + (direction === 'forward' ? 1 : -1);
    if (next < 0 || next >= targets.length) {
      this.clear();
      return false;
    }
    this.state.set({ targets, index: next });
    return true;
  }

  /** No object has focus (the view lost it, or Escape). */
  clear(): void {
    const { targets, index } = this.state.get();
    if (index !== null) this.state.set({ targets, index: null });
  }
}
