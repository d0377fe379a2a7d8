/**
 * Pointer events for `@clickable` and `@hoverable` nodes (TRAIT3, TRAIT4):
 * mouse, touch, and XR controller rays alike (R3F and @react-three/xr deliver
 * them the same way). Clicks and hover changes run the node's handlers through
 * the runtime; the hover highlight itself is local to the person pointing.
 * Keyboard focus in the view (ACC5, app/interaction/object-focus.ts) marks
 * the focused node the same local way.
 */
import type { ThreeEvent } from '@react-three/fiber';
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { ObjectFocus } from '../../interaction/object-focus.ts';
import type { SceneNode } from '../../scene/model/scene-model.ts';
import type { SceneRuntime } from '../../scene/runtime/scene-runtime.ts';

export interface Interaction {
  handlers: {
    onClick?: (event: ThreeEvent<MouseEvent>) => void;
    onPointerOver?: (event: ThreeEvent<PointerEvent>) => void;
    onPointerOut?: (event: ThreeEvent<PointerEvent>) => void;
  };
  hovered: boolean;
  /** This node has keyboard focus in the view. */
  focused: boolean;
}

function isClickable(node: SceneNode): boolean {
  return node.traits.clickable || node.handlers.events.has('click');
}

function isHoverable(node: SceneNode): boolean {
  return (
    node.traits.hoverable !== null || node.handlers.events.has('hoverenter') || node.handlers.events.has('hoverexit')
  );
}

function setCursor(cursor: string): void {
  if (typeof document !== 'undefined') document.body.style.cursor = cursor;
}

/** Whether node `id` has keyboard focus; re-renders only when that changes. */
function useKeyboardFocus(focus: ObjectFocus | undefined, id: string): boolean {
  const subscribe = useCallback((listener: () => void) => focus?.state.subscribe(listener) ?? (() => {}), [focus]);
  return useSyncExternalStore(subscribe, () => focus?.current()?.id === id);
}

export function useInteraction(
  node: SceneNode,
  runtime: SceneRuntime | undefined,
  focus: ObjectFocus | undefined,
): Interaction {
  const clickable = isClickable(node);
  const focused = useKeyboardFocus(focus, node.id);
  const hoverable = isHoverable(node);
  const [hovered, setHovered] = useState(false);
  const id = node.id;

  const onClick = useCallback(
    (event: ThreeEvent<MouseEvent>) => {
      event.stopPropagation();
      runtime?.dispatch(id, 'click', { point: [event.point.x, event.point.y, event.point.z] });
    },
    [runtime, id],
  );
  const onPointerOver = useCallback(
    (event: ThreeEvent<PointerEvent>) => {
      event.stopPropagation();
      setHovered(true);
      if (clickable) setCursor('pointer');
      runtime?.dispatch(id, 'hoverenter');
    },
    [runtime, id, clickable],
  );
  const onPointerOut = useCallback(
    (event: ThreeEvent<PointerEvent>) => {
      event.stopPropagation();
      setHovered(false);
      setCursor('');
      runtime?.dispatch(id, 'hoverexit');
    },
    [runtime, id],
  );
  // A node that stops being interactive (or goes away) while hovered leaves no pointer cursor behind.
  useEffect(() => () => setCursor(''), []);

  if (!clickable && !hoverable) return { handlers: {}, hovered: false, focused };
  return {
    handlers: { ...(clickable ? { onClick } : {}), onPointerOver, onPointerOut },
    hovered: hovered && node.traits.hoverable !== null,
    focused,
  };
}
